"""Sign-up by invitation and password reset by a one-time link (password sign-in only).

A facilitator invites someone from ``/settings/invitations`` (or ``accord facilitator
invite``); the link is shown once and mailed when SMTP is configured.  Anyone may ask for a
reset at ``/reset``: the answer is the same whether or not the account exists, and the link
goes only by mail (``accord facilitator reset`` prints one for an administrator), never onto
the page.  Guessing at link tokens is throttled per client address like sign-in.
"""

from __future__ import annotations

import secrets

from fastapi import APIRouter, BackgroundTasks, Form, Request
from fastapi.responses import RedirectResponse, Response

from accord.errors import AccordError, ForbiddenError, InputError, NotFoundError
from accord.store import account_links
from accord.store.tables import Facilitator
from accord.web import mailer
from accord.web.app import page
from accord.web.deps import SignedIn, require_csrf, session_csrf, settings_of, store_of, token_csrf
from accord.web.routes.auth import PRE_SESSION_COOKIE, open_signed_in_session, signed_in_response
from accord.web.settings import Settings
from accord.web.shown_once import ShownOnce
from accord.web.throttle import Limit, SignInThrottle

router = APIRouter()

INVITATIONS = "/settings/invitations"
NEW_LINK = ShownOnce("accord_new_invitation")


def _password_signin(request: Request) -> Settings:
    settings = settings_of(request)
    if not settings.password_signin:
        raise ForbiddenError(
            "password sign-in is turned off here, and with it invitations and password "
            "resets: people sign in with their company account"
        )
    return settings


def link_url(settings: Settings, base_url: str, kind: str, raw: str) -> str:
    """The address of an invitation (``invite``) or reset (``reset``) link."""
    return f"{(settings.public_url or base_url).rstrip('/')}/{kind}/{raw}"


def _address_keys(request: Request, settings: Settings) -> dict[str, Limit]:
    host = request.client.host if request.client else "unknown"
    return {"link-address:" + host: Limit(settings.signin_address_failures)}


def _throttled(request: Request, keys: dict[str, Limit]) -> None:
    throttle: SignInThrottle = request.app.state.signin_throttle
    wait = throttle.retry_after(keys)
    if wait:
        raise TooMany(f"too many tries with links that do not work: try again in {wait} s", wait)


class TooMany(AccordError):
    """A throttled address or account; the page says when to try again."""

    http_status = 429
    kind = "throttled"

    def __init__(self, message: str, wait: int) -> None:
        super().__init__(message)
        self.wait = wait


# --- invitations ------------------------------------------------------------------------


def _invitations_page(
    request: Request,
    owner: Facilitator,
    new_link: str | None = None,
    error: AccordError | None = None,
    mailed: str | None = None,
) -> Response:
    settings = settings_of(request)
    context = {
        "owner": owner,
        "csrf": session_csrf(request),
        "new_link": new_link,
        "mailed": mailed,
        "error": error,
        "hours": settings.invitation_hours,
        "smtp": settings.smtp is not None,
    }
    return page(request, "invitations.html", context, status_code=400 if error else 200)


@router.get(INVITATIONS)
def invitations_page(request: Request, owner: SignedIn) -> Response:
    _password_signin(request)
    link, _, mailed = (NEW_LINK.sent(request) or "").partition(" ")
    shown = link if link.startswith(("http://", "https://")) else None
    response = _invitations_page(request, owner, new_link=shown, mailed=mailed or None)
    return NEW_LINK.forget(request, response, path=INVITATIONS)


@router.post(INVITATIONS)
def invite(
    request: Request, owner: SignedIn, email: str = Form(""), csrf: str = Form("")
) -> Response:
    require_csrf(session_csrf(request), csrf)
    settings = _password_signin(request)
    try:
        with store_of(request).session() as session:
            row, raw = account_links.invite(session, email, owner.id, settings.invitation_lifetime)
            address = row.email
    except AccordError as error:
        return _invitations_page(request, owner, error=error)
    link = link_url(settings, str(request.base_url), "invite", raw)
    mailed = ""
    if settings.smtp is not None:
        subject, body = mailer.invitation_text(link, owner.display_name, settings.invitation_hours)
        try:
            mailer.send(settings.smtp, address, subject, body)
            mailed = address
        except mailer.MailError as error:
            return _invitations_page(request, owner, new_link=link, error=error)
    return NEW_LINK.redirect(request, INVITATIONS, f"{link} {mailed}".strip(), path=INVITATIONS)


@router.get("/invite/{token}")
def invitation_form(request: Request, token: str) -> Response:
    email = _live_link_email(request, "invitation", token)
    return _link_page(request, "invitation.html", token, email)


