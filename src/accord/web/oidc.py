"""Company sign-in with OpenID Connect: the authorization code flow with PKCE (S256).

Authlib's OAuth 2 client builds the authorization request and exchanges the code (with the
PKCE verifier and the client's credentials); the ID token is verified with joserfc (Authlib's
own JOSE successor) against the provider's published keys: signature, issuer, audience,
expiry and the nonce this browser's flow was given (OpenID Connect Core 1.0, 3.1.3.7).

The flow is bound to the browser by a pre-session cookie holding 256 random bits and the time
it started; ``state``, ``nonce`` and the PKCE verifier are HMACs of it under the server's key,
so nothing is kept on the server between the two requests, another browser cannot finish a
flow this one started (login CSRF), and a flow older than :data:`FLOW_SECONDS` is refused.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import httpx

from accord.errors import AccordError, ForbiddenError, InputError
from accord.store.identities import Person
from accord.web.settings import OidcSettings

if TYPE_CHECKING:  # the oidc extra; imported where used, so the app runs without it
    from joserfc import jwt
    from joserfc.errors import JoseError
    from joserfc.jwk import KeySet

FLOW_COOKIE = "accord_oidc"
FLOW_SECONDS = 600
CALLBACK_PATH = "/login/oidc/callback"
# Clocks of the provider and this server may differ by this much (seconds).
LEEWAY = 60
HTTP_TIMEOUT = 10.0
# Signatures a provider's published keys may make; "none" and shared-secret HMACs are never
# accepted for an ID token here.
ALGORITHMS = ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512"]


class ProviderError(AccordError):
    """The company's sign-in service could not be reached or answered nonsense."""

    http_status = 502
    kind = "provider_error"


@dataclass(frozen=True)
class Flow:
    """What one browser's sign-in carries to the provider and must get back."""

    state: str
    nonce: str
    verifier: str


def new_flow_cookie(now: float | None = None) -> str:
    """A fresh flow cookie value: random bits and the second the flow started."""
    return f"{secrets.token_urlsafe(32)}.{int(time.time() if now is None else now)}"


def flow_of(secret_key: str, cookie: str | None, now: float | None = None) -> Flow:
    """The flow ``cookie`` stands for, or why it cannot be finished."""
    start_again = "start again from the sign-in page"
    random, _, started = (cookie or "").partition(".")
    if not random or not started.isdigit() or len(cookie or "") > 200:
        raise InputError(
            f"this sign-in was not started in this browser (no sign-in cookie): {start_again}"
        )
    age = (time.time() if now is None else now) - int(started)
    if not 0 <= age <= FLOW_SECONDS:
        raise InputError(
            f"this sign-in took longer than {FLOW_SECONDS // 60} minutes: {start_again}"
        )

    def derive(purpose: str) -> str:
        message = f"oidc|{purpose}|{cookie}".encode()
        return hmac.new(secret_key.encode(), message, hashlib.sha256).hexdigest()

    # A 64-character hex verifier is within RFC 7636's 43-128 unreserved characters.
    return Flow(state=derive("state"), nonce=derive("nonce"), verifier=derive("pkce"))


