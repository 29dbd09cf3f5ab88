"""Every route of the real app × every kind of caller: the expected status, nothing leaked,
nothing written by a refused request.

The routes come from ``app.routes``, so a route added anywhere (pages, the JSON API, the
case builder) fails :func:`test_every_route_is_classified` until it has a row in ``ROUTES``
below.  Each caller is a principal: what their browser holds (a session cookie, a link in
the URL).  Expectations follow from a route's guard, the :class:`Policy`:

- ``CASE``: a case or one of its workshops, for a facilitator whose role on the case (owner,
  editor, viewer: :mod:`accord.web.access`) allows the row's ``action``; a member whose role
  does not is refused (403, "nothing changed"), a facilitator with no role gets 404 (as if it
  did not exist), anyone without a live session is sent to ``/login``;
- ``OWNER``: something of one facilitator's own (an API token, a webhook) or a case route
  that has no roles yet: everyone else, co-facilitators too, gets 404;
- ``SIGNED_IN``: any signed-in facilitator, on their own data (their case list, an upload);
- ``STAKEHOLDER``: a stakeholder link's form; any live stakeholder link opens its own case's
  form (the URL names no case), everyone else gets 403;
- ``PARTICIPANT``: a workshop participant's link; only a live, joined participant works;
- ``FEED``: a calendar feed's link; any other link, or none, gets 404;
- ``PUBLIC`` / ``SESSION``: anyone (sign-in, static files) / ends whatever session is sent;
- ``API_CASE`` / ``API_OWNER`` / ``API_SIGNED_IN``: the JSON API (``/api/v1``), as ``CASE`` /
  ``OWNER`` / ``SIGNED_IN`` but for a facilitator's API token within its scopes too (a token
  acts with its facilitator's role), and answering 401 (not a redirect) to anyone else; a
  token without the rule's scope gets 403.

After every refused request the database is exactly as before (a requester's own session
bookkeeping aside), and no body names a case its caller has no right to see.
"""

from __future__ import annotations

import enum
import json
import secrets
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from starlette.routing import Mount, Route
from tests.web.conftest import EXAMPLES, PASSWORD, Web, running_web

from accord.store import members, repository, sessions, tokens, trackers, webhooks
from accord.store.members import Role
from accord.store.tables import Base, CaseRecord, WebhookDelivery
from accord.web import access, security
from accord.web.access import Action
from accord.web.routes.auth import PRE_SESSION_COOKIE
from accord.web.throttle import SignInThrottle

OWNER_MARK = "Owner-Marker-7f3a"
OTHER_MARK = "Other-Marker-c91e"
#: A form value that becomes the email of a facilitator with no role on the case yet.
NEWCOMER = "<newcomer's email>"
GROWTH = (EXAMPLES / "growth-vs-margin.yaml").read_text(encoding="utf-8")
# A tracker nobody can reach: the connector's rows answer without any real request.
TRACKER_URL = "https://github.example.invalid"


class Policy(enum.Enum):
    PUBLIC = "anyone"
    SESSION = "ends the session it is sent"
    SIGNED_IN = "any signed-in facilitator, on their own data"
    CASE = "a signed-in facilitator whose role on the case allows the rule's action"
    OWNER = "the signed-in owner (of the API token, webhook, or a case route without roles)"
    STAKEHOLDER = "a live stakeholder link of the case"
    PARTICIPANT = "a live, joined participant link of the workshop"
    API_CASE = "a facilitator whose role allows the action, by session or API token (scope)"
    API_OWNER = "the owner of the case or workshop, by session or API token (with the scope)"
    API_SIGNED_IN = "any facilitator, by session or API token (with the scope), on their own data"
    FEED = "a live calendar feed link of the case"


@dataclass(frozen=True)
class Rule:
    policy: Policy
    allowed: int  # the status the rightful caller gets
    form: dict[str, str] = field(default_factory=dict)  # besides the CSRF token
    stream: bool = False  # an event stream: read the head, then hang up
    path: str | None = None  # the URL, when the route is a mount (static files)
    scope: str = "read"  # the API token scope the route needs (API policies)
    json: Any = None  # an API request's JSON body
    yaml: str | None = None  # an API request's YAML body; "{nonce}" becomes a fresh hex string
    action: Action | None = None  # what a CASE / API_CASE route does to the case


