"""A real OpenID Connect provider on 127.0.0.1 for the tests: ``oidc-provider-mock`` (Authlib's
authorization server in a Flask app) on a thread, with two additions the tests need.

- **PKCE enforced**: the mock accepts PKCE parameters but does not check them, so the code's
  S256 challenge is recorded at authorization and the token request is refused
  (``invalid_grant``, RFC 7636 4.6) unless its ``code_verifier`` matches.
- **Tampering**: :attr:`LocalProvider.tamper` rewrites claims of the next ID tokens, signed
  again with the provider's own key (or a stranger's), to play a provider or attacker that
  sends a wrong audience, nonce, issuer or expiry.
"""

from __future__ import annotations

import base64
import hashlib
import threading
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx

SIGNED_BY_STRANGER = "signed-by-stranger"


@dataclass
class LocalProvider:
    issuer: str
    tamper: dict[str, Any] = field(default_factory=dict)
    authorize_requests: list[dict[str, str]] = field(default_factory=list)
    token_requests: list[dict[str, str]] = field(default_factory=list)

    def add_user(self, subject: str, **claims: Any) -> None:
        """The person ``subject`` with these claims (email, email_verified, groups ...)."""
        response = httpx.put(f"{self.issuer}/users/{subject}", json=claims)
        assert response.status_code == 204, response.text

    def authorize(self, url: str, subject: str) -> str:
        """What the person's browser does at the provider: pick ``subject``, consent; returns
        the redirect back to the app (its path and query)."""
        response = httpx.post(url, data={"sub": subject}, follow_redirects=False)
        assert response.status_code == 302, response.text
        back = urlsplit(response.headers["location"])
        return f"{back.path}?{back.query}"


def _s256(verifier: str) -> str:
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


@contextmanager
def local_provider() -> Iterator[LocalProvider]:
    """The provider, listening on a free 127.0.0.1 port until the block ends."""
    import flask
    import werkzeug.serving

    with warnings.catch_warnings():
        # The mock imports Authlib's deprecated authlib.jose (for its own signing).
        warnings.simplefilter("ignore", DeprecationWarning)
        import oidc_provider_mock

    app = oidc_provider_mock.app(require_nonce=True)
    challenges: dict[str, str] = {}
    server = werkzeug.serving.make_server("127.0.0.1", 0, app, threaded=True)
    provider = LocalProvider(issuer=f"http://127.0.0.1:{server.server_port}")

    @app.before_request
    def enforce_pkce() -> Any:
        request = flask.request
        if request.path == "/oauth2/authorize" and request.method == "POST":
            provider.authorize_requests.append(dict(request.args))
        if request.path == "/oauth2/token":
            form = dict(request.form)
            provider.token_requests.append(form)
            challenge = challenges.get(form.get("code", ""))
            if challenge is not None and _s256(form.get("code_verifier", "")) != challenge:
                body = {"error": "invalid_grant", "error_description": "PKCE verifier mismatch"}
                return flask.jsonify(body), 400
        return None

    @app.after_request
    def record_and_tamper(response: flask.Response) -> flask.Response:
        request = flask.request
        if request.path == "/oauth2/authorize" and response.status_code == 302:
            query = parse_qs(urlsplit(response.headers["Location"]).query)
            if "code" in query and request.args.get("code_challenge_method") == "S256":
                challenges[query["code"][0]] = request.args["code_challenge"]
        if request.path == "/oauth2/token" and response.status_code == 200 and provider.tamper:
            body = response.get_json()
            storage = flask.g.oidc_provider_mock_storage
            body["id_token"] = _resign(body["id_token"], storage.jwk, provider.tamper)
            response.set_data(flask.json.dumps(body))
        return response

    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    try:
        yield provider
    finally:
        server.shutdown()
        thread.join(5)
        server.server_close()


def _resign(id_token: str, key: Any, changes: dict[str, Any]) -> str:
    """``id_token`` with ``changes`` to its claims, signed again by the provider's key (or a
    stranger's, under the same key id, when ``changes`` asks for it)."""
    from joserfc import jwt
    from joserfc.jwk import RSAKey

    private = RSAKey.import_key(key.as_dict(is_private=True))
    header = {"alg": "RS256", "kid": private.kid}
    claims = dict(jwt.decode(id_token, private).claims)
    changes = dict(changes)
    if changes.pop(SIGNED_BY_STRANGER, False):
        private = RSAKey.generate_key(2048, parameters={"kid": private.kid})
    for name, value in changes.items():
        if value is None:
            claims.pop(name, None)
        else:
            claims[name] = value(claims[name]) if callable(value) else value
    return jwt.encode(header, claims, private)
