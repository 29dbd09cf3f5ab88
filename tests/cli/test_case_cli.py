"""`accord validate`, `accord schema` and `accord init`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from accord.cli import main
from accord.cli.case import template_names

REPO = Path(__file__).resolve().parents[2]
BAD = REPO / "tests" / "data" / "bad"
TEMPLATES = REPO / "src" / "accord" / "templates"
EXAMPLES = REPO / "examples"

# fixture -> the exact located line `accord validate` prints for it
BAD_FIXTURES = {
    "accept-dispute": "19:5: facts[0]: 'cmo' both accepts and disputes this fact (choose one)",
    "ahp-ratio": "24:47: inputs.cfo.weights.judgements[0].ratio: expected a number <= 9, got 12",
    "alias": "13:24: criteria[1].name: YAML aliases (*name) are not supported: write the value out",
    "bad-choice": "13:49: criteria[0].direction: expected 'maximise' or 'minimise', "
    "got 'maximize' (did you mean 'maximise'?)",
    "bad-date": "5:11: deadline: expected a valid date, got '2027-02-30'",
    "bad-id": "6:10: stakeholders[0].id: expected an id (lowercase letters, digits, '-' or '_', "
    "starting with a letter or digit), got 'CFO Office'",
    "broken-yaml": "8:4: invalid YAML: did not find expected '-' indicator "
    "(while parsing a block collection)",
    "dangling-owner": "19:86: options[0].risks[0].owner: 'cfoo' is not a stakeholder id "
    "(did you mean 'cfo'?)",
    "dangling-ranking": "20:21: inputs.cmo.ranking[1]: 'holdd' is not an option id "
    "(did you mean 'hold'?)",
    "dots-over-budget": "21:11: inputs.cmo.dots: 5 dots given, over the dots_budget of 3",
    "duplicate-id": "18:9: options[1].id: duplicate id 'hold' (also options[0])",
    "duplicate-key": "4:1: title: duplicate key 'title' (first given on line 3)",
    "missing-estimate": "18:16: options[0].estimates: option 'hold' has no estimate "
    "for criterion 'growth'",
    "missing-key": "1:1: title: missing required key 'title'",
    "nan": "17:25: options[0].estimates.margin: expected a finite number, got '.nan'",
    "non-utf8": "6:27: not UTF-8 text: byte 0xff cannot be decoded",
    "not-mapping": "1:1: expected a mapping of keys at the top level, got a list",
    "points-sum": "21:14: inputs.cfo.weights: points must sum to 100, got 90",
    "probability": "19:63: options[0].risks[0].likelihood: expected a number <= 1, got 1.4",
    "range-order": "17:25: options[0].estimates.margin: expected low <= likely <= high, "
    "got low 65, likely 63, high 70",
    "scenario-sum": "19:3: scenarios: scenario probabilities must sum to 1, got 0.8",
    "unknown-key": "5:1: stakholders: unknown key 'stakholders' (did you mean 'stakeholders'?)",
    "weights-method": "20:14: inputs.cmo.weights: expected 'method' one of 'direct', 'points', "
    "'swing', 'rank', 'ahp', got 'pointz' (did you mean 'points'?)",
    "wrong-type": "11:17: stakeholders[1].goals[0].target: expected a number, got 'high'",
}


def test_bad_fixtures_all_have_an_expected_message() -> None:
    assert sorted(p.stem for p in BAD.glob("*.yaml")) == sorted(BAD_FIXTURES)


@pytest.mark.parametrize("name", sorted(BAD_FIXTURES))
def test_validate_bad_fixture_prints_located_line(
    name: str, capsys: pytest.CaptureFixture[str]
) -> None:
    path = BAD / f"{name}.yaml"
    code = main(["validate", str(path)])
    err = capsys.readouterr().err
    assert code == 2
    assert f"{path}:{BAD_FIXTURES[name]}" in err.splitlines()
    assert "Traceback" not in err


def test_validate_bad_fixture_json_gives_problem_fields(capsys: pytest.CaptureFixture[str]) -> None:
    path = BAD / "wrong-type.yaml"
    code = main(["validate", "--json", str(path)])
    out = json.loads(capsys.readouterr().out)
    assert code == 2
    assert out["valid"] is False
    assert out["files"][0]["problems"] == [
        {
            "path": str(path),
            "line": 11,
            "column": 17,
            "field": "stakeholders[1].goals[0].target",
            "message": "expected a number, got 'high'",
        }
    ]


@pytest.mark.parametrize("name", template_names())
def test_validate_template_prints_ok(name: str, capsys: pytest.CaptureFixture[str]) -> None:
    path = TEMPLATES / f"{name}.yaml"
    code = main(["validate", str(path)])
    out = capsys.readouterr().out
    assert code == 0
    assert out.startswith(f"ok {path} (")


def test_validate_examples_exit_zero(capsys: pytest.CaptureFixture[str]) -> None:
    examples = sorted(EXAMPLES.glob("*.yaml"))
    if not examples:
        pytest.skip("no examples yet")
    code = main(["validate", *map(str, examples)])
    out = capsys.readouterr()
    assert code == 0, out.err
    assert len(out.out.splitlines()) == len(examples)


def test_validate_mixed_files_exit_two_and_report_each(capsys: pytest.CaptureFixture[str]) -> None:
    good = TEMPLATES / "workshop.yaml"
    code = main(["validate", "--json", str(good), str(BAD / "nan.yaml")])
    out = json.loads(capsys.readouterr().out)
    assert code == 2
    assert [f["valid"] for f in out["files"]] == [True, False]
    assert out["files"][0]["summary"] == "case: 4 stakeholders, 3 options, 1 criteria"


def test_validate_missing_file_exit_two(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["validate", str(tmp_path / "nope.yaml")])
    assert code == 2
    assert "no such case file" in capsys.readouterr().err


def test_validate_unknown_kind_suggests(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "odd.yaml"
    path.write_text("accord: 1\nkind: plna\n", encoding="utf-8")
    code = main(["validate", str(path)])
    assert code == 2
    assert "unknown document kind 'plna' (did you mean 'plan'?)" in capsys.readouterr().err


def test_schema_prints_case_schema(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["schema"])
    schema = json.loads(capsys.readouterr().out)
    assert code == 0
    assert schema["$id"].endswith("accord-case.schema.json")
    assert "stakeholders" in schema["properties"]


def test_schema_of_the_analysis_validates_real_output(
    capsys: pytest.CaptureFixture[str],
) -> None:
    import jsonschema

    assert main(["schema", "--kind", "analysis"]) == 0
    schema = json.loads(capsys.readouterr().out)
    assert {"choice", "cruxes", "agreement"} <= set(schema["properties"])
    example = Path(__file__).resolve().parents[2] / "examples" / "growth-vs-margin.yaml"
    assert main(["analyze", str(example), "--json", "--draws", "0"]) in (0, 1)
    jsonschema.validate(json.loads(capsys.readouterr().out), schema)


def test_schema_unknown_kind_exit_two(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["schema", "--kind", "cas"])
    assert code == 2
    assert "unknown kind 'cas' (did you mean 'case'?)" in capsys.readouterr().err


def test_init_copies_template_that_validates(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "new"
    assert main(["init", str(target), "--template", "inverse-goals"]) == 0
    assert (target / "case.yaml").read_text(encoding="utf-8") == (
        TEMPLATES / "inverse-goals.yaml"
    ).read_text(encoding="utf-8")
    capsys.readouterr()
    assert main(["validate", str(target / "case.yaml")]) == 0


def test_init_refuses_to_overwrite_without_force(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["init", str(tmp_path)]) == 0
    assert main(["init", str(tmp_path)]) == 2
    assert "already exists (use --force to overwrite it)" in capsys.readouterr().err
    assert main(["init", str(tmp_path), "--force", "--template", "workshop"]) == 0


def test_init_unknown_template_lists_templates(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["init", str(tmp_path), "--template", "workshp"])
    err = capsys.readouterr().err
    assert code == 2
    assert "unknown template 'workshp' (did you mean 'workshop'?)" in err
    assert "exec-conflict" in err


def test_init_json_reports_created_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["init", str(tmp_path), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out == {"created": str(tmp_path / "case.yaml"), "template": "exec-conflict"}


def test_templates_include_required_starters() -> None:
    assert {"exec-conflict", "inverse-goals", "workshop"} <= set(template_names())
