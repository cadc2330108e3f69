"""The OpenAPI 3.1 description of the read-only integration API. It describes what the views return
(fazhi/api/tests/test_schema.py validates every endpoint's responses against it; scripts/api_check.sh
runs schemathesis against the live site)."""

ERROR = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}


def _get(summary: str, params=(), schema=None, extra_errors=()) -> dict:
    responses = {"200": {"description": "成功"},
                 "401": {"description": "未认证", "content": ERROR},
                 "403": {"description": "角色无权访问", "content": ERROR},
                 "405": {"description": "接口为只读，仅支持GET"}}
    for code, description in extra_errors:
        responses[code] = {"description": description}
    if schema:
        responses["200"]["content"] = {"application/json": {"schema": schema}}
    op = {"summary": summary, "security": [{"bearer": []}], "parameters": list(params), "responses": responses}
    return {"get": op}


def _ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def _path_param(name: str, schema: dict, description: str) -> dict:
    return {"name": name, "in": "path", "required": True, "description": description, "schema": schema}


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
                "Error": {"type": "object", "required": ["error"], "properties": {"error": {"type": "string"}}},
                "Me": {"type": "object", "required": ["username", "full_name", "memberships"], "properties": {
                    "username": {"type": "string"}, "full_name": {"type": "string"},
                    "memberships": {"type": "array", "items": {
                        "type": "object", "required": ["region_code", "region", "role", "role_label"],
                        "properties": {"region_code": {"type": "string"}, "region": {"type": "string"},
                                       "role": {"type": "string"}, "role_label": {"type": "string"}}}}}},
                "Township": {"type": "object", "required": ["code", "name", "county", "population"], "properties": {
                    "code": {"type": "string", "description": "12位区划代码"}, "name": {"type": "string"},
                    "county": {"type": ["string", "null"]}, "population": {"type": ["integer", "null"]}}},
                "TodoItem": {"type": "object", "required": ["module", "title", "due", "overdue", "provisional",
                                                            "explanation", "url"], "properties": {
                    "module": {"type": "string"}, "title": {"type": "string"},
                    "due": {"type": "string", "format": "date"}, "overdue": {"type": "boolean"},
                    "provisional": {"type": "boolean"}, "explanation": {"type": "string"},
                    "url": {"type": "string"}}},
                "TownshipStats": {"type": "object", "required": ["township", "year", "modules", "not_connected"],
                                  "properties": {
                    "township": {"type": "object", "required": ["code", "name"],
                                 "properties": {"code": {"type": "string"}, "name": {"type": "string"}}},
                    "year": {"type": "integer"},
                    "modules": {"type": "object", "description": "各模块年度统计（organization, education, decisions, "
                                                                 "disclosure, enforcement, mediation）"},
                    "not_connected": {"type": "array", "items": {"type": "string"},
                                      "description": "数据暂时无法读取的模块（错误已记入日志）"}}},
            },
        },
        "paths": {
            "/me": _get("当前用户及其区划、角色", schema=_ref("Me")),
            "/townships": _get("可查看的乡镇", schema={"type": "array", "items": _ref("Township")}),
            "/townships/{code}/stats/{year}": _get(
                "乡镇年度统计（与年度报告同源）",
                [_path_param("code", {"type": "string", "pattern": r"^\d{12}$"}, "乡镇12位区划代码"),
                 _path_param("year", {"type": "integer", "minimum": 2000, "maximum": 2100}, "年度")],
                _ref("TownshipStats"),
                extra_errors=[("400", "年份超出范围"), ("404", "乡镇不存在或不在查看范围内")]),
            "/todo": _get("当前用户的待办与逾期事项", schema={"type": "array", "items": _ref("TodoItem")}),
        },
    }
