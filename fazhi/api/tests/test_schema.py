"""Every endpoint's response matches what the OpenAPI schema declares for its status code."""

import jsonschema_rs
import pytest
from django.test import Client

from fazhi.api.services import token_create


@pytest.fixture
def spec(db):
    return Client().get("/api/v1/openapi.json").json()


def _check(spec, path_template, response):
    op = spec["paths"][path_template]["get"]
    declared = op["responses"].get(str(response.status_code))
    assert declared is not None, f"{path_template}: status {response.status_code} not declared"
    content = declared.get("content")
    if content is None:
        return
    schema = {**content["application/json"]["schema"], "components": spec["components"]}
    jsonschema_rs.validator_for(schema, validate_formats=True).validate(response.json())


def test_every_endpoint_matches_the_schema(full_demo, spec):
    for username in ["litou_leader", "county_supervisor", "litou_officer"]:
        _check_user(full_demo, spec, username)


def _check_user(full_demo, spec, username):
    _, key = token_create(actor=full_demo.user(username), name="schema")
    c = Client(HTTP_AUTHORIZATION=f"Bearer {key}")
    code = full_demo.litou.code
    for template, url in [("/me", "/api/v1/me"), ("/townships", "/api/v1/townships"), ("/todo", "/api/v1/todo"),
                          ("/townships/{code}/stats/{year}", f"/api/v1/townships/{code}/stats/2024"),
                          ("/townships/{code}/stats/{year}", f"/api/v1/townships/{code}/stats/1999"),
                          ("/townships/{code}/stats/{year}", "/api/v1/townships/000000000000/stats/2024")]:
        _check(spec, template, c.get(url))
    assert isinstance(c.get("/api/v1/townships").json(), list)
    assert isinstance(c.get("/api/v1/todo").json(), list)


def test_errors_match_the_schema(demo, spec):
    for template, url in [("/me", "/api/v1/me"), ("/townships", "/api/v1/townships")]:
        _check(spec, template, Client().get(url))  # 401
        _check(spec, template, Client(HTTP_AUTHORIZATION="Bearer fz_nope").get(url))
    _, key = token_create(actor=demo.user("litou_leader"), name="schema")
    r = Client(HTTP_AUTHORIZATION=f"Bearer {key}").post("/api/v1/todo")
    _check(spec, "/todo", r)
    assert r.status_code == 405 and r["Allow"] == "GET, HEAD"
