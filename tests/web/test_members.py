"""Co-facilitators: the owner shares a case with editors and viewers on its People page;
every page and API route asks :mod:`accord.web.access` what each may do."""

from __future__ import annotations

import re
import secrets
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from tests.web.conftest import EXAMPLES, PASSWORD, Web, csrf_of, running_web

from accord.errors import ConflictError, InputError
from accord.store import members, repository, tokens
from accord.store.members import Role
from accord.store.tables import CaseRecord
from accord.web.access import PERMISSIONS, Action

GROWTH = (EXAMPLES / "growth-vs-margin.yaml").read_text(encoding="utf-8")
DOCS = Path(__file__).resolve().parents[2] / "docs" / "web.md"


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.services)])
def shared(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Web]:
    """The app on SQLite and on PostgreSQL, with a case of the first facilitator's."""
    if request.param == "postgres":
        schema = request.getfixturevalue("postgres")
        url, tag = schema.url, secrets.token_hex(4)
    else:
        url, tag = None, ""
    with running_web(tmp_path, url, tag) as made:
        yield made


def _case(web: Web) -> int:
    with web.store.session() as s:
        owner = repository.authenticate(s, web.email, PASSWORD)
        assert owner is not None
        return repository.save_case(s, owner.id, GROWTH, "growth.yaml").id


def _account(web: Web, name: str) -> str:
    email = web.email.replace("fac", name)
    with web.store.session() as s:
        repository.create_facilitator(s, email, PASSWORD, name.title())
    return email


def _client(web: Web, email: str) -> TestClient:
    """A browser signed in as ``email`` (its own cookies, beside ``web.client``)."""
    client = TestClient(web.client.app, base_url="http://127.0.0.1")
    form = client.get("/login")
    sent = client.post(
        "/login",
        data={"email": email, "password": PASSWORD, "csrf": csrf_of(form.text)},
        follow_redirects=False,
    )
    assert sent.status_code == 303, sent.text
    return client


def _add(web: Web, case_id: int, email: str, role: str) -> None:
    page = web.client.get(f"/cases/{case_id}/people")
    sent = web.client.post(
        f"/cases/{case_id}/people",
        data={"csrf": csrf_of(page.text), "email": email, "role": role},
        follow_redirects=False,
    )
    assert sent.status_code == 303, sent.text
    assert sent.headers["location"] == f"/cases/{case_id}/people"


def _member_id(web: Web, case_id: int, email: str) -> int:
    with web.store.session() as s:
        record = s.get(CaseRecord, case_id)
        assert record is not None
        found = [p.member_id for p in members.people(s, record) if p.email == email]
    assert found and found[0] is not None
    return found[0]


# --- the People page --------------------------------------------------------------------


def test_owner_adds_an_editor_who_then_sees_the_case_shared_with_their_role(shared: Web) -> None:
    web = shared
    web.sign_in()
    case_id = _case(web)
    email = _account(web, "eddie")
    _add(web, case_id, email.upper(), "editor")  # emails match whatever their case

    people = web.client.get(f"/cases/{case_id}/people").text
    assert email in people and "Change role" in people and "Transfer ownership" in people
    eddie = _client(web, email)
    listing = eddie.get("/").text
    shared_part = listing.split('id="shared"', 1)[1]
    assert f'href="/cases/{case_id}"' in shared_part and ">editor<" in shared_part
    # Everyone with access sees who has it; only the owner gets the forms that change it.
    theirs = eddie.get(f"/cases/{case_id}/people")
    assert theirs.status_code == 200 and web.email in theirs.text
    assert "Change role" not in theirs.text and "Transfer ownership" not in theirs.text
    # An editor edits: the builder opens and a new stakeholder link is made.
    assert eddie.get(f"/cases/{case_id}/build/case").status_code == 200
    made = eddie.post(
        f"/cases/{case_id}/tokens",
        data={"csrf": csrf_of(theirs.text), "stakeholder_id": "cfo"},
        follow_redirects=False,
    )
    assert made.status_code == 303


def test_the_case_page_links_to_people_and_shows_a_viewer_no_write_forms(shared: Web) -> None:
    web = shared
    web.sign_in()
    case_id = _case(web)
    email = _account(web, "vera")
    _add(web, case_id, email, "viewer")
    mine = web.client.get(f"/cases/{case_id}").text
    assert f'href="/cases/{case_id}/people"' in mine
    assert f'action="/cases/{case_id}/tokens"' in mine
    vera = _client(web, email)
    theirs = vera.get(f"/cases/{case_id}").text
    assert f'href="/cases/{case_id}/people"' in theirs
    for write in ("/tokens", "/workshops", "/build", "/calendar"):
        assert f"/cases/{case_id}{write}" not in theirs, write
    history = vera.get(f"/cases/{case_id}/history")
    assert history.status_code == 200 and f"/cases/{case_id}/build/" not in history.text
    assert f"/cases/{case_id}/build/" in web.client.get(f"/cases/{case_id}/history").text


