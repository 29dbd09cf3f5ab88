"""The stakeholder page: what they judge, every elicitation method, the live consistency
ratio, empty submissions, and notes that reach the dashboard and the report."""

from __future__ import annotations

import re

import pytest
import yaml
from tests.web.conftest import EXAMPLES, Web, csrf_of
from tests.web.test_cases import new_link, upload

from accord.analysis.weights import ahp_weights
from accord.io.case_file import parse_case
from accord.model.case import Case
from accord.model.inputs import StakeholderInputs
from accord.store import repository
from accord.web.input_form import consistency, form_values, inputs_from_form

CRITERIA = ("new-arr-smb", "new-arr-ent", "gross-margin", "smb-churn", "ent-nrr", "cac-payback")


def _case() -> Case:
    path = EXAMPLES / "growth-vs-margin.yaml"
    return parse_case(path.read_text(encoding="utf-8"), path=str(path))


def _visit(web: Web, stakeholder: str = "cfo") -> tuple[int, str, str]:
    """Case id, the stakeholder's link, and the CSRF field of their form (signed out)."""
    web.sign_in()
    case_id = upload(web)
    link = new_link(web, case_id, stakeholder)
    web.client.cookies.clear()
    form = web.client.get(link)
    assert form.status_code == 200
    return case_id, link, csrf_of(form.text)


def _analysed(web: Web, case_id: int, stakeholder: str) -> dict[str, object]:
    web.sign_in()
    found: dict[str, object] = next(
        s
        for s in web.client.get(f"/cases/{case_id}/analysis.json").json()["stakeholders"]
        if s["id"] == stakeholder
    )
    return found


def test_form_shows_estimates_ranges_and_facts_with_sources(web: Web) -> None:
    _, link, _ = _visit(web)
    html = web.client.get(link).text
    # Segment-targeted compromise's gross margin: likely 72.5, range 71.5-73.5.
    assert '72.5 <span class="muted">(71.5–73.5)</span>' in html
    assert "H1 FY27 pipeline coverage is 2.3x against a 3x target" in html
    assert "Source: CRM pipeline report, 2026-11-15 snapshot" in html
    for method in ("direct", "points", "rank", "ahp"):
        assert f'name="weights.method" value="{method}"' in html


def test_every_input_field_has_a_label(web: Web) -> None:
    _, link, _ = _visit(web)
    html = web.client.get(link).text
    for tag in re.findall(r"<(?:input|select|textarea)\b[^>]*>", html):
        if 'type="hidden"' in tag:
            continue
        named = "aria-label=" in tag or re.search(r'id="([^"]+)"', tag)
        wrapped = re.search(r'name="(notes|weights\.method|vote\.[^"]+)"', tag)
        assert named or wrapped, f"unlabelled field: {tag}"
        if not wrapped and "aria-label=" not in tag:
            ident = re.search(r'id="([^"]+)"', tag)
            assert ident and f'for="{ident.group(1)}"' in html, f"no label for {tag}"


def test_empty_submission_is_refused_and_stores_nothing(web: Web) -> None:
    case_id, link, csrf = _visit(web)
    response = web.client.post(link, data={"csrf": csrf, "weights.method": "points"})
    assert response.status_code == 400
    assert "nothing to save: the form is empty" in response.text
    web.sign_in()
    assert "given through a link" not in web.client.get(f"/cases/{case_id}").text
    # One field is enough to count.
    web.client.cookies.clear()
    saved = web.client.post(link, data={"csrf": csrf, "vote.s4": "agree"})
    assert saved.status_code == 200, saved.text


def test_hundred_points_are_stored_as_points_and_must_sum_to_100(web: Web) -> None:
    case_id, link, csrf = _visit(web)
    fields = {"csrf": csrf, "weights.method": "points", "points.gross-margin": "60"}
    fields["points.new-arr-smb"] = "30"
    refused = web.client.post(link, data=fields)
    assert refused.status_code == 400 and "points must sum to 100, got 90" in refused.text
    assert 'value="60"' in refused.text  # what they typed is kept
    fields["points.new-arr-smb"] = "40"
    assert web.client.post(link, data=fields).status_code == 200
    cfo = _analysed(web, case_id, "cfo")
    assert cfo["weight_method"] == "points"
    assert cfo["weights"] == pytest.approx(  # type: ignore[comparison-overlap]
        {c: 0.0 for c in (*CRITERIA, "time-to-impact")} | {"gross-margin": 0.6, "new-arr-smb": 0.4}
    )