# One row per (method, path) of the app.  A new route fails the classification test until
# it has a row here; a row whose route is gone fails it too.
ROUTES: dict[tuple[str, str], Rule] = {
    ("GET", "/openapi.json"): Rule(Policy.PUBLIC, 200),
    ("GET", "/login"): Rule(Policy.PUBLIC, 200),
    ("POST", "/login"): Rule(Policy.PUBLIC, 303),
    ("POST", "/logout"): Rule(Policy.SESSION, 303),
    ("POST", "/logout/everywhere"): Rule(Policy.SESSION, 303),
    ("GET", "/static"): Rule(Policy.PUBLIC, 200, path="/static/accord.css"),
    # No OpenID provider is configured here, so company sign-in is not there for anyone
    # (tests/web/test_oidc.py signs in through a real one).
    ("GET", "/login/oidc"): Rule(Policy.PUBLIC, 404),
    ("GET", "/login/oidc/callback"): Rule(Policy.PUBLIC, 404),
    ("GET", "/reset"): Rule(Policy.PUBLIC, 200),
    ("POST", "/reset"): Rule(Policy.PUBLIC, 200, {"email": "fac@example.org"}),
    # The links the matrix holds are no invitation or reset link, so every caller is told the
    # link is not valid (tests/web/test_account_links.py follows real ones).
    ("GET", "/invite/{token}"): Rule(Policy.PUBLIC, 404),
    ("POST", "/invite/{token}"): Rule(
        Policy.PUBLIC, 404, {"password": "a new password", "confirm": "a new password"}
    ),
    ("GET", "/reset/{token}"): Rule(Policy.PUBLIC, 404),
    ("POST", "/reset/{token}"): Rule(
        Policy.PUBLIC, 404, {"password": "a new password", "confirm": "a new password"}
    ),
    ("GET", "/settings/invitations"): Rule(Policy.SIGNED_IN, 200),
    ("POST", "/settings/invitations"): Rule(
        Policy.SIGNED_IN, 303, {"email": "invitee@example.org"}
    ),
    ("GET", "/"): Rule(Policy.SIGNED_IN, 200),
    ("POST", "/cases"): Rule(Policy.SIGNED_IN, 303, {"source": GROWTH}),
    ("GET", "/cases/{case_id}"): Rule(Policy.CASE, 200, action=Action.READ),
    ("GET", "/cases/{case_id}/analysis.json"): Rule(Policy.CASE, 200, action=Action.READ),
    ("GET", "/cases/{case_id}/report"): Rule(Policy.CASE, 200, action=Action.READ),
    ("GET", "/cases/{case_id}/analysis/progress"): Rule(Policy.CASE, 200, action=Action.READ),
    ("POST", "/cases/{case_id}/tokens"): Rule(
        Policy.CASE, 303, {"stakeholder_id": "cfo"}, action=Action.EDIT
    ),
    ("POST", "/cases/{case_id}/tokens/{token_id}/revoke"): Rule(
        Policy.CASE, 303, action=Action.EDIT
    ),
    ("POST", "/cases/{case_id}/workshops"): Rule(
        Policy.CASE, 303, {"title": "Another"}, action=Action.RUN_WORKSHOP
    ),
    ("GET", "/workshops/{workshop_id}"): Rule(Policy.CASE, 200, action=Action.RUN_WORKSHOP),
    ("POST", "/workshops/{workshop_id}/links"): Rule(
        Policy.CASE, 303, {"label": "Extra"}, action=Action.RUN_WORKSHOP
    ),
    ("POST", "/workshops/{workshop_id}/commands"): Rule(
        Policy.CASE,
        204,
        {"kind": "parked", "text": "Later", "owner": "facilitator"},
        action=Action.RUN_WORKSHOP,
    ),
    ("GET", "/workshops/{workshop_id}/events"): Rule(
        Policy.CASE, 200, stream=True, action=Action.RUN_WORKSHOP
    ),
    ("GET", "/workshops/{workshop_id}/close"): Rule(Policy.CASE, 200, action=Action.RUN_WORKSHOP),
    ("POST", "/workshops/{workshop_id}/links/{token_id}/revoke"): Rule(
        Policy.CASE, 303, action=Action.RUN_WORKSHOP
    ),
    ("GET", "/workshops/{workshop_id}/summary"): Rule(Policy.CASE, 200, action=Action.READ),
    ("GET", "/workshops/{workshop_id}/summary.md"): Rule(Policy.CASE, 200, action=Action.READ),
    ("GET", "/workshops/{workshop_id}/summary.pdf"): Rule(Policy.CASE, 200, action=Action.READ),
    ("GET", "/workshops/{workshop_id}/actions.csv"): Rule(Policy.CASE, 200, action=Action.READ),
    ("GET", "/workshops/{workshop_id}/actions.ics"): Rule(Policy.CASE, 200, action=Action.READ),
    ("GET", "/cases/new"): Rule(Policy.SIGNED_IN, 200),
    ("POST", "/cases/new"): Rule(Policy.SIGNED_IN, 303, {"template": "workshop", "title": "M"}),
    ("GET", "/cases/{case_id}/build"): Rule(Policy.CASE, 303, action=Action.EDIT),
    ("GET", "/cases/{case_id}/build/{section}"): Rule(Policy.CASE, 200, action=Action.EDIT),
    # An entry added to the form (re-rendered, not saved): the guard is what is under test.
    ("POST", "/cases/{case_id}/build/{section}"): Rule(
        Policy.CASE,
        200,
        {"action": "add:stakeholders"},
        action=Action.EDIT,
    ),
    ("GET", "/cases/{case_id}/case.yaml"): Rule(Policy.CASE, 200, action=Action.READ),
    ("GET", "/cases/{case_id}/revisions/{number}.yaml"): Rule(Policy.CASE, 200, action=Action.READ),
    ("GET", "/cases/{case_id}/history"): Rule(Policy.CASE, 200, action=Action.READ),
    ("GET", "/cases/{case_id}/diff"): Rule(Policy.CASE, 200, action=Action.READ),
    ("GET", "/i/{token}"): Rule(Policy.STAKEHOLDER, 200),
    ("POST", "/i/{token}"): Rule(Policy.STAKEHOLDER, 200, {"rating.segment-split": "7"}),
    ("POST", "/i/{token}/consistency"): Rule(
        Policy.STAKEHOLDER, 200, {"ahp.new-arr-smb.new-arr-ent": "3"}
    ),
    ("GET", "/w/{token}"): Rule(Policy.PARTICIPANT, 200),
    ("POST", "/w/{token}/join"): Rule(Policy.PARTICIPANT, 303, {"name": "Ada again"}),
    ("POST", "/w/{token}/commands"): Rule(
        Policy.PARTICIPANT, 204, {"kind": "idea_added", "text": "An idea"}
    ),
    ("GET", "/w/{token}/events"): Rule(Policy.PARTICIPANT, 200, stream=True),
    ("GET", "/settings/tokens"): Rule(Policy.SIGNED_IN, 200),
    ("POST", "/settings/tokens"): Rule(Policy.SIGNED_IN, 303, {"name": "ci", "scope": "read"}),
    ("POST", "/settings/tokens/{api_token_id}/revoke"): Rule(Policy.OWNER, 303),
    ("GET", "/api/v1/openapi.json"): Rule(Policy.PUBLIC, 200),
    ("GET", "/healthz"): Rule(Policy.PUBLIC, 200),
    ("GET", "/api/v1/cases"): Rule(Policy.API_SIGNED_IN, 200),
    ("POST", "/api/v1/cases"): Rule(
        Policy.API_SIGNED_IN,
        201,
        scope="write",
        yaml=GROWTH.replace("id: growth-vs-margin", "id: api-{nonce}", 1),
    ),
    ("GET", "/api/v1/cases/{case_id}"): Rule(Policy.API_CASE, 200, action=Action.READ),
    ("PUT", "/api/v1/cases/{case_id}"): Rule(
        Policy.API_CASE,
        200,
        scope="write",
        yaml=GROWTH.replace("dots_budget: 5", "dots_budget: 6"),
        action=Action.EDIT,
    ),
    ("GET", "/api/v1/cases/{case_id}/case.yaml"): Rule(Policy.API_CASE, 200, action=Action.READ),
    ("GET", "/api/v1/cases/{case_id}/revisions"): Rule(Policy.API_CASE, 200, action=Action.READ),
    ("GET", "/api/v1/cases/{case_id}/links"): Rule(Policy.API_CASE, 200, action=Action.READ),
    ("POST", "/api/v1/cases/{case_id}/links"): Rule(
        Policy.API_CASE,
        201,
        scope="write",
        json={"stakeholder_id": "cfo"},
        action=Action.EDIT,
    ),
    ("DELETE", "/api/v1/cases/{case_id}/links/{link_id}"): Rule(
        Policy.API_CASE,
        200,
        scope="write",
        action=Action.EDIT,
    ),
    ("GET", "/api/v1/cases/{case_id}/inputs"): Rule(Policy.API_CASE, 200, action=Action.READ),
    ("PUT", "/api/v1/cases/{case_id}/inputs/{stakeholder_id}"): Rule(
        Policy.API_CASE,
        200,
        scope="write",
        json={"ratings": {"segment-split": 7}},
        action=Action.EDIT,
    ),
    ("GET", "/api/v1/cases/{case_id}/analysis"): Rule(Policy.API_CASE, 200, action=Action.READ),
    ("GET", "/api/v1/cases/{case_id}/report"): Rule(Policy.API_CASE, 200, action=Action.READ),
    ("GET", "/api/v1/cases/{case_id}/decisions"): Rule(Policy.API_CASE, 200, action=Action.READ),
    ("GET", "/api/v1/cases/{case_id}/actions"): Rule(Policy.API_CASE, 200, action=Action.READ),
    ("GET", "/api/v1/cases/{case_id}/workshops"): Rule(Policy.API_CASE, 200, action=Action.READ),
    ("POST", "/api/v1/cases/{case_id}/workshops"): Rule(
        Policy.API_CASE,
        201,
        scope="workshop",
        json={"title": "By the API"},
        action=Action.RUN_WORKSHOP,
    ),
    ("GET", "/api/v1/workshops/{workshop_id}"): Rule(
        Policy.API_CASE, 200, action=Action.RUN_WORKSHOP
    ),
    ("POST", "/api/v1/workshops/{workshop_id}/commands"): Rule(
        Policy.API_CASE,
        200,
        scope="workshop",
        json={"kind": "parked", "payload": {"text": "Later", "owner": "facilitator"}},
        action=Action.RUN_WORKSHOP,
    ),
    ("POST", "/api/v1/workshops/{workshop_id}/links"): Rule(
        Policy.API_CASE,
        201,
        scope="workshop",
        json={"label": "Extra"},
        action=Action.RUN_WORKSHOP,
    ),
    ("GET", "/cal/{token}.ics"): Rule(Policy.FEED, 200),
    ("GET", "/cases/{case_id}/calendar"): Rule(Policy.CASE, 200, action=Action.EDIT),
    ("POST", "/cases/{case_id}/calendar"): Rule(Policy.CASE, 303, action=Action.EDIT),
    ("POST", "/cases/{case_id}/calendar/{feed_id}/revoke"): Rule(
        Policy.CASE, 303, action=Action.EDIT
    ),
    ("GET", "/cases/{case_id}/people"): Rule(Policy.CASE, 200, action=Action.READ),
    ("POST", "/cases/{case_id}/people"): Rule(
        Policy.CASE, 303, {"email": NEWCOMER, "role": "viewer"}, action=Action.MANAGE_PEOPLE
    ),
    ("POST", "/cases/{case_id}/people/{member_id}/role"): Rule(
        Policy.CASE, 303, {"role": "editor"}, action=Action.MANAGE_PEOPLE
    ),
    # After the role row: the owner's remove takes away the member the rows above address.
    ("POST", "/cases/{case_id}/people/{member_id}/remove"): Rule(
        Policy.CASE, 303, action=Action.MANAGE_PEOPLE
    ),
    # The owner's request lacks the typed confirmation (400, nothing handed over), so the
    # case keeps its owner for the rows after; the guard is what is under test.
    ("POST", "/cases/{case_id}/people/transfer"): Rule(
        Policy.CASE, 400, {"confirm": "not-the-id"}, action=Action.TRANSFER
    ),
    ("GET", "/webhooks"): Rule(Policy.SIGNED_IN, 200),
    ("POST", "/webhooks"): Rule(
        Policy.SIGNED_IN, 303, {"url": "https://hooks.example.com/b", "events": "review.due"}
    ),
    ("GET", "/webhooks/{webhook_id}"): Rule(Policy.OWNER, 200),
    ("POST", "/webhooks/{webhook_id}/secret"): Rule(Policy.OWNER, 200),
    ("POST", "/webhooks/{webhook_id}/rotate"): Rule(Policy.OWNER, 200),
    ("POST", "/webhooks/{webhook_id}/test"): Rule(Policy.OWNER, 303),
    ("POST", "/webhooks/{webhook_id}/deliveries/{row_id}/again"): Rule(Policy.OWNER, 303),
    # Last of the webhook rows: the owner's delete removes what the rows above address.
    ("POST", "/webhooks/{webhook_id}/delete"): Rule(Policy.OWNER, 303),
    ("GET", "/cases/{case_id}/connectors"): Rule(Policy.CASE, 200, action=Action.EDIT),
    ("POST", "/cases/{case_id}/connectors"): Rule(
        Policy.CASE,
        303,
        {"kind": "github", "repo": "acme/other", "token": "t2", "base_url": TRACKER_URL},
        action=Action.EDIT,
    ),
    ("POST", "/cases/{case_id}/connectors/test"): Rule(Policy.CASE, 303, action=Action.EDIT),
    ("POST", "/cases/{case_id}/connectors/sync"): Rule(Policy.CASE, 303, action=Action.EDIT),
    ("POST", "/cases/{case_id}/connectors/github-secret"): Rule(
        Policy.CASE, 200, action=Action.EDIT
    ),
    # GitHub's webhook: what guards it is GitHub's signature, which no principal here holds.
    ("POST", "/hooks/github/{connector_id}"): Rule(Policy.PUBLIC, 401),
    # Last of the connector rows: the owner's disconnect removes what the rows above use.
    ("POST", "/cases/{case_id}/connectors/delete"): Rule(Policy.CASE, 303, action=Action.EDIT),
}