class Provider:
    """One OpenID Connect provider: its discovery document and keys, fetched when first needed
    and kept (the keys are fetched again once when a token names a key not among them, which
    is how providers rotate keys)."""

    def __init__(self, settings: OidcSettings, transport: httpx.BaseTransport | None = None):
        try:
            import authlib  # noqa: F401
            import joserfc  # noqa: F401
        except ImportError as missing:
            raise ValueError(
                f"ACCORD_OIDC_ISSUER is set, but company sign-in needs {missing.name}: "
                "install accord with the oidc extra (pip install 'accord[oidc]')"
            ) from None
        self.settings = settings
        self._transport = transport
        self._lock = threading.Lock()
        self._metadata: dict[str, Any] | None = None
        self._keys: KeySet | None = None

    def authorization_url(self, redirect_uri: str, flow: Flow) -> str:
        from authlib.integrations.httpx_client import OAuth2Client

        with OAuth2Client(
            client_id=self.settings.client_id,
            scope=self.settings.scopes,
            redirect_uri=redirect_uri,
            code_challenge_method="S256",
        ) as client:
            url, _ = client.create_authorization_url(
                self._endpoint("authorization_endpoint"),
                state=flow.state,
                nonce=flow.nonce,
                code_verifier=flow.verifier,
            )
        return str(url)

    def person(self, code: str, redirect_uri: str, flow: Flow) -> Person:
        """Exchange ``code`` for tokens and return who the verified ID token names, once the
        role mapping lets them in; every refusal is an :class:`AccordError`."""
        claims = self.verified_claims(self._id_token(code, redirect_uri, flow), flow.nonce)
        check_role(self.settings, claims)
        verified = claims.get("email_verified") is True or self.settings.trust_email
        name = claims.get("name") or claims.get("preferred_username")
        email = claims.get("email")
        return Person(
            issuer=self.settings.issuer,
            subject=str(claims["sub"]),
            email=email if isinstance(email, str) else None,
            email_verified=verified,
            name=name if isinstance(name, str) else None,
        )

    def verified_claims(self, id_token: str, nonce: str) -> dict[str, Any]:
        """The claims of ``id_token`` once its signature, issuer, audience, expiry and nonce
        are checked."""
        from joserfc import jwt
        from joserfc.errors import JoseError

        try:
            token = self._decode(id_token)
        except JoseError as error:
            raise ForbiddenError(f"the ID token's signature is not valid ({error})") from None
        claims: dict[str, Any] = dict(token.claims)
        registry = jwt.JWTClaimsRegistry(
            leeway=LEEWAY,
            iss={"essential": True, "value": self.settings.issuer},
            sub={"essential": True},
            aud={"essential": True, "value": self.settings.client_id},
            exp={"essential": True},
            iat={"essential": True},
            nonce={"essential": True, "value": nonce},
        )
        try:
            registry.validate(claims)
        except JoseError as error:
            raise ForbiddenError(f"the ID token was refused: {_jose_message(error)}") from None
        audiences = claims["aud"] if isinstance(claims["aud"], list) else [claims["aud"]]
        # Core 3.1.3.7: with several audiences, the token must say it was issued to us.
        if len(audiences) > 1 and claims.get("azp") != self.settings.client_id:
            raise ForbiddenError(
                f"the ID token was refused: it names several audiences and its 'azp' is "
                f"{claims.get('azp')!r}, not this app's client id"
            )
        return claims

    # --- talking to the provider ---------------------------------------------------------

    def _id_token(self, code: str, redirect_uri: str, flow: Flow) -> str:
        from authlib.common.errors import AuthlibBaseError
        from authlib.integrations.httpx_client import OAuth2Client

        secret = self.settings.client_secret
        with OAuth2Client(
            client_id=self.settings.client_id,
            client_secret=secret or None,
            # A client without a secret is a public client: PKCE alone protects its code.
            token_endpoint_auth_method="client_secret_basic" if secret else "none",
            redirect_uri=redirect_uri,
            timeout=HTTP_TIMEOUT,
            transport=self._transport,
        ) as client:
            try:
                token = client.fetch_token(
                    self._endpoint("token_endpoint"),
                    grant_type="authorization_code",
                    code=code,
                    code_verifier=flow.verifier,
                )
            except AuthlibBaseError as error:
                # A code used twice, expired or issued to another client ends here.
                raise ForbiddenError(
                    f"{self.settings.name} refused to finish the sign-in: {error.error}"
                    + (f" ({error.description})" if error.description else "")
                ) from None
            except (httpx.HTTPError, ValueError) as error:
                raise ProviderError(
                    f"{self.settings.name} did not answer the code exchange: {error}"
                ) from None
        id_token = token.get("id_token")
        if not isinstance(id_token, str):
            raise ProviderError(
                f"{self.settings.name} sent no ID token: is 'openid' among the client's scopes?"
            )
        return id_token

    def _decode(self, id_token: str) -> jwt.Token:
        from joserfc import jwt
        from joserfc.errors import JoseError

        keys = self._key_set(refresh=False)
        try:
            return jwt.decode(id_token, keys, algorithms=ALGORITHMS)
        except JoseError:
            # Maybe the provider rotated its keys since they were fetched: fetch them once more.
            return jwt.decode(id_token, self._key_set(refresh=True), algorithms=ALGORITHMS)

    def _endpoint(self, name: str) -> str:
        value = self._discovery().get(name)
        if not isinstance(value, str) or not value.startswith(("https://", "http://")):
            raise ProviderError(
                f"the discovery document of {self.settings.issuer} has no usable {name!r}"
            )
        return value

    def _discovery(self) -> dict[str, Any]:
        with self._lock:
            if self._metadata is None:
                url = self.settings.issuer + "/.well-known/openid-configuration"
                metadata = self._get_json(url)
                # Discovery 1.0, 4.3: the document must be the issuer's own.
                if str(metadata.get("issuer", "")).rstrip("/") != self.settings.issuer:
                    raise ProviderError(
                        f"{url} names the issuer {metadata.get('issuer')!r}, not "
                        f"{self.settings.issuer!r}: check ACCORD_OIDC_ISSUER"
                    )
                self._metadata = metadata
            return self._metadata

    def _key_set(self, refresh: bool) -> KeySet:
        from joserfc.errors import JoseError
        from joserfc.jwk import KeySet

        uri = self._endpoint("jwks_uri")
        with self._lock:
            if self._keys is None or refresh:
                try:
                    self._keys = KeySet.import_key_set(self._get_json(uri))  # type: ignore[arg-type]
                except (JoseError, ValueError, TypeError, KeyError) as error:
                    raise ProviderError(f"the keys at {uri} could not be read: {error}") from None
            return self._keys

    def _get_json(self, url: str) -> dict[str, Any]:
        try:
            with httpx.Client(timeout=HTTP_TIMEOUT, transport=self._transport) as client:
                response = client.get(url, headers={"Accept": "application/json"})
                response.raise_for_status()
                data = response.json()
        except (httpx.HTTPError, ValueError) as error:
            raise ProviderError(f"{url} could not be read: {error}") from None
        if not isinstance(data, dict):
            raise ProviderError(f"{url} is not a JSON object")
        return data


