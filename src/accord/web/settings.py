"""Where the web app keeps its data and how it signs cookies, read from the environment.

``ACCORD_DATABASE_URL`` (unset: ``sqlite:///accord.db``), ``ACCORD_REDIS_URL`` (unset:
in-process live updates only), ``ACCORD_SECRET_KEY`` (unset: a random key kept in
``accord-secret.key`` beside the SQLite file, or in the working folder, so sessions survive
a restart), ``ACCORD_SECURE_COOKIES=1`` behind HTTPS, ``ACCORD_SESSION_IDLE_SECONDS`` (unset:
8 hours without a request ends a session), ``ACCORD_SESSION_MAX_SECONDS`` (unset: 14 days
after sign-in, however active), ``ACCORD_PUBLIC_URL`` (the address people reach the app at,
for links in webhook deliveries) and ``ACCORD_WEBHOOK_ALLOW_PRIVATE=1`` (let webhooks post to
loopback and private addresses, e.g. a receiver on the same host; tracker connectors obey it
too), ``ACCORD_TRACKER_POLL_SECONDS`` (300: how often open tracker issues are polled).  Analyses:
``ACCORD_ANALYSIS_WORKERS`` (1 at once per process), ``ACCORD_ANALYSIS_QUEUE`` (4 more waiting,
then 503), ``ACCORD_ANALYSIS_WAIT_SECONDS``
(2: a view waits this long, then shows "computing…"), ``ACCORD_ANALYSIS_MAX_SECONDS`` (600)
and ``ACCORD_ANALYSIS_PROCESSES=0`` to compute on threads instead of child processes.
Sign-in (docs/sign-in.md): ``ACCORD_OIDC_*`` for company sign-in, ``ACCORD_PASSWORD_SIGNIN=0``
to turn password sign-in off, ``ACCORD_SMTP_*`` to mail invitation and reset links.
"""

from __future__ import annotations

import datetime as dt
import os
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine import make_url

from accord.io.loader import MAX_FILE_BYTES

DEFAULT_DATABASE_URL = "sqlite:///accord.db"
# One limit for every request body: a case file's own limit (docs/limits.md) plus room for
# the form around it (CSRF token, multipart boundaries and headers).
MAX_CASE_BYTES = MAX_FILE_BYTES
MAX_REQUEST_BYTES = MAX_CASE_BYTES + 64 * 1024
SECRET_FILE = "accord-secret.key"


@dataclass(frozen=True)
class OidcSettings:
    """One OpenID Connect provider: who it is, this app's client there, and which people it
    lets in (``role_claim``: a claim or ``groups``-like list; ``facilitator_roles``: the
    values that make someone a facilitator; ``refused_roles``: values that keep them out,
    whatever else they hold)."""

    issuer: str
    client_id: str
    client_secret: str = ""
    scopes: str = "openid email profile"
    name: str = "your company account"
    role_claim: str | None = None
    facilitator_roles: tuple[str, ...] = ()
    refused_roles: tuple[str, ...] = ()
    # Treat the provider's ``email`` as verified without an ``email_verified`` claim (some
    # company directories send none); never set this for a provider anyone can join.
    trust_email: bool = False

    def __post_init__(self) -> None:
        if not self.issuer.startswith(("https://", "http://")):
            raise ValueError(
                f"ACCORD_OIDC_ISSUER: {self.issuer!r} must start with https:// (or http://)"
            )
        if not self.client_id:
            raise ValueError("ACCORD_OIDC_CLIENT_ID: must be set with ACCORD_OIDC_ISSUER")
        if "openid" not in self.scopes.split():
            raise ValueError(f"ACCORD_OIDC_SCOPES: {self.scopes!r} must include 'openid'")
        if self.role_claim and not self.facilitator_roles:
            raise ValueError(
                "ACCORD_OIDC_FACILITATOR_ROLES: must name at least one value of "
                f"{self.role_claim!r} when ACCORD_OIDC_ROLE_CLAIM is set"
            )

    @classmethod
    def from_environ(cls, environ: Mapping[str, str]) -> OidcSettings | None:
        issuer = environ.get("ACCORD_OIDC_ISSUER", "").strip().rstrip("/")
        if not issuer:
            return None
        return cls(
            issuer=issuer,
            client_id=environ.get("ACCORD_OIDC_CLIENT_ID", "").strip(),
            client_secret=environ.get("ACCORD_OIDC_CLIENT_SECRET", ""),
            scopes=environ.get("ACCORD_OIDC_SCOPES", "").strip() or cls.scopes,
            name=environ.get("ACCORD_OIDC_NAME", "").strip() or cls.name,
            role_claim=environ.get("ACCORD_OIDC_ROLE_CLAIM", "").strip() or None,
            facilitator_roles=_names(environ.get("ACCORD_OIDC_FACILITATOR_ROLES", "")),
            refused_roles=_names(environ.get("ACCORD_OIDC_REFUSED_ROLES", "")),
            trust_email=environ.get("ACCORD_OIDC_TRUST_EMAIL", "") == "1",
        )