WHERE = "tests/web/test_matrix.py, ROUTES"


def app_routes(web: Web) -> set[tuple[str, str]]:
    """(method, path) of every route the app serves; a mount counts as a GET of its path."""
    return set(_walk(web.client.app.routes, ""))  # type: ignore[attr-defined]


def _walk(routes: list[Any], prefix: str) -> Iterator[tuple[str, str]]:
    for route in routes:
        included = getattr(route, "original_router", None)
        if included is not None:  # FastAPI >= 0.165 keeps included routers as one entry
            context = getattr(route, "include_context", None)
            yield from _walk(included.routes, prefix + getattr(context, "prefix", ""))
        elif isinstance(route, Mount):
            yield "GET", prefix + route.path
        elif isinstance(route, APIRoute | Route):
            for method in route.methods or ():
                if method != "HEAD":
                    yield method, prefix + route.path
        else:  # a websocket or something new: it needs a row (and a policy) too
            yield type(route).__name__, prefix + str(getattr(route, "path", route))


def test_every_route_is_classified(web: Web) -> None:
    served = app_routes(web)
    missing = sorted(served - ROUTES.keys())
    stale = sorted(ROUTES.keys() - served)
    assert not missing, (
        f"routes with no row in the route x principal matrix: {missing}; add each to "
        f"{WHERE} with the policy that guards it and the status its rightful caller gets"
    )
    assert not stale, f"rows for routes the app no longer has: {stale}; remove them from {WHERE}"


