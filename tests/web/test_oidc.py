"""Company sign-in (OpenID Connect, code flow with PKCE) against a real provider on 127.0.0.1
(tests/web/oidc_provider.py): the full flow, every refusal on the app's error page with
nothing written, account linking and the role mapping."""

from __future__ import annotations

import base64
import dataclasses
import hashlib
from collections.abc import Iterator
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
import sqlalchemy as sa
from tests.web.conftest import IN_TEST_ANALYSES, PASSWORD, Web, running_web
from tests.web.oidc_provider import SIGNED_BY_STRANGER, LocalProvider, local_provider
from tests.web.test_matrix import snapshot

from accord.store.tables import Facilitator, FacilitatorIdentity, FacilitatorSession
from accord.web import security
from accord.web.oidc import FLOW_COOKIE
from accord.web.routes.auth import PRE_SESSION_COOKIE
from accord.web.settings import OidcSettings, Settings

CLIENT_ID = "accord-tests"


@pytest.fixture(scope="module")
def provider() -> Iterator[LocalProvider]:
    with local_provider() as running:
        yield running


def oidc_web(tmp_path: Path, provider: LocalProvider, **oidc: Any) -> AbstractContextManager[Web]:
    settings = Settings(
        secret_key="k" * 48,
        oidc=OidcSettings(
            issuer=provider.issuer,
            client_id=CLIENT_ID,
            client_secret="a client secret",
            name="Example Corp",
            **oidc,
        ),
        **IN_TEST_ANALYSES,
    )
    return running_web(tmp_path, settings=settings)


@pytest.fixture
def web(tmp_path: Path, provider: LocalProvider) -> Iterator[Web]:
    provider.tamper.clear()
    with oidc_web(tmp_path, provider) as made:
        yield made


def start(web: Web) -> str:
    """The app's redirect to the provider (its URL)."""
    response = web.client.get("/login/oidc", follow_redirects=False)
    assert response.status_code == 303, response.text
    return response.headers["location"]


def sign_in(web: Web, provider: LocalProvider, subject: str) -> Any:
    back = provider.authorize(start(web), subject)
    return web.client.get(back, follow_redirects=False)


def refused(response: Any, status: int, words: str) -> None:
    assert response.status_code == status, response.text
    assert "That did not work" in response.text  # the app's error page
    assert words in response.text


