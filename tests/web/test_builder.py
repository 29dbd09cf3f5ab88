"""The case builder: a case from a template, section forms, located problems, revisions."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from pathlib import Path

import pytest
from tests.web.conftest import Web, csrf_of, running_web
from tests.web.forms import form_fields, set_field

from accord.io.case_file import parse_case
from accord.io.case_templates import case_templates
from accord.store import revisions
from accord.store.tables import CaseRecord

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
CASE_TEMPLATES = [t.name for t in case_templates()]


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.services)])
def any_web(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Web]:
    if request.param == "postgres":
        schema = request.getfixturevalue("postgres")
        url, tag = schema.url, secrets.token_hex(4)
    else:
        url, tag = None, ""
    with running_web(tmp_path, url, tag) as made:
        made.sign_in()
        yield made


def new_case(web: Web, template: str, title: str = "", case_id: str = "") -> int:
    form = web.client.get("/cases/new")
    response = web.client.post(
        "/cases/new",
        data={"csrf": csrf_of(form.text), "template": template, "title": title, "case_id": case_id},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text
    location = response.headers["location"]
    assert location.endswith("/build/case")
    return int(location.split("/")[2])


def section_form(web: Web, case_id: int, section: str) -> list[tuple[str, str]]:
    page = web.client.get(f"/cases/{case_id}/build/{section}")
    assert page.status_code == 200, page.text
    return form_fields(page.text, f"/cases/{case_id}/build/{section}")


def post_section(
    web: Web, case_id: int, section: str, fields: list[tuple[str, str]], action: str = "save"
) -> tuple[int, str]:
    body = [*fields, ("action", action)]
    response = web.client.post(
        f"/cases/{case_id}/build/{section}",
        content=_encode(body),
        headers={"content-type": "application/x-www-form-urlencoded"},
        follow_redirects=False,
    )
    return response.status_code, response.text


def _encode(fields: list[tuple[str, str]]) -> bytes:
    from urllib.parse import urlencode

    return urlencode(fields).encode()


def stored(web: Web, case_id: int) -> CaseRecord:
    with web.store.session() as s:
        record = s.get(CaseRecord, case_id)
        assert record is not None
        s.expunge(record)
        return record


# --- a case from a template -------------------------------------------------------------


@pytest.mark.parametrize("template", CASE_TEMPLATES)
def test_case_from_each_template_is_revision_1_with_the_title_and_comments(
    web: Web, template: str
) -> None:
    web.sign_in()
    case_id = new_case(web, template, title="Our big call: Q3")
    record = stored(web, case_id)
    source = (EXAMPLES.parent / "src/accord/templates" / f"{template}.yaml").read_text()
    assert record.title == "Our big call: Q3"
    assert record.case_slug == "our-big-call-q3"
    assert record.source_text.splitlines()[0] == source.splitlines()[0]  # comments kept
    with web.store.session() as s:
        history = revisions.list_revisions(s, case_id)
    assert [(r.number, r.summary) for r in history] == [(1, f"created from template '{template}'")]


def test_the_four_init_templates_offer_every_case_template_and_not_the_plan(web: Web) -> None:
    web.sign_in()
    page = web.client.get("/cases/new").text
    for name in CASE_TEMPLATES:
        assert f'value="{name}"' in page
    assert 'value="charter"' not in page  # a plan file, not a case
    response = web.client.post(
        "/cases/new",
        data={"csrf": csrf_of(page), "template": "charter", "title": "x"},
        follow_redirects=False,
    )
    assert response.status_code == 400
    assert "is a plan file, not a case" in response.text


def test_two_cases_from_one_template_get_different_ids(web: Web) -> None:
    web.sign_in()
    first, second = new_case(web, "workshop"), new_case(web, "workshop")
    assert stored(web, first).case_slug == "budget-workshop"
    assert stored(web, second).case_slug == "budget-workshop-2"


def test_taken_or_malformed_case_id_is_shown_next_to_the_id_field(web: Web) -> None:
    web.sign_in()
    new_case(web, "workshop", case_id="mine")
    page = web.client.get("/cases/new").text
    taken = "already have a case with id &#39;mine&#39;"
    for bad, message in (("mine", taken), ("Bad Id", "expected an id")):
        response = web.client.post(
            "/cases/new",
            data={"csrf": csrf_of(page), "template": "workshop", "title": "T", "case_id": bad},
        )
        assert response.status_code == 400
        field = response.text.split('id="new-id"', 1)[1]
        assert message in field.split("</div>", 1)[0]
        assert f'value="{bad}"' in response.text  # typed value kept


# --- saving a section -------------------------------------------------------------------


def test_saved_section_is_a_new_revision_that_the_dashboard_reads(web: Web) -> None:
    web.sign_in()
    case_id = new_case(web, "exec-conflict")
    fields = set_field(section_form(web, case_id, "case"), "title", "Renamed in the builder")
    status, _ = post_section(web, case_id, "case", fields)
    assert status == 303
    assert "Renamed in the builder" in web.client.get(f"/cases/{case_id}").text
    with web.store.session() as s:
        history = revisions.list_revisions(s, case_id)
    assert [(r.number, r.summary, r.author) for r in history][0] == (
        2,
        "changed title",
        "Fran Facilitator",
    )


def test_problem_is_shown_next_to_its_field_with_typed_values_kept_and_nothing_saved(
    web: Web,
) -> None:
    web.sign_in()
    case_id = new_case(web, "exec-conflict")
    before = stored(web, case_id)
    fields = section_form(web, case_id, "options")
    fields = set_field(fields, "options[1].cost", "-5")
    fields = set_field(fields, "options[0].name", "Typed but not saved")
    status, html = post_section(web, case_id, "options", fields)
    assert status == 400
    cost = html.split('id="f-options_1-cost"', 1)[1].split("</div>", 1)[0]
    assert 'aria-invalid="true"' in cost
    assert "expected a number &gt;= 0, got -5" in cost
    assert 'value="Typed but not saved"' in html
    assert stored(web, case_id).source_text == before.source_text
    with web.store.session() as s:
        assert len(revisions.list_revisions(s, case_id)) == 1


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("1e308", "expected a finite number of at most 1e+15, got '1e308'"),
        ("inf", "expected a finite number of at most 1e+15, got 'inf'"),
        ("abc", "expected a number, got 'abc'"),
        ("1e15", None),
    ],
)
def test_form_numbers_hold_the_loaders_limits(web: Web, typed: str, message: str | None) -> None:
    web.sign_in()
    case_id = new_case(web, "exec-conflict")
    fields = set_field(section_form(web, case_id, "budget"), "budget.amount", typed)
    status, html = post_section(web, case_id, "budget", fields)
    if message is None:
        assert status == 303
        assert parse_case(stored(web, case_id).source_text).budget.amount == 1e15  # type: ignore[union-attr]
    else:
        assert status == 400
        field = html.split('id="f-budget-amount"', 1)[1].split("</div>", 1)[0]
        assert message.replace("'", "&#39;") in field


def test_estimate_range_problem_lands_on_its_part(web: Web) -> None:
    web.sign_in()
    case_id = new_case(web, "exec-conflict")
    case = parse_case(stored(web, case_id).source_text)
    criterion = next(c.id for c in case.criteria if not c.scored_by_stakeholders)
    fields = section_form(web, case_id, "options")
    name = f"options[0].estimates.{criterion}"
    fields = set_field(fields, f"{name}.likely", "")
    fields = set_field(fields, f"{name}.low", "1")
    fields = set_field(fields, f"{name}.high", "2")
    status, html = post_section(web, case_id, "options", fields)
    assert status == 400
    likely = html.split(f'id="f-options_0-estimates-{criterion}-likely"', 1)[1]
    assert "missing required key &#39;likely&#39;" in likely.split("</div>", 1)[0]


def test_a_cross_reference_problem_names_the_field_in_the_summary(web: Web) -> None:
    web.sign_in()
    case_id = new_case(web, "exec-conflict")
    fields = set_field(section_form(web, case_id, "case"), "decision_owner", "nobody")
    status, html = post_section(web, case_id, "case", fields)
    assert status == 400
    assert "&#39;nobody&#39; is not a stakeholder id" in html
    assert '<a href="#f-decision_owner">' in html


def test_add_and_remove_entries_change_the_form_without_saving(web: Web) -> None:
    web.sign_in()
    case_id = new_case(web, "exec-conflict")
    before = stored(web, case_id).source_text
    fields = section_form(web, case_id, "guardrails")
    count = sum(1 for k, _ in fields if k.endswith("._") and k.startswith("guardrails["))
    status, html = post_section(web, case_id, "guardrails", fields, "add:guardrails")
    assert status == 200
    assert f'name="guardrails[{count}]._"' in html
    assert "autofocus" in html.split(f'name="guardrails[{count}]._"', 1)[1]
    added = form_fields(html, f"/cases/{case_id}/build/guardrails")
    status, html = post_section(web, case_id, "guardrails", added, f"remove:guardrails[{count}]")
    assert f'name="guardrails[{count}]._"' not in html
    assert stored(web, case_id).source_text == before


def test_new_entry_saved_with_its_fields(web: Web) -> None:
    web.sign_in()
    case_id = new_case(web, "exec-conflict")
    case = parse_case(stored(web, case_id).source_text)
    _, html = post_section(web, case_id, "facts", section_form(web, case_id, "facts"), "add:facts")
    fields = form_fields(html, f"/cases/{case_id}/build/facts")
    n = len(case.facts)
    who = case.stakeholders[0].id
    fields += [
        (f"facts[{n}].id", "churn-q2"),
        (f"facts[{n}].statement", "Churn was 3% in Q2"),
        (f"facts[{n}].source", "Finance dashboard"),
        (f"facts[{n}].disputed_by", who),
    ]
    status, _ = post_section(web, case_id, "facts", fields)
    assert status == 303
    fact = parse_case(stored(web, case_id).source_text).facts[-1]
    assert (fact.id, fact.source, fact.disputed_by) == ("churn-q2", "Finance dashboard", [who])
    with web.store.session() as s:
        assert revisions.list_revisions(s, case_id)[0].summary == "added fact 'churn-q2'"


def test_builder_pages_of_another_facilitator_are_not_found(web: Web) -> None:
    web.sign_in()
    case_id = new_case(web, "workshop")
    web.client.cookies.clear()
    web.sign_in("other@example.org")
    for path in ("build/case", "history", "case.yaml", "revisions/1.yaml", "diff?old=1&new=1"):
        assert web.client.get(f"/cases/{case_id}/{path}").status_code == 404


def test_save_without_csrf_is_refused(web: Web) -> None:
    web.sign_in()
    case_id = new_case(web, "workshop")
    fields = [(k, v) for k, v in section_form(web, case_id, "case") if k != "csrf"]
    status, _ = post_section(web, case_id, "case", fields)
    assert status == 400
    with web.store.session() as s:
        assert len(revisions.list_revisions(s, case_id)) == 1


def test_unknown_section_is_not_found(web: Web) -> None:
    web.sign_in()
    case_id = new_case(web, "workshop")
    assert web.client.get(f"/cases/{case_id}/build/nonsense").status_code == 404


# --- history, diff, download ------------------------------------------------------------


def test_history_and_diff_show_who_changed_what(web: Web) -> None:
    web.sign_in()
    case_id = new_case(web, "exec-conflict")
    fields = set_field(section_form(web, case_id, "case"), "title", "Second title")
    post_section(web, case_id, "case", fields)
    page = web.client.get(f"/cases/{case_id}/history").text
    assert "changed title" in page and "created from template" in page
    assert "Fran Facilitator" in page
    diff = web.client.get(f"/cases/{case_id}/diff?old=1&new=2").text
    assert '<li class="changed">changed title</li>' in diff
    assert 'class="add"><span class="sr">added: </span>+ title: Second title' in diff
    assert web.client.get(f"/cases/{case_id}/diff?old=1&new=9").status_code == 404


def test_download_is_the_current_revision_and_each_revision_downloads(web: Web) -> None:
    web.sign_in()
    case_id = new_case(web, "workshop")
    first = stored(web, case_id).source_text
    post_section(web, case_id, "case", set_field(section_form(web, case_id, "case"), "title", "B"))
    current = web.client.get(f"/cases/{case_id}/case.yaml")
    assert current.headers["content-disposition"] == 'attachment; filename="budget-workshop.yaml"'
    assert current.text == stored(web, case_id).source_text
    assert parse_case(current.text).title == "B"
    assert web.client.get(f"/cases/{case_id}/revisions/1.yaml").text == first


# --- every example and template survives the forms unchanged ----------------------------


def _case_files() -> list[Path]:
    examples = [p for p in sorted(EXAMPLES.glob("*.yaml")) if "kind: plan" not in p.read_text()]
    return examples + [t.path for t in case_templates()]


@pytest.mark.parametrize("path", _case_files(), ids=lambda p: p.name)
def test_every_section_posted_unchanged_round_trips_the_case(
    any_web: Web, path: Path, tmp_path: Path
) -> None:
    """Upload, post every builder form as rendered, download: the same case, valid YAML."""
    from typer.testing import CliRunner

    from accord.cli import app
    from accord.web.case_form import SECTIONS

    web = any_web
    original = parse_case(path.read_text(encoding="utf-8"), path=path.name)
    page = web.client.get("/")
    upload = web.client.post(
        "/cases",
        data={"csrf": csrf_of(page.text), "source": path.read_text(encoding="utf-8")},
        follow_redirects=False,
    )
    assert upload.status_code == 303, upload.text
    case_id = int(upload.headers["location"].split("/")[2])
    for section in SECTIONS:
        fields = section_form(web, case_id, section.slug)
        status, html = post_section(web, case_id, section.slug, fields)
        assert status == 303, f"{section.slug}: {html[html.find('problems') :][:2000]}"
    downloaded = web.client.get(f"/cases/{case_id}/case.yaml").text
    assert parse_case(downloaded) == original
    target = tmp_path / "downloaded.yaml"
    target.write_text(downloaded, encoding="utf-8")
    result = CliRunner().invoke(app, ["validate", str(target)])
    assert result.exit_code == 0, result.output
