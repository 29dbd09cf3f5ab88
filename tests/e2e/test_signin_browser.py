"""In chromium: sign in through a real OpenID provider on 127.0.0.1, make an API token, create a
case through the API with it, and see the case in the app's case list (issue 18)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from tests.e2e.conftest import shoot
from tests.web.conftest import EXAMPLES, served_demo
from tests.web.oidc_provider import LocalProvider, local_provider

PASSWORD = "browser sign-in password"


@pytest.fixture
def provider() -> Iterator[LocalProvider]:
    with local_provider() as running:
        yield running


@pytest.fixture
def server(tmp_path: Path, provider: LocalProvider) -> Iterator[str]:
    environ = {
        "ACCORD_OIDC_ISSUER": provider.issuer,
        "ACCORD_OIDC_CLIENT_ID": "accord-browser",
        "ACCORD_OIDC_CLIENT_SECRET": "a browser test secret",
        "ACCORD_OIDC_NAME": "Example Corp",
        "ACCORD_OIDC_ROLE_CLAIM": "groups",
        "ACCORD_OIDC_FACILITATOR_ROLES": "accord-facilitators",
    }
    with served_demo(tmp_path, PASSWORD, environ=environ) as (base, _):
        yield base


def test_sign_in_through_the_provider_then_a_case_made_by_the_api_is_listed(
    server: str, provider: LocalProvider, browser: Any, shots: Path
) -> None:
    provider.add_user(
        "dana-1",
        email="dana@corp.example",
        email_verified=True,
        name="Dana Director",
        groups=["accord-facilitators"],
    )
    page = browser.new_page()
    page.goto(server + "/login")
    shoot(page, shots, "signin-login")
    page.get_by_role("link", name="Sign in with Example Corp").click()
    # The provider's own page: who signs in.
    page.wait_for_url(provider.issuer + "/oauth2/authorize*")
    page.fill("input[name=sub]", "dana-1")
    page.get_by_role("button", name="Authorize").click()
    page.wait_for_url(server + "/")
    assert page.get_by_text("Dana Director").is_visible()

    page.goto(server + "/settings/tokens")
    page.fill("input[name=name]", "browser test")
    page.check("input[name=scope][value=write]")
    page.get_by_role("button", name="Create").click()
    token = page.locator("code.secret").inner_text().strip()
    assert token.startswith("accord_")

    case = (EXAMPLES / "growth-vs-margin.yaml").read_text(encoding="utf-8")
    case = case.replace("title: ", "title: Made-By-The-API ", 1)
    made = httpx.post(
        server + "/api/v1/cases",
        content=case.encode(),
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/yaml"},
        timeout=60,
    )
    assert made.status_code == 201, made.text

    page.goto(server + "/")
    assert page.get_by_text("Made-By-The-API").first.is_visible()
    shoot(page, shots, "signin-case-list")
    page.close()