# --- the world every principal looks at ------------------------------------------------


@dataclass
class World:
    web: Web
    owner_id: int
    other_id: int
    case_id: int
    workshop_id: int
    victim_token_id: int  # a live stakeholder link the revoke route aims at
    links: dict[str, str]  # principal name -> raw token
    victim_api_token_id: int = 0  # an API token of the owner the revoke route aims at
    webhook_id: int = 0  # the owner's webhook, and a delivery in its log
    delivery_row_id: int = 0
    feed_id: int = 0  # a live calendar feed the revoke route aims at
    connector_id: int = 0  # the owner's case's tracker connector
    leaver_member_id: int = 0  # a viewer's membership the role and remove routes aim at
    newcomer_email: str = ""  # a facilitator with no role on the case, for the add route
    facilitators: dict[str, int] = field(default_factory=dict)  # editor, viewer, removed


@dataclass(frozen=True)
class Principal:
    name: str
    sees: frozenset[str]  # the markers this caller may read
    cookie: Callable[[World], str | None] = lambda w: None  # a fresh session cookie
    link: str | None = None  # the key of their raw token in World.links
    signed_in: bool = False  # holds a live session (of the owner or not)
    owner: bool = False
    bearer: str | None = None  # the key of their API token in World.links
    role: Role | None = None  # their role on the case; None: no access to it


