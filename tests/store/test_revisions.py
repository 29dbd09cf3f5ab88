"""Case revisions on SQLite and PostgreSQL: numbering, authors, summaries, history, diff."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
import yaml
from tests.store import BACKENDS, GROWTH, add_case, add_owner, open_store

from accord.errors import InputError, NotFoundError
from accord.io.case_file import parse_case
from accord.model.inputs import DirectWeights, StakeholderInputs
from accord.store import Store, repository, revisions
from accord.store.tables import CaseRecord, CaseRevision

GROWTH_TEXT = GROWTH.read_text(encoding="utf-8")


@pytest.fixture(params=BACKENDS)
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    yield from open_store(request, tmp_path)


def _edited(text: str, edit: dict[str, object]) -> str:
    data = yaml.safe_load(text)
    data.update(edit)
    return yaml.safe_dump(data, sort_keys=False)


def _with_option_cost(text: str, option_index: int, cost: float) -> str:
    data = yaml.safe_load(text)
    data["options"][option_index]["cost"] = cost
    return yaml.safe_dump(data, sort_keys=False)


def test_new_case_is_revision_1_by_its_owner(store: Store) -> None:
    owner = add_owner(store, "fran@example.org")
    case_id = add_case(store, owner)
    with store.session() as s:
        history = revisions.list_revisions(s, case_id)
        record = s.get(CaseRecord, case_id)
        assert record is not None and record.revision == 1
    assert [r.number for r in history] == [1]
    assert history[0].author == "fran@example.org"
    assert history[0].summary == "created from growth-vs-margin.yaml"
    assert history[0].source_text == GROWTH_TEXT


def test_each_save_is_the_next_revision_and_the_record_holds_the_newest(store: Store) -> None:
    owner = add_owner(store, "fran@example.org")
    case_id = add_case(store, owner)
    retitled = _edited(GROWTH_TEXT, {"title": "Growth or margin, again"})
    with store.session() as s:
        second = revisions.save_revision(s, case_id, retitled, "Fran", "new title")
    with store.session() as s:
        third = revisions.save_revision(s, case_id, _with_option_cost(retitled, 0, 1234), "Ola")
        record = s.get(CaseRecord, case_id)
        assert record is not None
        assert record.revision == 3
        assert record.title == "Growth or margin, again"
        assert "1234" in record.source_text
        history = revisions.list_revisions(s, case_id)
    assert (second.number, second.author, second.summary) == (2, "Fran", "new title")
    assert third.number == 3
    assert [r.number for r in history] == [3, 2, 1]


def test_automatic_summary_names_sections_entries_and_fields(store: Store) -> None:
    owner = add_owner(store, "fran@example.org")
    case_id = add_case(store, owner)
    data = yaml.safe_load(GROWTH_TEXT)
    first_option = data["options"][0]["id"]
    data["options"][0]["cost"] = 999
    data["title"] = "Renamed"
    removed_fact = data["facts"].pop()["id"]
    with store.session() as s:
        saved = revisions.save_revision(s, case_id, yaml.safe_dump(data, sort_keys=False), "Fran")
    assert saved.summary == (
        f"changed title; removed fact '{removed_fact}'; changed option '{first_option}' (cost)"
    )


def test_saving_the_same_text_again_makes_no_new_revision(store: Store) -> None:
    owner = add_owner(store, "fran@example.org")
    case_id = add_case(store, owner)
    with store.session() as s:
        again = revisions.save_revision(s, case_id, GROWTH_TEXT, "Fran")
    assert again.number == 1
    with store.session() as s:
        assert len(revisions.list_revisions(s, case_id)) == 1


def test_upload_of_same_case_id_is_a_new_revision_with_its_changes(store: Store) -> None:
    owner = add_owner(store, "fran@example.org")
    case_id = add_case(store, owner)
    with store.session() as s:
        repository.save_case(s, owner, _with_option_cost(GROWTH_TEXT, 1, 77), "growth.yaml")
        history = revisions.list_revisions(s, case_id)
    assert [r.number for r in history] == [2, 1]
    assert history[0].summary.startswith("changed option ")
    assert history[0].source_name == "growth.yaml"


def test_invalid_text_raises_located_problems_and_stores_nothing(store: Store) -> None:
    owner = add_owner(store, "fran@example.org")
    case_id = add_case(store, owner)
    bad = _with_option_cost(GROWTH_TEXT, 2, -5)
    with pytest.raises(InputError) as raised, store.session() as s:
        revisions.save_revision(s, case_id, bad, "Fran")
    assert [p.location.field for p in raised.value.problems] == ["options[2].cost"]
    with store.session() as s:
        record = s.get(CaseRecord, case_id)
        assert record is not None and record.revision == 1
        assert record.source_text == GROWTH_TEXT
        assert s.scalar(sa.select(sa.func.count()).select_from(CaseRevision)) == 1


def test_loader_limits_hold_for_revisions(store: Store) -> None:
    owner = add_owner(store, "fran@example.org")
    case_id = add_case(store, owner)
    huge = _with_option_cost(GROWTH_TEXT, 0, 1e308)
    assert "1.0e+308" in huge
    with pytest.raises(InputError) as raised, store.session() as s:
        revisions.save_revision(s, case_id, huge, "Fran")
    assert [p.location.field for p in raised.value.problems] == ["options[0].cost"]


def test_text_that_breaks_stored_inputs_is_refused(store: Store) -> None:
    owner = add_owner(store, "fran@example.org")
    case_id = add_case(store, owner)
    case = parse_case(GROWTH_TEXT)
    criterion = case.criteria[0].id
    with store.session() as s:
        repository.save_inputs(
            s,
            case_id,
            case.stakeholders[0].id,
            StakeholderInputs(weights=DirectWeights(method="direct", values={criterion: 1.0})),
        )
    renamed = GROWTH_TEXT.replace(f"id: {criterion}\n", "id: renamed-criterion\n", 1)
    with pytest.raises(InputError), store.session() as s:
        revisions.save_revision(s, case_id, renamed, "Fran")
    with store.session() as s:
        assert [r.number for r in revisions.list_revisions(s, case_id)] == [1]


def test_renaming_the_case_id_to_one_the_owner_uses_is_refused_on_the_id_field(
    store: Store,
) -> None:
    owner = add_owner(store, "fran@example.org")
    case_id = add_case(store, owner)
    with store.session() as s:
        other = repository.save_case(s, owner, _edited(GROWTH_TEXT, {"id": "other"}), "o.yaml")
        other_id = other.id
    with pytest.raises(InputError) as raised, store.session() as s:
        revisions.save_revision(s, other_id, GROWTH_TEXT, "Fran")
    assert raised.value.problems[0].location.field == "id"
    with store.session() as s:
        moved = revisions.save_revision(s, case_id, _edited(GROWTH_TEXT, {"id": "free"}), "Fran")
        record = s.get(CaseRecord, case_id)
        assert record is not None and record.case_slug == "free"
    assert moved.number == 2


def test_diff_lists_changes_and_changed_lines(store: Store) -> None:
    owner = add_owner(store, "fran@example.org")
    case_id = add_case(store, owner)
    with store.session() as s:
        revisions.save_revision(s, case_id, _edited(GROWTH_TEXT, {"title": "T2"}), "Fran")
        found = revisions.diff(s, case_id, 1, 2)
    assert [str(c) for c in found.changes] == ["changed title"]
    assert any(line.kind == "+" and "T2" in line.text for line in found.lines)
    assert any(line.kind == "-" and "title:" in line.text for line in found.lines)


def test_diff_of_a_missing_revision_is_not_found(store: Store) -> None:
    owner = add_owner(store, "fran@example.org")
    case_id = add_case(store, owner)
    with pytest.raises(NotFoundError, match="no revision 7"), store.session() as s:
        revisions.diff(s, case_id, 1, 7)


def test_deleting_a_case_deletes_its_revisions(store: Store) -> None:
    owner = add_owner(store, "fran@example.org")
    case_id = add_case(store, owner)
    with store.session() as s:
        s.execute(sa.delete(CaseRecord).where(CaseRecord.id == case_id))
    with store.session() as s:
        assert revisions.list_revisions(s, case_id) == []


def test_case_changes_reports_added_removed_and_reordered_entries() -> None:
    case = parse_case(GROWTH_TEXT)
    data = yaml.safe_load(GROWTH_TEXT)
    data["options"].reverse()
    reordered = parse_case(yaml.safe_dump(data, sort_keys=False))
    assert [str(c) for c in revisions.case_changes(case, reordered)] == ["reordered options"]
    data["options"].append({**copy.deepcopy(data["options"][0]), "id": "brand-new"})
    added = parse_case(yaml.safe_dump(data, sort_keys=False))
    assert str(revisions.case_changes(case, added)[0]) == "added option 'brand-new'"
    assert revisions.case_changes(case, case) == []


def test_summary_counts_changes_beyond_the_listed_ones() -> None:
    changes = [revisions.Change("added", "options", f"o{i}") for i in range(15)]
    text = revisions.summarise(changes)
    assert text.endswith("; and 3 more changes")
    assert text.count("added option") == revisions.MAX_LISTED_CHANGES