def test_the_code_flow_with_pkce_signs_in_a_new_facilitator(
    web: Web, provider: LocalProvider
) -> None:
    provider.add_user("ada-1", email="Ada@Corp.example", email_verified=True, name="Ada L")
    url = start(web)
    query = {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}
    assert url.startswith(provider.issuer + "/oauth2/authorize?")
    assert query["code_challenge_method"] == "S256" and query["client_id"] == CLIENT_ID
    assert query["redirect_uri"] == "http://127.0.0.1/login/oidc/callback"
    assert query["state"] and query["nonce"] and query["state"] != query["nonce"]
    back = provider.authorize(url, "ada-1")
    response = web.client.get(back, follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/"
    assert FLOW_COOKIE not in web.client.cookies  # spent
    # The verifier sent with the code is the one the challenge was made from (RFC 7636).
    verifier = provider.token_requests[-1]["code_verifier"]
    digest = hashlib.sha256(verifier.encode()).digest()
    assert base64.urlsafe_b64encode(digest).rstrip(b"=").decode() == query["code_challenge"]
    page = web.client.get("/", follow_redirects=False)
    assert page.status_code == 200 and "Your cases" in page.text
    with web.store.session() as s:
        made = s.scalars(sa.select(Facilitator).where(Facilitator.email == "ada@corp.example"))
        ada = made.one()
        link = s.scalars(sa.select(FacilitatorIdentity)).one()
        assert (link.facilitator_id, link.issuer, link.subject) == (
            ada.id,
            provider.issuer,
            "ada-1",
        )
        assert ada.display_name == "Ada L"


def test_the_provider_refuses_a_code_without_its_pkce_verifier(
    web: Web, provider: LocalProvider
) -> None:
    """The local provider really checks PKCE, so the test above means something."""
    import httpx

    provider.add_user("pkce-1", email="pkce@corp.example", email_verified=True)
    back = provider.authorize(start(web), "pkce-1")
    code = parse_qs(urlsplit(back).query)["code"][0]
    response = httpx.post(
        provider.issuer + "/oauth2/token",
        data={
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": "http://127.0.0.1/login/oidc/callback",
            "code_verifier": "x" * 64,
        },
        auth=(CLIENT_ID, "a client secret"),
    )
    assert response.status_code == 400 and response.json()["error"] == "invalid_grant"


def test_the_next_sign_in_finds_the_account_by_subject_not_email(
    web: Web, provider: LocalProvider
) -> None:
    provider.add_user("bo-1", email="bo@corp.example", email_verified=True)
    assert sign_in(web, provider, "bo-1").status_code == 303
    provider.add_user("bo-1", email="bo.renamed@corp.example", email_verified=True)
    web.client.cookies.clear()
    assert sign_in(web, provider, "bo-1").status_code == 303
    with web.store.session() as s:
        emails = s.scalars(sa.select(Facilitator.email).where(Facilitator.email.like("bo%")))
        assert list(emails) == ["bo@corp.example"]
        assert s.scalar(sa.select(sa.func.count()).select_from(FacilitatorIdentity)) == 1


def test_a_verified_email_links_the_existing_password_account(
    web: Web, provider: LocalProvider
) -> None:
    provider.add_user("fran-1", email="fac@example.org", email_verified=True)
    assert sign_in(web, provider, "fran-1").status_code == 303
    with web.store.session() as s:
        fran = s.scalars(sa.select(Facilitator).where(Facilitator.email == "fac@example.org"))
        link = s.scalars(sa.select(FacilitatorIdentity)).one()
        assert link.facilitator_id == fran.one().id
    web.client.cookies.clear()
    web.sign_in()  # the password still works too


def test_an_unverified_email_never_reaches_an_existing_account(
    web: Web, provider: LocalProvider
) -> None:
    provider.add_user("mallory-1", email="fac@example.org", email_verified=False)
    before = snapshot(web)
    response = sign_in(web, provider, "mallory-1")
    refused(response, 403, "does not say that this email is verified")
    assert snapshot(web) == before
    assert web.client.get("/", follow_redirects=False).status_code == 303


@pytest.mark.parametrize(
    ("tamper", "words"),
    [
        ({"aud": "another-app"}, "&#39;aud&#39;"),
        ({"nonce": "a nonce from another flow"}, "&#39;nonce&#39;"),
        ({"exp": lambda exp: exp - 7200, "iat": lambda iat: iat - 7200}, "&#39;exp&#39;"),
        ({"iss": "https://impostor.example"}, "&#39;iss&#39;"),
        ({SIGNED_BY_STRANGER: True}, "signature is not valid"),
        ({"nonce": None}, "&#39;nonce&#39;"),
    ],
    ids=["wrong audience", "bad nonce", "expired", "wrong issuer", "bad signature", "no nonce"],
)
def test_an_id_token_that_fails_verification_is_refused(
    web: Web, provider: LocalProvider, tamper: dict[str, Any], words: str
) -> None:
    provider.add_user("eve-1", email="eve@corp.example", email_verified=True)
    back = provider.authorize(start(web), "eve-1")
    provider.tamper.update(tamper)
    before = snapshot(web)
    refused(web.client.get(back, follow_redirects=False), 403, words)
    assert snapshot(web) == before
    assert web.client.get("/", follow_redirects=False).status_code == 303


def test_a_wrong_state_is_refused(web: Web, provider: LocalProvider) -> None:
    provider.add_user("sam-1", email="sam@corp.example", email_verified=True)
    back = provider.authorize(start(web), "sam-1")
    forged = back.replace("state=", "state=0", 1)
    before = snapshot(web)
    refused(web.client.get(forged, follow_redirects=False), 400, "its state differs")
    assert snapshot(web) == before


def test_an_answer_for_another_browser_is_refused(web: Web, provider: LocalProvider) -> None:
    """Login CSRF: the victim's browser never started this flow, so it holds no flow cookie."""
    provider.add_user("sam-2", email="sam2@corp.example", email_verified=True)
    back = provider.authorize(start(web), "sam-2")
    web.client.cookies.clear()
    before = snapshot(web)
    refused(web.client.get(back, follow_redirects=False), 400, "not started in this browser")
    assert snapshot(web) == before


def test_a_replayed_code_is_refused(web: Web, provider: LocalProvider) -> None:
    provider.add_user("rae-1", email="rae@corp.example", email_verified=True)
    url = start(web)
    flow = web.client.cookies[FLOW_COOKIE]
    back = provider.authorize(url, "rae-1")
    assert web.client.get(back, follow_redirects=False).status_code == 303
    web.client.cookies.clear()
    # The attacker kept the whole answer and the flow cookie.
    web.client.cookies.set(FLOW_COOKIE, flow, path="/login/oidc")
    before = snapshot(web)
    refused(web.client.get(back, follow_redirects=False), 403, "invalid_grant")
    assert snapshot(web) == before


def test_the_provider_saying_no_is_shown(web: Web, provider: LocalProvider) -> None:
    url = start(web)
    import httpx

    response = httpx.post(url, data={"action": "deny"}, follow_redirects=False)
    back = urlsplit(response.headers["location"])
    refused(
        web.client.get(f"{back.path}?{back.query}", follow_redirects=False),
        403,
        "did not sign you in: access_denied",
    )


def test_company_sign_in_opens_a_new_session_and_ends_the_old_one(
    web: Web, provider: LocalProvider
) -> None:
    web.sign_in()
    planted = web.client.cookies["accord_session"]
    provider.add_user("fran-2", email="fac@example.org", email_verified=True)
    assert sign_in(web, provider, "fran-2").status_code == 303
    assert web.client.cookies["accord_session"] != planted
    with web.store.session() as s:
        assert s.scalar(sa.select(sa.func.count()).select_from(FacilitatorSession)) == 1


ROLES = {
    "role_claim": "groups",
    "facilitator_roles": ("accord-facilitators",),
    "refused_roles": ("contractors",),
}


@pytest.mark.parametrize(
    ("groups", "words"),
    [
        ([], "holds nothing, and a facilitator needs one of accord-facilitators"),
        (["sales"], "holds sales, and a facilitator needs one of accord-facilitators"),
        (["accord-facilitators", "contractors"], "holds contractors, which is refused"),
    ],
)
def test_the_role_mapping_refuses_who_it_does_not_let_in(
    tmp_path: Path, provider: LocalProvider, groups: list[str], words: str
) -> None:
    provider.tamper.clear()
    provider.add_user("gus-1", email="gus@corp.example", email_verified=True, groups=groups)
    with oidc_web(tmp_path, provider, **ROLES) as web:
        before = snapshot(web)
        refused(sign_in(web, provider, "gus-1"), 403, words)
        assert snapshot(web) == before


def test_the_role_mapping_lets_a_facilitator_group_in(
    tmp_path: Path, provider: LocalProvider
) -> None:
    provider.tamper.clear()
    provider.add_user(
        "hal-1", email="hal@corp.example", email_verified=True, groups=["accord-facilitators"]
    )
    with oidc_web(tmp_path, provider, **ROLES) as web:
        assert sign_in(web, provider, "hal-1").status_code == 303
        assert web.client.get("/", follow_redirects=False).status_code == 200


def test_a_nested_role_claim_is_read_by_its_path(tmp_path: Path, provider: LocalProvider) -> None:
    provider.tamper.clear()
    provider.add_user(
        "kc-1",
        email="kc@corp.example",
        email_verified=True,
        realm_access={"roles": ["facilitator"]},
    )
    with oidc_web(
        tmp_path, provider, role_claim="realm_access.roles", facilitator_roles=("facilitator",)
    ) as web:
        assert sign_in(web, provider, "kc-1").status_code == 303


def test_password_sign_in_can_be_turned_off(tmp_path: Path, provider: LocalProvider) -> None:
    settings = Settings(
        secret_key="k" * 48,
        oidc=OidcSettings(issuer=provider.issuer, client_id=CLIENT_ID, name="Example Corp"),
        password_signin=False,
        **IN_TEST_ANALYSES,
    )
    with running_web(tmp_path, settings=settings) as web:
        form = web.client.get("/login")
        assert 'href="/login/oidc">Sign in with Example Corp' in form.text
        assert 'type="password"' not in form.text and "Forgot your password" not in form.text
        pre = web.client.cookies[PRE_SESSION_COOKIE]
        csrf = security.csrf_token(web.settings.secret_key, "login|" + pre)
        response = web.client.post(
            "/login",
            data={"email": web.email, "password": PASSWORD, "csrf": csrf},
            follow_redirects=False,
        )
        refused(response, 403, "password sign-in is turned off here")
        refused(web.client.get("/reset"), 403, "password sign-in is turned off")


def test_the_login_page_offers_both_when_both_are_on(web: Web) -> None:
    form = web.client.get("/login").text
    assert "Sign in with Example Corp" in form and 'type="password"' in form


def test_without_a_provider_the_company_routes_are_not_there(tmp_path: Path) -> None:
    settings = Settings(secret_key="k" * 48, **IN_TEST_ANALYSES)
    with running_web(tmp_path, settings=settings) as web:
        assert "Sign in with" not in web.client.get("/login").text
        refused(web.client.get("/login/oidc"), 404, "company sign-in is not configured here")


def test_oidc_settings_name_what_is_wrong() -> None:
    with pytest.raises(ValueError, match="ACCORD_OIDC_CLIENT_ID: must be set"):
        OidcSettings.from_environ({"ACCORD_OIDC_ISSUER": "https://id.example"})
    with pytest.raises(ValueError, match="ACCORD_OIDC_FACILITATOR_ROLES: must name"):
        OidcSettings.from_environ(
            {
                "ACCORD_OIDC_ISSUER": "https://id.example",
                "ACCORD_OIDC_CLIENT_ID": "a",
                "ACCORD_OIDC_ROLE_CLAIM": "groups",
            }
        )
    made = OidcSettings.from_environ(
        {
            "ACCORD_OIDC_ISSUER": "https://id.example/",
            "ACCORD_OIDC_CLIENT_ID": "a",
            "ACCORD_OIDC_ROLE_CLAIM": "groups",
            "ACCORD_OIDC_FACILITATOR_ROLES": "fac, leads",
        }
    )
    assert made is not None and made.issuer == "https://id.example"
    assert made.facilitator_roles == ("fac", "leads")
    assert dataclasses.replace(made, refused_roles=("x",)).refused_roles == ("x",)
