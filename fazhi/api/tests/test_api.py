import pytest
from django.test import Client
from django.urls import reverse

from fazhi.api.models import ApiToken
from fazhi.api.services import token_create, token_revoke
from fazhi.core.errors import DomainError


def bearer(key):
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


@pytest.fixture
def supervisor_key(demo):
    _, key = token_create(actor=demo.user("county_supervisor"), name="县级平台对接")
    return key


def test_schema_is_public_openapi(db):
    data = Client().get(reverse("api:schema")).json()
    assert data["openapi"].startswith("3.1")
    assert "/townships/{code}/stats/{year}" in data["paths"]


def test_it_requires_a_token(demo):
    r = Client().get(reverse("api:townships"))
    assert r.status_code == 401 and "令牌" in r.json()["error"]["message"] and r["WWW-Authenticate"].startswith("Bearer")
    assert Client().get(reverse("api:townships"), **bearer("fz_wrong")).status_code == 401


def test_token_sees_the_same_scope_as_the_pages(demo, supervisor_key):
    codes = {t["code"] for t in Client().get(reverse("api:townships"), **bearer(supervisor_key)).json()}
    assert codes == {demo.litou.code, demo.demo2.code}
    _, key = token_create(actor=demo.user("litou_leader"), name="移动端")
    codes = {t["code"] for t in Client().get(reverse("api:townships"), **bearer(key)).json()}
    assert codes == {demo.litou.code}


def test_stats_of_another_township_are_404(demo):
    _, key = token_create(actor=demo.user("demo2_leader"), name="x")
    url = reverse("api:township_stats", kwargs={"code": demo.litou.code, "year": 2024})
    assert Client().get(url, **bearer(key)).status_code == 404


def test_stats_return_every_module_section(demo, supervisor_key):
    url = reverse("api:township_stats", kwargs={"code": demo.litou.code, "year": 2024})
    data = Client().get(url, **bearer(supervisor_key)).json()
    assert data["township"]["name"] == "犁头瑶族乡" and data["year"] == 2024
    assert isinstance(data["modules"], dict)


def test_api_is_read_only(demo, supervisor_key):
    _, key = token_create(actor=demo.user("litou_legal_staff"), name="x")
    assert Client().post(reverse("api:todo"), **bearer(key)).status_code == 405


def test_revoked_tokens_stop_working_and_only_the_hash_is_stored(demo):
    user = demo.user("litou_officer")
    token, key = token_create(actor=user, name="外勤")
    assert key not in token.key_hash and token.prefix == key[:8]
    assert Client().get(reverse("api:me"), **bearer(key)).json()["username"] == user.username
    token_revoke(actor=user, token=token)
    assert Client().get(reverse("api:me"), **bearer(key)).status_code == 401
    with pytest.raises(DomainError):
        token_revoke(actor=user, token=token)


def test_token_needs_a_purpose(demo):
    with pytest.raises(DomainError, match="用途"):
        token_create(actor=demo.user("litou_officer"), name=" ")
    assert not ApiToken.objects.exists()


def test_token_page_creates_and_shows_the_key_once(demo, login):
    c = login(demo.user("county_supervisor"))
    html = c.post(reverse("api:tokens"), {"name": "县级平台"}).content.decode()
    assert "只显示这一次" in html and "fz_" in html
    assert "fz_" not in c.get(reverse("api:tokens")).content.decode().split("new-token")[0][-10:]
    assert Client().get(reverse("api:tokens")).status_code == 302


def test_token_page_grants_the_scopes_ticked(demo, login):
    user = demo.user("litou_mediator")
    c = login(user)
    html = c.post(reverse("api:tokens"), {"name": "调解App", "scopes_sent": "1",
                                          "scopes": ["mediation:read", "mediation:write"]}).content.decode()
    assert "矛盾纠纷·读写" in html
    assert ApiToken.objects.get(user=user).scopes == ["mediation:read", "mediation:write"]
    r = c.post(reverse("api:tokens"), {"name": "x", "scopes_sent": "1", "scopes": ["mediation:admin"]})
    assert r.status_code == 400 and "未知的令牌权限范围" in r.content.decode()
    assert c.post(reverse("api:tokens"), {"name": "y", "scopes_sent": "1"}).status_code == 400
    assert ApiToken.objects.filter(user=user).count() == 1