def _session(world: World, facilitator_id: int, *, end: bool = False) -> str:
    settings = world.web.settings
    with world.web.store.session() as s:
        value = sessions.open_session(
            s, facilitator_id, settings.session_idle, settings.session_lifetime
        )
        if end:
            sessions.end_session(s, value)
    return value


PRINCIPALS = [
    Principal("anonymous", frozenset()),
    Principal(
        "other facilitator",
        frozenset({OTHER_MARK}),
        cookie=lambda w: _session(w, w.other_id),
        signed_in=True,
    ),
    Principal(
        "owner",
        frozenset({OWNER_MARK}),
        cookie=lambda w: _session(w, w.owner_id),
        signed_in=True,
        owner=True,
        role=Role.OWNER,
    ),
    Principal(
        "editor",
        frozenset({OWNER_MARK}),
        cookie=lambda w: _session(w, w.facilitators["editor"]),
        signed_in=True,
        role=Role.EDITOR,
    ),
    Principal(
        "viewer",
        frozenset({OWNER_MARK}),
        cookie=lambda w: _session(w, w.facilitators["viewer"]),
        signed_in=True,
        role=Role.VIEWER,
    ),
    # An editor until the owner removed them (before this request): as any other account.
    Principal(
        "removed member",
        frozenset(),
        cookie=lambda w: _session(w, w.facilitators["removed"]),
        signed_in=True,
    ),
    Principal("ended session", frozenset(), cookie=lambda w: _session(w, w.owner_id, end=True)),
    Principal("stakeholder link of this case", frozenset({OWNER_MARK}), link="stakeholder"),
    Principal("stakeholder link of another case", frozenset({OTHER_MARK}), link="foreign"),
    Principal("revoked stakeholder link", frozenset(), link="revoked"),
    Principal("workshop participant", frozenset({OWNER_MARK}), link="participant"),
    Principal("revoked participant", frozenset(), link="revoked participant"),
    Principal("owner's API token", frozenset({OWNER_MARK}), bearer="api owner", role=Role.OWNER),
    Principal(
        "owner's read-only API token", frozenset({OWNER_MARK}), bearer="api read", role=Role.OWNER
    ),
    Principal("editor's API token", frozenset({OWNER_MARK}), bearer="api editor", role=Role.EDITOR),
    Principal("viewer's API token", frozenset({OWNER_MARK}), bearer="api viewer", role=Role.VIEWER),
    Principal("other facilitator's API token", frozenset({OTHER_MARK}), bearer="api other"),
    Principal("owner's revoked API token", frozenset(), bearer="api revoked"),
    Principal("calendar feed link", frozenset({OWNER_MARK}), link="calendar"),
    Principal("revoked calendar feed link", frozenset(), link="revoked calendar"),
]


def expected(rule: Rule, who: Principal) -> int:
    """The status ``who`` gets from a route guarded by ``rule``."""
    if rule.policy in (Policy.PUBLIC, Policy.SESSION):
        return rule.allowed
    if rule.policy in (Policy.API_CASE, Policy.API_OWNER, Policy.API_SIGNED_IN):
        return expected_api(rule, who)
    if rule.policy is Policy.CASE:
        if who.signed_in and who.role is not None:
            return rule.allowed if member_may(rule, who.role) else 403
        return 404 if who.signed_in else 303  # 303: to /login
    if rule.policy in (Policy.OWNER, Policy.SIGNED_IN):
        if who.owner or (who.signed_in and rule.policy is Policy.SIGNED_IN):
            return rule.allowed
        return 404 if who.signed_in else 303  # 303: to /login
    if rule.policy is Policy.STAKEHOLDER:
        return rule.allowed if who.link in ("stakeholder", "foreign") else 403
    if rule.policy is Policy.FEED:
        return rule.allowed if who.link == "calendar" else 404
    return rule.allowed if who.link == "participant" else 403