@dataclass(frozen=True)
class SmtpSettings:
    """The mail server invitation and reset links are sent through (``tls``: ``starttls``,
    ``ssl`` or ``none``)."""

    host: str
    sender: str
    port: int = 587
    username: str = ""
    password: str = ""
    tls: str = "starttls"

    def __post_init__(self) -> None:
        if self.tls not in ("starttls", "ssl", "none"):
            raise ValueError(f"ACCORD_SMTP_TLS: {self.tls!r} is not one of starttls, ssl, none")
        if "@" not in self.sender:
            raise ValueError(
                f"ACCORD_SMTP_FROM: {self.sender!r} is not an email address (must be set "
                "with ACCORD_SMTP_HOST)"
            )

    @classmethod
    def from_environ(cls, environ: Mapping[str, str]) -> SmtpSettings | None:
        host = environ.get("ACCORD_SMTP_HOST", "").strip()
        if not host:
            return None
        return cls(
            host=host,
            sender=environ.get("ACCORD_SMTP_FROM", "").strip(),
            port=_whole(environ, "ACCORD_SMTP_PORT", cls.port, "port number"),
            username=environ.get("ACCORD_SMTP_USERNAME", ""),
            password=environ.get("ACCORD_SMTP_PASSWORD", ""),
            tls=environ.get("ACCORD_SMTP_TLS", "").strip() or cls.tls,
        )