def check_role(settings: OidcSettings, claims: Mapping[str, Any]) -> None:
    """Refuse someone the role mapping keeps out: a refused value anywhere in the role claim,
    or (with a role claim set) no facilitator value in it."""
    if not settings.role_claim:
        return
    values = claim_values(claims, settings.role_claim)
    refused = sorted(values & set(settings.refused_roles))
    if refused:
        raise ForbiddenError(
            f"your company account may not sign in here: its {settings.role_claim!r} holds "
            f"{', '.join(refused)}, which is refused"
        )
    if not values & set(settings.facilitator_roles):
        held = ", ".join(sorted(values)) or "nothing"
        raise ForbiddenError(
            f"your company account is not a facilitator here: its {settings.role_claim!r} "
            f"holds {held}, and a facilitator needs one of "
            f"{', '.join(settings.facilitator_roles)}"
        )


def claim_values(claims: Mapping[str, Any], path: str) -> set[str]:
    """The string values at ``path`` (dots step into objects, e.g. ``realm_access.roles``);
    a single string counts as one value."""
    value: Any = claims
    for part in path.split("."):
        value = value.get(part) if isinstance(value, Mapping) else None
    if isinstance(value, str):
        return {value}
    if isinstance(value, list):
        return {item for item in value if isinstance(item, str)}
    return set()


def _jose_message(error: JoseError) -> str:
    claim = getattr(error, "claim", None)
    text = str(error.description or error.error)
    return f"{claim!r}: {text}" if claim else text