def member_may(rule: Rule, role: Role) -> bool:
    """What the permission table says (read here, not through ``access.allows``, so a
    broken check cannot change what the matrix expects)."""
    assert rule.action is not None, "a CASE / API_CASE row names its action"
    return rule.action in access.PERMISSIONS[role]


def expected_api(rule: Rule, who: Principal) -> int:
    """The status ``who`` gets from the JSON API: 401 without a live credential, 403 for a
    token without the scope or a role that does not allow the action, 404 for a case or
    workshop they have no role on."""
    live = who.signed_in or who.bearer in LIVE_TOKENS
    if not live:
        return 401
    if who.bearer == "api read" and rule.scope != "read":
        return 403
    if rule.policy is Policy.API_SIGNED_IN:
        return rule.allowed
    if who.role is None:
        return 404
    if rule.policy is Policy.API_OWNER:
        return rule.allowed if who.role is Role.OWNER else 404
    return rule.allowed if member_may(rule, who.role) else 403


LIVE_TOKENS = ("api owner", "api read", "api editor", "api viewer", "api other")


def build_world(web: Web) -> World:
    with web.store.session() as s:
        owner = repository.authenticate(s, web.email, "correct horse battery")
        other = repository.authenticate(
            s, web.email.replace("fac", "other"), "correct horse battery"
        )
        assert owner is not None and other is not None
        mine = GROWTH.replace("title: ", f"title: {OWNER_MARK} ", 1)
        theirs = GROWTH.replace("title: ", f"title: {OTHER_MARK} ", 1)
        case_id = repository.save_case(s, owner.id, mine, "mine.yaml").id
        other_case = repository.save_case(s, other.id, theirs, "theirs.yaml").id
        _, stakeholder = repository.issue_token(s, case_id, "stakeholder", stakeholder_id="cfo")
        _, foreign = repository.issue_token(s, other_case, "stakeholder", stakeholder_id="cfo")
        victim, _ = repository.issue_token(s, case_id, "stakeholder", stakeholder_id="ceo")
        gone, revoked = repository.issue_token(s, case_id, "stakeholder", stakeholder_id="cro")
        repository.revoke_token(s, owner.id, gone.id)
        workshop_id = repository.create_workshop(s, case_id, f"{OWNER_MARK} workshop").id
        _, participant = repository.issue_token(s, case_id, "participant", workshop_id=workshop_id)
        left, left_raw = repository.issue_token(s, case_id, "participant", workshop_id=workshop_id)
        _, calendar = repository.issue_token(s, case_id, "observer", label="calendar feed")
        feed, _ = repository.issue_token(s, case_id, "observer", label="calendar feed")
        stopped, stopped_raw = repository.issue_token(s, case_id, "observer", label="feed")
        repository.revoke_token(s, owner.id, stopped.id)
        feed_id = feed.id
        case = s.get(CaseRecord, case_id)
        assert case is not None
        people: dict[str, int] = {}
        for name, role in (
            ("editor", Role.EDITOR),
            ("viewer", Role.VIEWER),
            ("removed", Role.EDITOR),
            ("leaver", Role.VIEWER),
        ):
            email = web.email.replace("fac", name)
            people[name] = repository.create_facilitator(s, email, PASSWORD, name.title()).id
            member = members.add_member(s, case, email, role)
            if name == "removed":
                members.remove_member(s, case, member.id)
            if name == "leaver":
                leaver_member_id = member.id
        newcomer = web.email.replace("fac", "newcomer")
        repository.create_facilitator(s, newcomer, PASSWORD, "Newcomer")
        owner_id, other_id, victim_id, left_id = owner.id, other.id, victim.id, left.id
    world = World(
        web,
        owner_id,
        other_id,
        case_id,
        workshop_id,
        victim_id,
        {
            "stakeholder": stakeholder,
            "foreign": foreign,
            "revoked": revoked,
            "participant": participant,
            "revoked participant": left_raw,
            "calendar": calendar,
            "revoked calendar": stopped_raw,
        },
        feed_id=feed_id,
        leaver_member_id=leaver_member_id,
        newcomer_email=newcomer,
        facilitators=people,
    )
    with web.store.session() as s:
        for key, facilitator, scopes in (
            ("api owner", owner_id, ["read", "write", "workshop"]),
            ("api read", owner_id, ["read"]),
            ("api other", other_id, ["read", "write", "workshop"]),
            ("api revoked", owner_id, ["read", "write", "workshop"]),
            ("api victim", owner_id, ["read"]),
            ("api editor", people["editor"], ["read", "write", "workshop"]),
            ("api viewer", people["viewer"], ["read", "write", "workshop"]),
        ):
            made, world.links[key] = tokens.create_api_token(s, facilitator, key, scopes)
            if key == "api revoked":
                tokens.revoke_api_token(s, owner_id, made.id)
            if key == "api victim":
                world.victim_api_token_id = made.id
        hook = webhooks.create_subscription(
            s, owner_id, f"https://hooks.example.com/{OWNER_MARK}", ["review.due"]
        )
        webhooks.emit(s, owner_id, "review.due", {"mark": OWNER_MARK})
        row = s.scalars(sa.select(WebhookDelivery).where(WebhookDelivery.webhook_id == hook.id))
        delivery = row.one()
        delivery.status = "failed"  # so that "send again" has something to send
        world.webhook_id, world.delivery_row_id = hook.id, delivery.id
        form = trackers.ConnectorForm(kind="github", repo="acme/roadmap", token="t")
        saved = trackers.save_connector(s, web.settings.secret_key, case_id, form, TRACKER_URL)
        world.connector_id = saved.id
    live = web.client.app.state.live  # type: ignore[attr-defined]
    for raw, name in ((participant, "Ada"), (left_raw, "Bob")):
        with web.store.session() as s:
            token = repository.resolve_token(s, raw)
            assert token is not None
            token_id = token.id
        live.join(workshop_id, token_id, name)
    live.command(
        workshop_id,
        "facilitator",
        "agenda_set",
        {"items": ["Price?", "Segments?", "Hiring?"]},
        None,
    )
    live.command(workshop_id, "facilitator", "item_started", {"item": 0}, None)
    with web.store.session() as s:
        assert repository.revoke_token(s, owner_id, left_id)
    return world