def test_ranked_criteria_become_rank_order_centroid_weights(web: Web) -> None:
    case_id, link, csrf = _visit(web)
    fields = {"csrf": csrf, "weights.method": "rank", "crank.gross-margin": "1"}
    fields.update({"crank.smb-churn": "2", "crank.ent-nrr": "2"})  # a tie
    assert web.client.post(link, data=fields).status_code == 200
    cfo = _analysed(web, case_id, "cfo")
    weights = cfo["weights"]
    assert isinstance(weights, dict) and cfo["weight_method"] == "rank"
    assert weights["gross-margin"] > weights["smb-churn"] == weights["ent-nrr"] > 0
    # The form shows the criteria in the stated order, the tie kept.
    html = web.client.get(link).text
    assert html.index('id="crank.gross-margin"') < html.index('id="crank.smb-churn"')
    assert 'name="crank.ent-nrr"\n           value="2"' in html


def test_unknown_weight_method_is_named(web: Web) -> None:
    _, link, csrf = _visit(web)
    response = web.client.post(link, data={"csrf": csrf, "weights.method": "dice", "notes": "x"})
    assert response.status_code == 400
    assert "weights.method" in response.text and "unknown method &#39;dice&#39;" in response.text


# Every criterion linked by a chain of judgements (a tree is always consistent: CR 0) ...
CHAIN = {
    "ahp.new-arr-smb.new-arr-ent": "3",
    "ahp.new-arr-ent.gross-margin": "3",
    "ahp.gross-margin.smb-churn": "5",
    "ahp.smb-churn.ent-nrr": "1",
    "ahp.ent-nrr.cac-payback": "1/3",
    "ahp.cac-payback.time-to-impact": "7",
}
# ... and with triads closed consistently (9 = 3 x 3), mildly off, and contradicting it.
MATRICES = [
    CHAIN,
    {**CHAIN, "ahp.new-arr-smb.gross-margin": "9"},
    {**CHAIN, "ahp.new-arr-smb.gross-margin": "5", "ahp.gross-margin.ent-nrr": "3"},
    {**CHAIN, "ahp.new-arr-smb.gross-margin": "1/9", "ahp.new-arr-ent.time-to-impact": "1/7"},
]


def _engine_cr(case: Case, fields: dict[str, str]) -> float:
    """The engine's CR computed directly from the same judgements."""
    index = {c.id: i for i, c in enumerate(case.criteria)}
    triples = []
    for key, text in fields.items():
        _, a, b = key.split(".")
        num, _, den = text.partition("/")
        triples.append((index[a], index[b], float(num) / float(den or 1)))
    return ahp_weights(len(index), triples).cr


@pytest.mark.parametrize("judgements", MATRICES)
def test_live_consistency_ratio_is_the_engines(web: Web, judgements: dict[str, str]) -> None:
    _, link, csrf = _visit(web)
    response = web.client.post(f"{link}/consistency", data={"csrf": csrf, **judgements})
    assert response.status_code == 200
    shown = re.search(r"Consistency ratio ([0-9.]+)", response.text)
    assert shown, response.text
    expected = _engine_cr(_case(), judgements)
    assert float(shown.group(1)) == pytest.approx(expected, abs=5e-4)
    verdict = "consistent (at most 0.10" if expected <= 0.1 else "inconsistent"
    assert verdict in response.text


def test_consistency_flips_when_one_judgement_contradicts_the_others(web: Web) -> None:
    case = _case()
    found = consistency(case, {**CHAIN, "ahp.new-arr-smb.gross-margin": "9"})
    assert found is not None and found.consistent and found.cr is not None and found.cr <= 0.1
    flipped = consistency(case, {**CHAIN, "ahp.new-arr-smb.gross-margin": "1/9"})
    assert flipped is not None and not flipped.consistent and flipped.worst is not None


def test_consistency_needs_a_csrf_field(web: Web) -> None:
    _, link, _ = _visit(web)
    response = web.client.post(f"{link}/consistency", data=MATRICES[0])
    assert response.status_code in (400, 403)


def test_pairwise_judgements_are_analysed_as_ahp(web: Web) -> None:
    case_id, link, csrf = _visit(web)
    saved = web.client.post(link, data={"csrf": csrf, "weights.method": "ahp", **MATRICES[3]})
    assert saved.status_code == 200, saved.text
    assert "Consistency ratio" in saved.text and 'value="1/9" selected' in saved.text
    cfo = _analysed(web, case_id, "cfo")
    assert cfo["weight_method"] == "ahp"
    notes = cfo["weight_notes"]
    assert isinstance(notes, list)
    assert f"AHP consistency ratio {_engine_cr(_case(), MATRICES[3]):.3f}" in notes[0]


