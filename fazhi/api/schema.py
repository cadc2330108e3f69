"""The OpenAPI 3.1 description of the read-only integration API."""


def _get(summary: str, params=(), schema_ref=None) -> dict:
    op = {"summary": summary, "security": [{"bearer": []}], "parameters": list(params),
          "responses": {"200": {"description": "成功"}, "401": {"description": "未认证"},
                        "403": {"description": "角色无权访问"}, "404": {"description": "不存在或不在查看范围内"}}}
    if schema_ref:
        op["responses"]["200"]["content"] = {"application/json": {"schema": {"$ref": schema_ref}}}
    return {"get": op}


def _path_param(name: str, kind: str, description: str) -> dict:
    return {"name": name, "in": "path", "required": True, "description": description, "schema": {"type": kind}}


def openapi(server_url: str) -> dict:
    return {
        "openapi": "3.1.0",
        "info": {"title": "法治 Fazhi 数据接口", "version": "1",
                 "description": "只读接口，供县级、省级平台和移动端对接。使用个人接口令牌认证（在“接口令牌”页面创建）；"
                                "数据范围与网页端相同：只返回令牌所属用户有权查看的乡镇。"},
        "servers": [{"url": server_url}],
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
            "schemas": {
                "Township": {"type": "object", "properties": {
                    "code": {"type": "string", "description": "12位区划代码"}, "name": {"type": "string"},
                    "county": {"type": ["string", "null"]}, "population": {"type": ["integer", "null"]}}},
                "TodoItem": {"type": "object", "properties": {
                    "module": {"type": "string"}, "title": {"type": "string"},
                    "due": {"type": "string", "format": "date"}, "overdue": {"type": "boolean"},
                    "provisional": {"type": "boolean"}, "explanation": {"type": "string"},
                    "url": {"type": "string"}}},
                "TownshipStats": {"type": "object", "properties": {
                    "township": {"type": "object"}, "year": {"type": "integer"},
                    "modules": {"type": "object", "description": "各模块年度统计（organization, education, decisions, "
                                                                 "disclosure, enforcement, mediation）"},
                    "not_connected": {"type": "array", "items": {"type": "string"}}}},
            },
        },
        "paths": {
            "/me": _get("当前用户及其区划、角色"),
            "/townships": _get("可查看的乡镇", schema_ref="#/components/schemas/Township"),
            "/townships/{code}/stats/{year}": _get(
                "乡镇年度统计（与年度报告同源）",
                [_path_param("code", "string", "乡镇12位区划代码"), _path_param("year", "integer", "年度")],
                "#/components/schemas/TownshipStats"),
            "/todo": _get("当前用户的待办与逾期事项", schema_ref="#/components/schemas/TodoItem"),
        },
    }