def snapshot(web: Web) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table; a session's own activity stamps are left out (reading a
    page as yourself moves your idle timeout, which is not a change to anyone's data), and
    so is the webhook dispatcher's bookkeeping of attempts (it runs beside the requests)."""
    skip = {
        ("facilitator_session", "last_seen_at"),
        ("facilitator_session", "idle_expires_at"),
        ("api_token", "last_used_at"),
    }
    skip |= {
        ("webhook_delivery", name)
        for name in ("status", "attempts", "next_attempt_at", "lease_until", "last_status")
    }
    skip |= {("webhook_delivery", "last_error"), ("webhook_delivery", "delivered_at")}
    # The tracker runner's work beside the requests: issue links and its sync bookkeeping.
    skip |= {
        ("tracker_connector", name)
        for name in ("last_sync_at", "last_error", "last_error_at", "record_due")
    }
    skip |= {("tracker_connector", "record_attempts"), ("tracker_connector", "record_next_at")}
    rows = {}
    with web.store.session() as s:
        for table in Base.metadata.sorted_tables:
            if table.name == "tracker_link":
                continue
            columns = [c for c in table.columns if (table.name, c.name) not in skip]
            query = sa.select(*columns).order_by(*table.primary_key.columns)
            rows[table.name] = [tuple(r) for r in s.execute(query)]
    return rows


def request_as(
    world: World, who: Principal, cookie: str | None, method: str, path: str, rule: Rule
) -> tuple[int, str]:
    """``who``, holding ``cookie`` or a link, sends ``method path`` with a valid CSRF token
    for what they hold (so the guard, not the CSRF check, is what answers)."""
    web, key = world.web, world.web.settings.secret_key
    client = TestClient(web.client.app, base_url="http://127.0.0.1")
    raw = world.links[who.link] if who.link else secrets.token_urlsafe(32)
    url = rule.path or path.format(
        case_id=world.case_id,
        workshop_id=world.workshop_id,
        token_id=world.victim_token_id,
        link_id=world.victim_token_id,
        token=raw,
        section="stakeholders",
        number=1,
        stakeholder_id="cfo",
        api_token_id=world.victim_api_token_id,
        webhook_id=world.webhook_id,
        row_id=world.delivery_row_id,
        feed_id=world.feed_id,
        connector_id=world.connector_id,
        member_id=world.leaver_member_id,
    )
    if cookie is not None:
        client.cookies.set(security.SESSION_COOKIE, cookie)
    if path.startswith(("/invite/", "/reset/")):
        # Every caller here tries a link that is no invitation: the address throttle would
        # answer 429 after a few (tests/web/test_account_links.py tests it), not the guard.
        web.client.app.state.signin_throttle = SignInThrottle()  # type: ignore[attr-defined]
    if path == "/login" and method == "POST":
        pre = secrets.token_urlsafe(16)
        client.cookies.set(PRE_SESSION_COOKIE, pre)
        form = {"email": web.email, "password": PASSWORD}
        form["csrf"] = security.csrf_token(key, "login|" + pre)
    elif path == "/reset" and method == "POST":
        pre = secrets.token_urlsafe(16)
        client.cookies.set(PRE_SESSION_COOKIE, pre)
        form = {**rule.form, "csrf": security.csrf_token(key, "reset|" + pre)}
    elif "{token}" in path:
        form = {**rule.form, "csrf": security.csrf_token(key, "link|" + raw)}
    else:
        form = {**rule.form, "csrf": security.csrf_token(key, "session|" + (cookie or ""))}
        form = {k: world.newcomer_email if v == NEWCOMER else v for k, v in form.items()}
    headers = {"HX-Request": "1"} if path.endswith("/commands") else {}
    if path.startswith("/api/"):
        return api_request(client, world, who, cookie, method, url, rule)
    if rule.stream:
        with client.stream(method, url, headers=headers, follow_redirects=False) as response:
            if response.status_code == 303:
                return 303, response.headers["location"]
            head = next(response.iter_lines(), "") if response.status_code == 200 else ""
            return response.status_code, head if head else response.read().decode()
    sent = client.request(
        method,
        url,
        data=form if method == "POST" else None,
        headers=headers,
        follow_redirects=False,
    )
    return sent.status_code, sent.text if sent.status_code != 303 else sent.headers["location"]