def test_unlinked_pairwise_judgements_say_what_to_compare(web: Web) -> None:
    case = _case()
    found = consistency(case, {"ahp.new-arr-smb.new-arr-ent": "3"})
    assert found is not None and found.cr is None
    assert found.problem is not None and "never link" in found.problem
    _, link, csrf = _visit(web)
    fields = {"csrf": csrf, "weights.method": "ahp", "ahp.new-arr-smb.new-arr-ent": "3"}
    refused = web.client.post(link, data=fields)
    assert refused.status_code == 400 and "never link" in refused.text


@pytest.mark.parametrize(
    "fields",
    [
        {"weights.method": "direct", "w.gross-margin": "2", "w.ent-nrr": "0.5"},
        {"weights.method": "points", "points.gross-margin": "70", "points.ent-nrr": "30"},
        {"weights.method": "rank", "crank.gross-margin": "1", "crank.ent-nrr": "2"},
        {"weights.method": "ahp", **MATRICES[3]},
        {"rank.segment-split": "1", "rank.hold-and-hire": "2", "rank.discount-push": "2"},
        {"rating.segment-split": "7.5", "notes": "fine", "vote.s4": "pass"},
    ],
)
def test_form_values_give_back_what_was_typed(fields: dict[str, str]) -> None:
    case = _case()
    inputs = inputs_from_form(case, fields, ["segment-split"])
    again = form_values(case, inputs)
    for key, value in fields.items():
        assert again[key] == value, key
    assert inputs_from_form(case, again, ["segment-split"]) == inputs


def test_notes_reach_the_dashboard_and_the_report(web: Web) -> None:
    case_id, link, csrf = _visit(web)
    note = "Needs the churn re-cut by deal stage before Friday"
    assert web.client.post(link, data={"csrf": csrf, "notes": note}).status_code == 200
    web.sign_in()
    assert note in web.client.get(f"/cases/{case_id}").text
    assert note in web.client.get(f"/cases/{case_id}/report").text


def test_stakeholder_page_orders_options_by_their_ranking() -> None:
    case = _case()
    inputs = StakeholderInputs(ranking=["hold-and-hire", "segment-split"])
    values = form_values(case, inputs)
    assert values["rank.hold-and-hire"] == "1" and values["rank.segment-split"] == "2"
    from accord.web.input_form import ordered

    order = ordered([o.id for o in case.options], values, "rank")
    assert order[:2] == ["hold-and-hire", "segment-split"]
    assert set(order[2:]) == {o.id for o in case.options} - {"hold-and-hire", "segment-split"}


def test_statement_votes_need_a_known_answer() -> None:
    case = _case()
    source = yaml.safe_load((EXAMPLES / "growth-vs-margin.yaml").read_text(encoding="utf-8"))
    statement = source["statements"][0]["id"]
    with pytest.raises(Exception, match="nothing to save"):
        inputs_from_form(case, {f"vote.{statement}": "maybe"}, [])


def _matrix(case: Case, inputs: StakeholderInputs) -> list[list[float]]:
    from accord.analysis.weights import judgement_matrix
    from accord.model.inputs import AhpWeights

    assert isinstance(inputs.weights, AhpWeights)
    index = {c.id: i for i, c in enumerate(case.criteria)}
    triples = [(index[j.more], index[j.less], j.ratio) for j in inputs.weights.judgements]
    return judgement_matrix(len(index), triples).round(12).tolist()


def test_case_file_judgements_survive_a_resave_unchanged() -> None:
    case = _case()
    stated = case.inputs["cfo"]  # 21 judgements, with 2 and 4 between Saaty's odd steps
    values = form_values(case, stated)
    again = inputs_from_form(case, values, stated.approvals)
    assert _matrix(case, again) == _matrix(case, stated)
    assert again.ranking == stated.ranking and again.ratings == stated.ratings
    assert again.statement_votes == stated.statement_votes and again.notes == stated.notes


def test_resaving_through_the_form_keeps_the_dots_it_does_not_ask_for(web: Web) -> None:
    case_id, link, csrf = _visit(web)
    assert web.client.post(link, data={"csrf": csrf, "notes": "only a note"}).status_code == 200
    with web.store.session() as session:
        stored = repository.stored_inputs(session, case_id)["cfo"]
    assert stored.dots == _case().inputs["cfo"].dots and stored.notes == "only a note"