def test_a_viewer_is_refused_a_write_on_the_error_page_and_nothing_changes(shared: Web) -> None:
    web = shared
    web.sign_in()
    case_id = _case(web)
    email = _account(web, "vera")
    _add(web, case_id, email, "viewer")
    vera = _client(web, email)
    csrf = csrf_of(vera.get(f"/cases/{case_id}/people").text)
    refused = vera.post(
        f"/cases/{case_id}/tokens",
        data={"csrf": csrf, "stakeholder_id": "cfo"},
        follow_redirects=False,
    )
    assert refused.status_code == 403
    assert "<h1>That did not work</h1>" in refused.text
    assert (
        f"you are a viewer of case {case_id}: a viewer may not change its file, stakeholder "
        "links, inputs, calendar feeds or connectors; nothing changed (ask its owner to make "
        "you an editor)"
    ) in refused.text
    with web.store.session() as s:
        record = s.get(CaseRecord, case_id)
        assert record is not None
        assert repository.list_tokens(s, record.owner_id, case_id) == []


def test_an_editor_is_refused_what_only_the_owner_may_do(shared: Web) -> None:
    web = shared
    web.sign_in()
    case_id = _case(web)
    email, other = _account(web, "eddie"), _account(web, "newt")
    _add(web, case_id, email, "editor")
    eddie = _client(web, email)
    csrf = csrf_of(eddie.get(f"/cases/{case_id}/people").text)
    mine = _member_id(web, case_id, email)
    for path, form in (
        (f"/cases/{case_id}/people", {"email": other, "role": "viewer"}),
        (f"/cases/{case_id}/people/{mine}/role", {"role": "viewer"}),
        (f"/cases/{case_id}/people/{mine}/remove", {}),
        (f"/cases/{case_id}/people/transfer", {"member_id": str(mine), "confirm": "x"}),
    ):
        refused = eddie.post(path, data={"csrf": csrf, **form}, follow_redirects=False)
        assert refused.status_code == 403, path
        assert f"only the owner of case {case_id} may " in refused.text
        assert "you are its editor: nothing changed" in refused.text
    with web.store.session() as s:
        record = s.get(CaseRecord, case_id)
        assert record is not None
        assert [(p.email, p.role) for p in members.people(s, record)] == [
            (web.email, Role.OWNER),
            (email, Role.EDITOR),
        ]


def test_removing_a_member_takes_effect_on_their_next_request(shared: Web) -> None:
    web = shared
    web.sign_in()
    case_id = _case(web)
    email = _account(web, "eddie")
    _add(web, case_id, email, "editor")
    eddie = _client(web, email)
    assert eddie.get(f"/cases/{case_id}").status_code == 200
    page = web.client.get(f"/cases/{case_id}/people")
    gone = web.client.post(
        f"/cases/{case_id}/people/{_member_id(web, case_id, email)}/remove",
        data={"csrf": csrf_of(page.text)},
        follow_redirects=False,
    )
    assert gone.status_code == 303
    # The same session, no sign-in again: the case is no longer theirs to see.
    after = eddie.get(f"/cases/{case_id}")
    assert after.status_code == 404
    assert f"there is no case {case_id} among your cases" in after.text
    assert f'href="/cases/{case_id}"' not in eddie.get("/").text


def test_the_owner_changes_a_role_and_the_next_request_obeys_it(shared: Web) -> None:
    web = shared
    web.sign_in()
    case_id = _case(web)
    email = _account(web, "eddie")
    _add(web, case_id, email, "editor")
    eddie = _client(web, email)
    assert eddie.get(f"/cases/{case_id}/build/case").status_code == 200
    page = web.client.get(f"/cases/{case_id}/people")
    changed = web.client.post(
        f"/cases/{case_id}/people/{_member_id(web, case_id, email)}/role",
        data={"csrf": csrf_of(page.text), "role": "viewer"},
        follow_redirects=False,
    )
    assert changed.status_code == 303
    assert eddie.get(f"/cases/{case_id}/build/case").status_code == 403
    assert eddie.get(f"/cases/{case_id}/report").status_code == 200


def test_adding_someone_without_an_account_says_so_and_keeps_what_was_typed(shared: Web) -> None:
    web = shared
    web.sign_in()
    case_id = _case(web)
    page = web.client.get(f"/cases/{case_id}/people")
    refused = web.client.post(
        f"/cases/{case_id}/people",
        data={"csrf": csrf_of(page.text), "email": "nobody@example.org", "role": "viewer"},
    )
    assert refused.status_code == 400
    assert (
        "email: there is no facilitator with the email &#39;nobody@example.org&#39; (they "
        "need an account first: accord facilitator add, or an invitation)"
    ) in refused.text
    assert 'value="nobody@example.org"' in refused.text