def api_request(
    client: TestClient,
    world: World,
    who: Principal,
    cookie: str | None,
    method: str,
    url: str,
    rule: Rule,
) -> tuple[int, str]:
    """An API call: the principal's token as a bearer, or their cookie with the session's
    CSRF token in X-CSRF-Token (so the guard, not the CSRF check, answers)."""
    headers: dict[str, str] = {}
    if who.bearer:
        headers["Authorization"] = f"Bearer {world.links[who.bearer]}"
    elif cookie is not None:
        key = world.web.settings.secret_key
        headers["X-CSRF-Token"] = security.csrf_token(key, "session|" + cookie)
    content: bytes | None = None
    if rule.yaml is not None:
        content = rule.yaml.replace("{nonce}", secrets.token_hex(4)).encode()
        headers["Content-Type"] = "application/yaml"
    elif rule.json is not None:
        content = json.dumps(rule.json).encode()
        headers["Content-Type"] = "application/json"
    sent = client.request(method, url, content=content, headers=headers, follow_redirects=False)
    return sent.status_code, sent.text


def check_matrix(web: Web, only: set[tuple[str, str]] | None = None) -> list[str]:
    """What the routes (all, or ``only`` these) answer that their rules do not expect."""
    world = build_world(web)
    wrong: list[str] = []
    for (method, path), rule in ROUTES.items():
        if only is not None and (method, path) not in only:
            continue
        # The rightful callers go last: what they change (a revoke, a sign-out everywhere)
        # must not change what the others are refused.
        for who in sorted(PRINCIPALS, key=lambda p: expected(rule, p) == rule.allowed):
            want = expected(rule, who)
            cookie = who.cookie(world)  # a session made now, so it is in the snapshot
            before = snapshot(web) if want != rule.allowed else None
            status, body = request_as(world, who, cookie, method, path, rule)
            where = f"{method} {path} as {who.name}"
            if status != want:
                wrong.append(f"{where}: {status}, expected {want} ({body[:120]!r})")
            if want == 303 and want != rule.allowed and body != "/login":
                wrong.append(f"{where}: redirected to {body!r}, expected /login")
            refused_role = rule.action is not None and who.role is not None
            if refused_role and want == 403 and not member_may(rule, who.role):
                if "nothing changed" not in body:
                    wrong.append(f"{where}: a member's refusal does not say 'nothing changed'")
            for mark in {OWNER_MARK, OTHER_MARK} - who.sees:
                if mark in body:
                    wrong.append(f"{where}: the body shows {mark}, not theirs to see")
            if before is not None and snapshot(web) != before:
                wrong.append(f"{where}: a refused request changed the database")
    return wrong


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.services)])
def backend_web(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Web]:
    if request.param == "postgres":
        schema = request.getfixturevalue("postgres")
        url, tag = schema.url, secrets.token_hex(4)
    else:
        url, tag = None, ""
    with running_web(tmp_path, url, tag) as made:
        yield made


def test_every_route_answers_every_principal_as_its_policy_says(backend_web: Web) -> None:
    wrong = check_matrix(backend_web)
    assert not wrong, "\n".join(wrong)


def test_the_matrix_catches_a_route_that_forgets_its_membership_check(
    web: Web, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The matrix can fail: when anyone counts as a viewer of every case, another
    facilitator reads the owner's dashboard and the matrix says so."""

    def everyone_views(session: Any, who: Any, record: Any) -> Role:
        return Role.OWNER if record.owner_id == who.id else Role.VIEWER

    monkeypatch.setattr(access, "role_on", everyone_views)
    wrong = check_matrix(web, only={("GET", "/cases/{case_id}")})
    assert any(
        line.startswith("GET /cases/{case_id} as other facilitator: 200, expected 404")
        for line in wrong
    ), wrong
    assert any("the body shows " + OWNER_MARK in line for line in wrong)


def test_the_matrix_catches_a_route_that_forgets_its_permission_check(
    web: Web, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The matrix can fail: with the permission table's answer always yes, a viewer
    creates a stakeholder link and an editor adds people, and the matrix says so."""
    monkeypatch.setattr(access, "allows", lambda role, action: True)
    wrong = check_matrix(
        web, only={("POST", "/cases/{case_id}/tokens"), ("POST", "/cases/{case_id}/people")}
    )
    assert any(
        line.startswith("POST /cases/{case_id}/tokens as viewer: 303, expected 403")
        for line in wrong
    ), wrong
    assert any(
        line.startswith("POST /cases/{case_id}/people as editor: ") and "expected 403" in line
        for line in wrong
    ), wrong
    assert "POST /cases/{case_id}/tokens as viewer: a refused request changed the database" in wrong
