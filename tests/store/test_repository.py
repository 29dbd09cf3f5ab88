"""Repository behaviour on SQLite and PostgreSQL: accounts, cases, tokens, inputs, workshops."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from argon2 import PasswordHasher, Type
from tests.store import BACKENDS, BUDGET, GROWTH, add_case, add_owner, open_store

from accord.errors import ForbiddenError, InputError
from accord.io.case_file import load_case
from accord.model.inputs import DirectWeights, StakeholderInputs
from accord.store import Store, repository
from accord.store.tables import (
    CaseRecord,
    Facilitator,
    LinkToken,
    StakeholderInputRecord,
    WorkshopParticipant,
)

PASSWORD = "correct horse battery"
GROWTH_TEXT = GROWTH.read_text(encoding="utf-8")
PRODUCTION_HASHER = repository._hasher
# Same algorithm, far less work: the tests check behaviour, not hashing cost.
CHEAP_HASHER = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)


@pytest.fixture(params=BACKENDS)
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    yield from open_store(request, tmp_path)


@pytest.fixture(autouse=True)
def cheap_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(repository, "_hasher", CHEAP_HASHER)


# --- facilitators -----------------------------------------------------------------------


def test_production_hasher_is_argon2id_with_rfc9106_low_memory_cost() -> None:
    assert PRODUCTION_HASHER.type is Type.ID
    assert PRODUCTION_HASHER.memory_cost >= 64 * 1024
    assert PRODUCTION_HASHER.time_cost >= 3


def test_create_facilitator_stores_argon2id_hash_not_password(store: Store) -> None:
    with store.session() as s:
        made = repository.create_facilitator(s, " Fran@Example.ORG ", PASSWORD, " Fran ")
    with store.session() as s:
        row = s.get(Facilitator, made.id)
        assert row is not None
        assert row.email == "fran@example.org"
        assert row.display_name == "Fran"
        assert row.password_hash.startswith("$argon2id$")
        assert PASSWORD not in row.password_hash


def test_authenticate_with_right_password_any_email_case_returns_facilitator(
    store: Store,
) -> None:
    with store.session() as s:
        made = repository.create_facilitator(s, "fran@example.org", PASSWORD, "Fran")
    with store.session() as s:
        found = repository.authenticate(s, "FRAN@example.org", PASSWORD)
    assert found is not None and found.id == made.id


def test_authenticate_with_wrong_password_or_unknown_email_returns_none(store: Store) -> None:
    with store.session() as s:
        repository.create_facilitator(s, "fran@example.org", PASSWORD, "Fran")
    with store.session() as s:
        assert repository.authenticate(s, "fran@example.org", PASSWORD + "!") is None
        assert repository.authenticate(s, "nobody@example.org", PASSWORD) is None
        assert repository.authenticate(s, "fran@example.org", "x" * 5000) is None


def test_authenticate_with_old_hash_parameters_rehashes(store: Store) -> None:
    weak = PasswordHasher(time_cost=1, memory_cost=512, parallelism=1)
    with store.session() as s:
        s.add(
            Facilitator(
                email="old@example.org", password_hash=weak.hash(PASSWORD), display_name="O"
            )
        )
    with store.session() as s:
        assert repository.authenticate(s, "old@example.org", PASSWORD) is not None
    with store.session() as s:
        stored = s.scalars(sa.select(Facilitator.password_hash)).one()
    assert "m=1024" in stored and stored.startswith("$argon2id$")
    assert not CHEAP_HASHER.check_needs_rehash(stored)


def test_create_facilitator_with_used_email_raises_and_keeps_one(store: Store) -> None:
    with store.session() as s:
        repository.create_facilitator(s, "fran@example.org", PASSWORD, "Fran")
    with pytest.raises(InputError, match="an account for fran@example.org already exists"):
        with store.session() as s:
            repository.create_facilitator(s, "Fran@Example.org", PASSWORD, "Again")
    with store.session() as s:
        assert s.scalar(sa.select(sa.func.count()).select_from(Facilitator)) == 1


@pytest.mark.parametrize(
    ("email", "password", "name", "message"),
    [
        ("fran@example.org", "short", "Fran", r"password: too short \(5 characters, at least 8\)"),
        ("not-an-email", PASSWORD, "Fran", "is not an email address"),
        ("fran@example.org", PASSWORD, "  ", "display_name: must not be empty"),
    ],
)
def test_create_facilitator_with_bad_field_names_it(
    store: Store, email: str, password: str, name: str, message: str
) -> None:
    with pytest.raises(InputError, match=message), store.session() as s:
        repository.create_facilitator(s, email, password, name)


def test_set_password_replaces_hash_and_checks_length(store: Store) -> None:
    with store.session() as s:
        fran = repository.create_facilitator(s, "fran@example.org", PASSWORD, "Fran")
        repository.set_password(s, fran, "a new long password")
        with pytest.raises(InputError, match="too short"):
            repository.set_password(s, fran, "short")
    with store.session() as s:
        assert repository.authenticate(s, "fran@example.org", "a new long password") is not None
        assert repository.authenticate(s, "fran@example.org", PASSWORD) is None


# --- cases ------------------------------------------------------------------------------


def test_save_case_stores_text_slug_and_title(store: Store) -> None:
    owner = add_owner(store, "fran@example.org")
    with store.session() as s:
        record = repository.save_case(s, owner, GROWTH_TEXT, "uploads/growth-vs-margin.yaml")
    assert record.case_slug == "growth-vs-margin"
    assert record.title == "FY27 pricing and go-to-market plan"
    assert record.source_name == "growth-vs-margin.yaml"
    assert record.source_text == GROWTH_TEXT
    assert record.created_at.utcoffset() is not None


def test_save_case_with_bad_yaml_raises_located_error_and_stores_nothing(store: Store) -> None:
    owner = add_owner(store, "fran@example.org")
    bad = GROWTH_TEXT.replace("decision_owner: ceo", "decision_owner: ceoo", 1)
    with pytest.raises(InputError) as caught, store.session() as s:
        repository.save_case(s, owner, bad, "growth.yaml")
    assert "growth.yaml:19:17: decision_owner: 'ceoo' is not a stakeholder id" in str(caught.value)
    with pytest.raises(InputError, match=r"broken.yaml:2:1: invalid YAML"), store.session() as s:
        repository.save_case(s, owner, "accord: [1\n", "broken.yaml")
    with store.session() as s:
        assert repository.list_cases(s, owner) == []


def test_save_case_with_same_slug_updates_the_record(store: Store) -> None:
    owner = add_owner(store, "fran@example.org")
    first = add_case(store, owner)
    retitled = GROWTH_TEXT.replace(
        "title: FY27 pricing and go-to-market plan", "title: FY27 plan, second draft", 1
    )
    with store.session() as s:
        before = s.get(CaseRecord, first)
        assert before is not None
        created, updated = before.created_at, before.updated_at
        again = repository.save_case(s, owner, retitled, "growth-v2.yaml")
    assert again.id == first
    assert (again.title, again.source_name) == ("FY27 plan, second draft", "growth-v2.yaml")
    assert again.created_at == created and again.updated_at > updated
    with store.session() as s:
        assert [r.id for r in repository.list_cases(s, owner)] == [first]


def test_list_cases_newest_updated_first_and_only_own(store: Store) -> None:
    owner, other = add_owner(store, "fran@example.org"), add_owner(store, "otto@example.org")
    growth = add_case(store, owner)
    budget = add_case(store, owner, BUDGET)
    theirs = add_case(store, other)
    assert theirs != growth  # same slug, different owner: its own record
    with store.session() as s:
        assert [r.id for r in repository.list_cases(s, owner)] == [budget, growth]
    add_case(store, owner)  # touching growth again makes it the newest
    with store.session() as s:
        assert [r.id for r in repository.list_cases(s, owner)] == [growth, budget]


# --- scoping ----------------------------------------------------------------------------


def test_other_owner_cannot_get_case_workshop_tokens_or_revoke(store: Store) -> None:
    owner, other = add_owner(store, "fran@example.org"), add_owner(store, "otto@example.org")
    case_id = add_case(store, owner)
    with store.session() as s:
        workshop = repository.create_workshop(s, case_id, "Kick-off")
        token, raw = repository.issue_token(s, case_id, "observer")
    with store.session() as s:
        assert repository.get_case(s, other, case_id) is None
        assert repository.get_workshop(s, other, workshop.id) is None
        assert repository.list_tokens(s, other, case_id) == []
        assert repository.revoke_token(s, other, token.id) is False
        assert repository.get_case(s, owner, case_id) is not None
        assert repository.get_workshop(s, owner, workshop.id) is not None
    with store.session() as s:
        assert repository.resolve_token(s, raw) is not None


def test_get_case_and_workshop_that_do_not_exist_return_none(store: Store) -> None:
    owner = add_owner(store, "fran@example.org")
    with store.session() as s:
        assert repository.get_case(s, owner, 12345) is None
        assert repository.get_workshop(s, owner, 12345) is None


# --- link tokens ------------------------------------------------------------------------


def test_issued_token_is_stored_only_as_its_hash(store: Store) -> None:
    case_id = add_case(store, add_owner(store, "fran@example.org"))
    with store.session() as s:
        token, raw = repository.issue_token(
            s, case_id, "stakeholder", stakeholder_id="cfo", label="Priya"
        )
    assert len(raw) >= 43
    with store.session() as s:
        rows = s.execute(sa.select(LinkToken.__table__)).all()
    stored = [str(value) for row in rows for value in row]
    assert all(raw not in value for value in stored)
    assert hashlib.sha256(raw.encode()).hexdigest() in stored
    with store.session() as s:
        found = repository.resolve_token(s, raw)
    assert found is not None
    assert (found.id, found.role, found.stakeholder_id, found.label) == (
        token.id,
        "stakeholder",
        "cfo",
        "Priya",
    )


def test_revoked_or_unknown_token_resolves_to_none(store: Store) -> None:
    owner = add_owner(store, "fran@example.org")
    case_id = add_case(store, owner)
    with store.session() as s:
        token, raw = repository.issue_token(s, case_id, "participant")
    with store.session() as s:
        assert repository.revoke_token(s, owner, token.id) is True
        assert repository.revoke_token(s, owner, token.id) is True  # idempotent
    with store.session() as s:
        assert repository.resolve_token(s, raw) is None
        assert repository.resolve_token(s, raw[:-1] + ("A" if raw[-1] != "A" else "B")) is None
        assert repository.resolve_token(s, "") is None
        listed = repository.list_tokens(s, owner, case_id)
    assert [t.id for t in listed] == [token.id] and listed[0].revoked_at is not None


@pytest.mark.parametrize(
    ("role", "stakeholder", "message"),
    [
        ("admin", None, "role: 'admin' is not a link role"),
        ("stakeholder", None, r"stakeholder_id: a stakeholder link needs .*\(one of cro, cfo"),
        ("stakeholder", "cfoo", "stakeholder_id: 'cfoo' is not a stakeholder id"),
    ],
)
def test_issue_token_with_bad_role_or_stakeholder_raises(
    store: Store, role: str, stakeholder: str | None, message: str
) -> None:
    case_id = add_case(store, add_owner(store, "fran@example.org"))
    with pytest.raises(InputError, match=message), store.session() as s:
        repository.issue_token(s, case_id, role, stakeholder_id=stakeholder)
    with store.session() as s:
        assert s.scalar(sa.select(sa.func.count()).select_from(LinkToken)) == 0


def test_issue_token_for_workshop_of_another_case_raises(store: Store) -> None:
    owner = add_owner(store, "fran@example.org")
    growth, budget = add_case(store, owner), add_case(store, owner, BUDGET)
    with store.session() as s:
        workshop = repository.create_workshop(s, budget, "Budget day")
    with pytest.raises(InputError, match="is not a workshop of case 'growth-vs-margin'"):
        with store.session() as s:
            repository.issue_token(s, growth, "participant", workshop_id=workshop.id)


# --- stakeholder inputs -----------------------------------------------------------------


def _cro_inputs() -> StakeholderInputs:
    return StakeholderInputs(
        weights=DirectWeights(method="direct", values={"gross-margin": 2, "new-arr-smb": 1}),
        ranking=["hold-and-hire", "packaging-tiers"],
        notes="Changed my mind after the cohort data.",
    )


def test_stored_inputs_override_file_inputs_in_case_with_inputs(store: Store) -> None:
    case_id = add_case(store, add_owner(store, "fran@example.org"))
    file_case = load_case(GROWTH)
    with store.session() as s:
        repository.save_inputs(s, case_id, "cro", _cro_inputs())
    with store.session() as s:
        record = s.get(CaseRecord, case_id)
        assert record is not None
        merged = repository.case_with_inputs(s, record)
        stored = repository.stored_inputs(s, case_id)
    assert stored == {"cro": _cro_inputs()}
    assert merged.inputs["cro"] == _cro_inputs()
    assert merged.inputs["cfo"] == file_case.inputs["cfo"]
    assert set(merged.inputs) == set(file_case.inputs)
    assert merged.model_copy(update={"inputs": file_case.inputs}) == file_case


def test_save_inputs_twice_replaces_the_earlier_submission(store: Store) -> None:
    case_id = add_case(store, add_owner(store, "fran@example.org"))
    later = StakeholderInputs(approvals=["segment-split"])
    with store.session() as s:
        first = repository.save_inputs(s, case_id, "cfo", _cro_inputs())
    with store.session() as s:
        second = repository.save_inputs(s, case_id, "cfo", later)
    assert second.id == first.id
    assert second.payload == {"approvals": ["segment-split"]}
    assert second.submitted_at >= first.submitted_at
    with store.session() as s:
        assert repository.stored_inputs(s, case_id) == {"cfo": later}
        assert s.scalar(sa.select(sa.func.count()).select_from(StakeholderInputRecord)) == 1


@pytest.mark.parametrize(
    ("stakeholder", "inputs", "message"),
    [
        (
            "cro",
            StakeholderInputs(scores={"discount-push": {"gross-margins": 3}}),
            "inputs.cro.scores.discount-push.gross-margins: 'gross-margins' is not a criterion "
            "id (did you mean 'gross-margin'?)",
        ),
        (
            "cro",
            StakeholderInputs(ranking=["discount-pushh"]),
            "inputs.cro.ranking[0]: 'discount-pushh' is not an option id",
        ),
        ("ceoo", StakeholderInputs(approvals=["segment-split"]), "'ceoo' is not a stakeholder id"),
    ],
)
def test_save_inputs_naming_unknown_id_raises_and_stores_nothing(
    store: Store, stakeholder: str, inputs: StakeholderInputs, message: str
) -> None:
    case_id = add_case(store, add_owner(store, "fran@example.org"))
    with pytest.raises(InputError) as caught, store.session() as s:
        repository.save_inputs(s, case_id, stakeholder, inputs)
    assert "do not fit case 'growth-vs-margin'" in caught.value.message
    assert message in str(caught.value)
    with store.session() as s:
        assert repository.stored_inputs(s, case_id) == {}


def test_save_case_that_breaks_stored_inputs_raises_and_keeps_old_text(store: Store) -> None:
    owner = add_owner(store, "fran@example.org")
    case_id = add_case(store, owner)
    with store.session() as s:
        repository.save_inputs(s, case_id, "cro", StakeholderInputs(approvals=["usage-pricing"]))
    renamed = GROWTH_TEXT.replace("usage-pricing", "usage-based-pricing")
    with pytest.raises(InputError, match="'usage-pricing' is not an option id"):
        with store.session() as s:
            repository.save_case(s, owner, renamed, "growth.yaml")
    with store.session() as s:
        record = s.get(CaseRecord, case_id)
        assert record is not None and record.source_text == GROWTH_TEXT


# --- workshops --------------------------------------------------------------------------


def test_join_workshop_twice_with_one_token_keeps_the_first_name(store: Store) -> None:
    case_id = add_case(store, add_owner(store, "fran@example.org"))
    with store.session() as s:
        workshop = repository.create_workshop(s, case_id, "  Kick-off  ")
        token, _ = repository.issue_token(s, case_id, "participant", workshop_id=workshop.id)
    assert workshop.title == "Kick-off" and workshop.last_seq == 0
    with store.session() as s:
        first = repository.join_workshop(s, workshop.id, token.id, "Marcus")
    # Names are fixed after joining: a second join (another tab, or an attempt to become
    # "Facilitator") returns the seat as it was.
    for other in ("Marcus R.", "Facilitator"):
        with store.session() as s:
            again = repository.join_workshop(s, workshop.id, token.id, other)
        assert again.id == first.id
        assert again.display_name == "Marcus" and again.joined_at == first.joined_at
    with store.session() as s:
        names = s.scalars(sa.select(WorkshopParticipant.display_name)).all()
    assert names == ["Marcus"]


def test_join_workshop_with_revoked_or_foreign_token_is_forbidden(store: Store) -> None:
    owner = add_owner(store, "fran@example.org")
    growth, budget = add_case(store, owner), add_case(store, owner, BUDGET)
    with store.session() as s:
        workshop = repository.create_workshop(s, growth, "Kick-off")
        revoked, _ = repository.issue_token(s, growth, "participant")
        foreign, _ = repository.issue_token(s, budget, "participant")
        repository.revoke_token(s, owner, revoked.id)
    for token_id in (revoked.id, foreign.id):
        with pytest.raises(ForbiddenError, match="does not give access"), store.session() as s:
            repository.join_workshop(s, workshop.id, token_id, "Someone")


def test_create_workshop_with_empty_title_raises(store: Store) -> None:
    case_id = add_case(store, add_owner(store, "fran@example.org"))
    with pytest.raises(InputError, match="title: must not be empty"), store.session() as s:
        repository.create_workshop(s, case_id, " ")