def test_transfer_needs_the_typed_case_id_and_leaves_the_old_owner_an_editor(
    shared: Web,
) -> None:
    web = shared
    web.sign_in()
    case_id = _case(web)
    email = _account(web, "eddie")
    _add(web, case_id, email, "editor")
    member_id = _member_id(web, case_id, email)
    csrf = csrf_of(web.client.get(f"/cases/{case_id}/people").text)
    unconfirmed = web.client.post(
        f"/cases/{case_id}/people/transfer",
        data={"csrf": csrf, "member_id": str(member_id), "confirm": "growth"},
    )
    assert unconfirmed.status_code == 400
    assert (
        "confirm: type the case&#39;s id &#39;growth-vs-margin&#39; to hand it over (got "
        "&#39;growth&#39;); nothing changed"
    ) in unconfirmed.text
    handed = web.client.post(
        f"/cases/{case_id}/people/transfer",
        data={"csrf": csrf, "member_id": str(member_id), "confirm": "growth-vs-margin"},
        follow_redirects=False,
    )
    assert handed.status_code == 303
    with web.store.session() as s:
        record = s.get(CaseRecord, case_id)
        assert record is not None
        assert [(p.email, p.role) for p in members.people(s, record)] == [
            (email, Role.OWNER),
            (web.email, Role.EDITOR),
        ]
    # The previous owner may still edit, no longer change who has access.
    again = web.client.post(
        f"/cases/{case_id}/people/transfer",
        data={"csrf": csrf, "member_id": str(member_id), "confirm": "growth-vs-margin"},
    )
    assert again.status_code == 403
    assert web.client.get(f"/cases/{case_id}/build/case").status_code == 200


# --- the store --------------------------------------------------------------------------


def test_the_owner_stays_one_and_members_are_unique(web: Web) -> None:
    case_id = _case(web)
    email = _account(web, "eddie")
    with web.store.session() as s:
        record = s.get(CaseRecord, case_id)
        assert record is not None
        with pytest.raises(ConflictError, match="owns this case already"):
            members.add_member(s, record, web.email, Role.EDITOR)
        members.add_member(s, record, email, Role.VIEWER)
        with pytest.raises(ConflictError, match="has access to this case already"):
            members.add_member(s, record, email, Role.EDITOR)
        with pytest.raises(InputError, match=r"role: expected editor or viewer, got 'owner'"):
            members.member_role("owner")


def test_a_transfer_to_someone_who_owns_a_case_with_the_same_id_is_refused(web: Web) -> None:
    case_id = _case(web)
    email = _account(web, "eddie")
    with web.store.session() as s:
        eddie = repository.authenticate(s, email, PASSWORD)
        assert eddie is not None
        theirs = repository.save_case(s, eddie.id, GROWTH, "growth.yaml").id
        record = s.get(CaseRecord, case_id)
        assert record is not None
        member = members.add_member(s, record, email, Role.EDITOR)
        with pytest.raises(ConflictError) as refused:
            members.transfer_ownership(s, record, member.id)
    assert refused.value.message == (
        "member: they already own a case with the id 'growth-vs-margin' (case "
        f"{theirs}): change the id of one of the two cases first"
    )


# --- the API ----------------------------------------------------------------------------


def test_the_api_lists_and_reads_shared_cases_with_the_callers_role(shared: Web) -> None:
    web = shared
    case_id = _case(web)
    email = _account(web, "vera")
    with web.store.session() as s:
        record = s.get(CaseRecord, case_id)
        assert record is not None
        vera = members.add_member(s, record, email, Role.VIEWER).facilitator_id
        own = repository.save_case(s, vera, GROWTH, "mine.yaml").id
        _, raw = tokens.create_api_token(s, vera, "ci", ["read", "write", "workshop"])
    bearer = {"Authorization": f"Bearer {raw}"}
    listed = web.client.get("/api/v1/cases", headers=bearer).json()["items"]
    assert [(c["id"], c["role"]) for c in listed] == [(case_id, "viewer"), (own, "owner")]
    read = web.client.get(f"/api/v1/cases/{case_id}", headers=bearer)
    assert read.status_code == 200 and read.json()["role"] == "viewer"
    # A token acts with its facilitator's role: a viewer's write token writes nothing.
    refused = web.client.post(
        f"/api/v1/cases/{case_id}/links", headers=bearer, json={"stakeholder_id": "cfo"}
    )
    assert refused.status_code == 403
    assert refused.json()["error"] == "forbidden"
    assert "nothing changed" in refused.json()["message"]


# --- the permission table and its documentation ----------------------------------------


def test_the_documented_roles_table_is_the_permission_table() -> None:
    """docs/web.md's table of roles says what :data:`accord.web.access.PERMISSIONS` does."""
    text = DOCS.read_text(encoding="utf-8")
    section = text.split("## Co-facilitators", 1)[1].split("\n## ", 1)[0]
    rows = re.findall(r"^\| `(\w+)` \|([^\n]*)\|$", section, flags=re.MULTILINE)
    documented = {
        Action(name): [cell.strip() == "yes" for cell in cells.split("|")[:3]]
        for name, cells in rows
    }
    assert set(documented) == set(Action), "every action has a row in docs/web.md"
    roles = (Role.OWNER, Role.EDITOR, Role.VIEWER)
    for action, cells in documented.items():
        assert cells == [action in PERMISSIONS[role] for role in roles], action