@dataclass(frozen=True)
class Settings:
    database_url: str = DEFAULT_DATABASE_URL
    redis_url: str | None = None
    secret_key: str = ""
    secure_cookies: bool = False
    session_idle_seconds: int = 8 * 3600
    session_max_seconds: int = 14 * 24 * 3600
    # Failed sign-ins before a lock (per account; per client address, which several people
    # behind one gateway share), and password checks allowed at once (argon2id takes tens of
    # MB and ms each, so more than the cores only queues and swells memory).
    signin_account_failures: int = 5
    signin_address_failures: int = 20
    max_concurrent_hashes: int = 2
    # Analyses off the request path (accord.web.analysis_jobs): jobs computing at once and
    # waiting per process, how long a view waits before showing "computing…", when a job
    # nobody asks about is cancelled, the most one may take, and whether jobs run in a
    # child process (killable, no GIL shared with requests) or on a thread.
    analysis_workers: int = 1
    analysis_queue: int = 4
    analysis_wait_seconds: float = 2.0
    analysis_abandon_seconds: int = 15
    analysis_max_seconds: int = 600
    analysis_processes: bool = True
    public_url: str | None = None
    webhook_allow_private: bool = False
    # Seconds before the first retry of a failed webhook delivery (then x3 each time).
    webhook_retry_base: float = 10.0
    webhook_poll_seconds: float = 5.0
    # Tracker connectors: seconds between rounds (issues to create, records to publish) and
    # between polls of open issues for their done state (ACCORD_TRACKER_POLL_SECONDS).
    tracker_tick_seconds: float = 15.0
    tracker_poll_seconds: float = 300.0
    # Company sign-in (OpenID Connect, accord.web.oidc); off while ``oidc_issuer`` is unset.
    oidc: OidcSettings | None = None
    # Password sign-in, invitations and password reset; off when the company's provider is
    # the only way in.
    password_signin: bool = True
    # Where invitation and reset links are mailed from; unset: links are only shown/printed.
    smtp: SmtpSettings | None = None
    invitation_hours: int = 72
    reset_minutes: int = 60

    def __post_init__(self) -> None:
        for name in (
            "session_idle_seconds",
            "session_max_seconds",
            "signin_account_failures",
            "signin_address_failures",
            "max_concurrent_hashes",
            "analysis_workers",
            "analysis_abandon_seconds",
            "analysis_max_seconds",
            "invitation_hours",
            "reset_minutes",
        ):
            if getattr(self, name) <= 0:
                raise ValueError(f"{name}: must be a positive whole number")
        if self.analysis_queue < 0 or self.analysis_wait_seconds < 0:
            raise ValueError("analysis_queue and analysis_wait_seconds: must not be negative")

    @classmethod
    def from_environ(cls, environ: Mapping[str, str] = os.environ) -> Settings:
        url = environ.get("ACCORD_DATABASE_URL") or DEFAULT_DATABASE_URL
        secret = environ.get("ACCORD_SECRET_KEY") or stored_secret(secret_folder(url))
        return cls(
            database_url=url,
            redis_url=environ.get("ACCORD_REDIS_URL") or None,
            secret_key=secret,
            secure_cookies=environ.get("ACCORD_SECURE_COOKIES", "") == "1",
            session_idle_seconds=_seconds(
                environ, "ACCORD_SESSION_IDLE_SECONDS", cls.session_idle_seconds
            ),
            session_max_seconds=_seconds(
                environ, "ACCORD_SESSION_MAX_SECONDS", cls.session_max_seconds
            ),
            analysis_workers=_seconds(environ, "ACCORD_ANALYSIS_WORKERS", cls.analysis_workers),
            analysis_queue=_seconds(environ, "ACCORD_ANALYSIS_QUEUE", cls.analysis_queue),
            analysis_wait_seconds=_seconds(
                environ, "ACCORD_ANALYSIS_WAIT_SECONDS", int(cls.analysis_wait_seconds)
            ),
            analysis_max_seconds=_seconds(
                environ, "ACCORD_ANALYSIS_MAX_SECONDS", cls.analysis_max_seconds
            ),
            analysis_processes=environ.get("ACCORD_ANALYSIS_PROCESSES", "1") != "0",
            public_url=_public_url(environ.get("ACCORD_PUBLIC_URL", "")),
            webhook_allow_private=environ.get("ACCORD_WEBHOOK_ALLOW_PRIVATE", "") == "1",
            tracker_poll_seconds=_seconds(
                environ, "ACCORD_TRACKER_POLL_SECONDS", int(cls.tracker_poll_seconds)
            ),
            oidc=OidcSettings.from_environ(environ),
            password_signin=environ.get("ACCORD_PASSWORD_SIGNIN", "1") != "0",
            smtp=SmtpSettings.from_environ(environ),
            invitation_hours=_whole(
                environ, "ACCORD_INVITATION_HOURS", cls.invitation_hours, "number of hours"
            ),
            reset_minutes=_whole(
                environ, "ACCORD_RESET_MINUTES", cls.reset_minutes, "number of minutes"
            ),
        )

    @property
    def session_idle(self) -> dt.timedelta:
        return dt.timedelta(seconds=self.session_idle_seconds)

    @property
    def session_lifetime(self) -> dt.timedelta:
        return dt.timedelta(seconds=self.session_max_seconds)

    @property
    def invitation_lifetime(self) -> dt.timedelta:
        return dt.timedelta(hours=self.invitation_hours)

    @property
    def reset_lifetime(self) -> dt.timedelta:
        return dt.timedelta(minutes=self.reset_minutes)


def _seconds(environ: Mapping[str, str], name: str, default: int) -> int:
    text = environ.get(name, "").strip()
    if not text:
        return default
    if not text.isdigit():
        raise ValueError(f"{name}: {text!r} is not a whole number of seconds")
    return int(text)


def _whole(environ: Mapping[str, str], name: str, default: int, unit: str) -> int:
    text = environ.get(name, "").strip()
    if not text:
        return default
    if not text.isdigit():
        raise ValueError(f"{name}: {text!r} is not a whole {unit}")
    return int(text)


def _names(text: str) -> tuple[str, ...]:
    return tuple(name.strip() for name in text.split(",") if name.strip())


def _public_url(text: str) -> str | None:
    text = text.strip().rstrip("/")
    if not text:
        return None
    if not text.startswith(("http://", "https://")):
        raise ValueError(f"ACCORD_PUBLIC_URL: {text!r} must start with http:// or https://")
    return text


def secret_folder(database_url: str) -> Path:
    """The SQLite file's folder, else the working folder."""
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite" and url.database not in (None, "", ":memory:"):
        return Path(str(url.database)).resolve().parent
    return Path.cwd()


def stored_secret(folder: Path) -> str:
    """The key in ``folder/accord-secret.key``, created (mode 0600) when missing."""
    path = folder / SECRET_FILE
    try:
        existing = path.read_text(encoding="ascii").strip()
    except FileNotFoundError:
        existing = ""
    if len(existing) >= 32:
        return existing
    key = secrets.token_urlsafe(48)
    folder.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="ascii") as handle:
        handle.write(key + "\n")
    return key