@router.post("/invite/{token}")
def accept_invitation(
    request: Request,
    token: str,
    name: str = Form(""),
    password: str = Form(""),
    confirm: str = Form(""),
    csrf: str = Form(""),
) -> Response:
    require_csrf(token_csrf(request, token), csrf)
    email = _live_link_email(request, "invitation", token)
    try:
        _same_passwords(password, confirm)
        with store_of(request).session() as session:
            made = account_links.accept_invitation(session, token, password, name.strip())
            value = open_signed_in_session(request, session, made.id)
    except InputError as error:
        return _link_page(request, "invitation.html", token, email, error)
    return signed_in_response(request, value, PRE_SESSION_COOKIE)


# --- password reset ---------------------------------------------------------------------


def _reset_request_csrf(request: Request, pre: str) -> str:
    from accord.web import security

    return security.csrf_token(settings_of(request).secret_key, "reset|" + pre)


@router.get("/reset")
def reset_request_form(request: Request) -> Response:
    settings = _password_signin(request)
    return _reset_request_page(request, settings)


def _reset_request_page(
    request: Request, settings: Settings, sent_to: str | None = None
) -> Response:
    pre = request.cookies.get(PRE_SESSION_COOKIE) or secrets.token_urlsafe(24)
    context = {
        "csrf": _reset_request_csrf(request, pre),
        "smtp": settings.smtp is not None,
        "sent_to": sent_to,
        "minutes": settings.reset_minutes,
    }
    response = page(request, "reset_request.html", context)
    response.set_cookie(
        PRE_SESSION_COOKIE, pre, httponly=True, samesite="lax", secure=settings.secure_cookies
    )
    return response


@router.post("/reset")
def reset_request(
    request: Request, background: BackgroundTasks, email: str = Form(""), csrf: str = Form("")
) -> Response:
    pre = request.cookies.get(PRE_SESSION_COOKIE, "")
    require_csrf(_reset_request_csrf(request, pre), csrf if pre else None)
    settings = _password_signin(request)
    address = email.strip().lower()[:254]
    if not address:
        raise InputError("email: give the email address of your account")
    if settings.smtp is None:
        # Nothing can be sent, so nothing is made: the page says who can help.
        return _reset_request_page(request, settings, sent_to=address)
    host = request.client.host if request.client else "unknown"
    # Every request may send a mail: counting each one bounds the mail a stranger can send
    # to one address, and from one address.
    keys = {
        "reset-account:" + address: Limit(settings.signin_account_failures),
        "reset-address:" + host: Limit(settings.signin_address_failures),
    }
    _throttled(request, keys)
    request.app.state.signin_throttle.failed(keys)
    with store_of(request).session() as session:
        made = account_links.request_reset(session, address, settings.reset_lifetime)
    if made is not None:
        link = link_url(settings, str(request.base_url), "reset", made[1])
        subject, body = mailer.reset_text(link, settings.reset_minutes)
        # Sent after the answer, so its time does not tell whether the account exists.
        background.add_task(_send_quietly, settings, address, subject, body)
    return _reset_request_page(request, settings, sent_to=address)


def _send_quietly(settings: Settings, to: str, subject: str, body: str) -> None:
    import logging

    assert settings.smtp is not None
    try:
        mailer.send(settings.smtp, to, subject, body)
    except mailer.MailError as error:
        logging.getLogger("accord.web").warning("%s", error)


@router.get("/reset/{token}")
def reset_form(request: Request, token: str) -> Response:
    email = _live_link_email(request, "reset", token)
    return _link_page(request, "reset.html", token, email)


@router.post("/reset/{token}")
def reset_password(
    request: Request,
    token: str,
    password: str = Form(""),
    confirm: str = Form(""),
    csrf: str = Form(""),
) -> Response:
    require_csrf(token_csrf(request, token), csrf)
    email = _live_link_email(request, "reset", token)
    try:
        _same_passwords(password, confirm)
        with store_of(request).session() as session:
            account_links.reset_password(session, token, password)
    except InputError as error:
        return _link_page(request, "reset.html", token, email, error)
    return RedirectResponse("/login?reset=done", status_code=303)


# --- what both kinds of link share --------------------------------------------------------


def _live_link_email(request: Request, kind: account_links.Kind, token: str) -> str:
    """The email address of the live ``kind`` link ``token`` (404 when it is not one),
    counting a link that does not work as a failed try of this client address."""
    settings = _password_signin(request)
    keys = _address_keys(request, settings)
    _throttled(request, keys)
    with store_of(request).session() as session:
        try:
            return account_links.live_link(session, kind, token).email
        except NotFoundError:
            request.app.state.signin_throttle.failed(keys)
            raise


def _same_passwords(password: str, confirm: str) -> None:
    if password != confirm:
        raise InputError("confirm: the passwords differ")


def _link_page(
    request: Request, template: str, token: str, email: str, error: AccordError | None = None
) -> Response:
    """The form a link opens (choose a name and password, or a new password)."""
    context = {"csrf": token_csrf(request, token), "email": email, "token": token, "error": error}
    return page(request, template, context, status_code=400 if error else 200)
