"""Fixtures for the report tests: a realistic analysis in the pinned ``Analysis.to_dict()`` shape.

The sample tells the growth-vs-margin story (CRO vs CFO, CEO decides) with every section filled,
including a portfolio, an opinion map and duplicates that this example does not have, so each
template section is exercised.  ``sparse_analysis`` nulls the optional sections.
"""

from __future__ import annotations

import copy
from typing import Any

import pytest

STAKEHOLDERS = [
    ("cro", "Marcus Reyes", "Chief Revenue Officer", "consulted"),
    ("cfo", "Priya Natarajan", "Chief Financial Officer", "consulted"),
    ("ceo", "Elena Brandt", "Chief Executive Officer", "accountable"),
    ("vp-pmm", "Sam Okafor", "VP Product Marketing", "responsible"),
    ("head-cs", "Grace Liu", "VP Customer Success", "consulted"),
]
OPTIONS = [
    ("discount-push", "Aggressive SMB discounting", "sales", 600000.0, 1.0),
    ("usage-pricing", "Usage-based pricing", "product-marketing", 1400000.0, 20.0),
    ("packaging-tiers", "New packaging with an entry tier", "product-marketing", 450000.0, 6.0),
    ("hold-and-hire", "Hold prices and add sales capacity", "sales", 2400000.0, 2.0),
    ("segment-split", "Segment-targeted compromise", "product-marketing", 900000.0, 8.0),
]
CRITERIA = [
    ("new-arr-smb", "New ARR, SMB", "USD m", "maximise", "smb"),
    ("new-arr-ent", "New ARR, enterprise", "USD m", "maximise", "enterprise"),
    ("gross-margin", "Blended gross margin", "%", "maximise", None),
    ("smb-churn", "SMB gross logo churn", "% per year", "minimise", "smb"),
    ("ent-nrr", "Enterprise NRR", "%", "maximise", "enterprise"),
    ("cac-payback", "CAC payback", "months", "minimise", None),
    ("time-to-impact", "Time to ARR impact", "months", "minimise", None),
]
WEIGHTS = {
    "cro": [0.30, 0.25, 0.05, 0.05, 0.10, 0.10, 0.15],
    "cfo": [0.06, 0.07, 0.36, 0.12, 0.12, 0.23, 0.04],
    "ceo": [0.16, 0.22, 0.20, 0.09, 0.16, 0.11, 0.06],
    "vp-pmm": [0.20, 0.15, 0.15, 0.15, 0.10, 0.10, 0.15],
    "head-cs": [0.11, 0.16, 0.16, 0.23, 0.34, 0.06, 0.04],
}
UTILITIES = {
    "cro": [0.71, 0.52, 0.49, 0.44, 0.63],
    "cfo": [0.31, 0.50, 0.68, 0.55, 0.62],
    "ceo": [0.45, 0.53, 0.60, 0.57, 0.64],
    "vp-pmm": [0.58, 0.55, 0.56, 0.46, 0.61],
    "head-cs": [0.36, 0.52, 0.63, 0.62, 0.59],
}
STATED = {
    "cro": [
        ["discount-push"],
        ["segment-split"],
        ["usage-pricing"],
        ["hold-and-hire", "packaging-tiers"],
    ],
    "cfo": [
        ["packaging-tiers"],
        ["segment-split"],
        ["hold-and-hire"],
        ["usage-pricing"],
        ["discount-push"],
    ],
    "ceo": [
        ["segment-split"],
        ["hold-and-hire", "packaging-tiers"],
        ["usage-pricing"],
        ["discount-push"],
    ],
    "vp-pmm": None,
    "head-cs": [
        ["packaging-tiers", "hold-and-hire"],
        ["segment-split"],
        ["usage-pricing"],
        ["discount-push"],
    ],
}


def _ranking(utilities: dict[str, float]) -> list[list[str]]:
    return [[o] for o, _ in sorted(utilities.items(), key=lambda kv: -kv[1])]


def build_sample_analysis() -> dict[str, Any]:
    option_ids = [o[0] for o in OPTIONS]
    criterion_ids = [c[0] for c in CRITERIA]
    stakeholders = []
    for sid, name, role, raci in STAKEHOLDERS:
        utilities = dict(zip(option_ids, UTILITIES[sid], strict=True))
        ranking = _ranking(utilities)
        stakeholders.append(
            {
                "id": sid,
                "name": name,
                "role": role,
                "raci": raci,
                "influence": "high" if sid in ("cro", "cfo", "ceo") else "medium",
                "interest": "high",
                "weight_method": {"cro": "points", "cfo": "ahp", "ceo": "swing"}.get(sid, "direct"),
                "weights": dict(zip(criterion_ids, WEIGHTS[sid], strict=True)),
                "weight_notes": (
                    ["AHP consistency ratio 0.06 (acceptable, below 0.10)"] if sid == "cfo" else []
                ),
                "utilities": utilities,
                "ranking": ranking,
                "stated_ranking": STATED[sid],
                "top": ranking[0],
                "p_first": {o: (0.7 if [o] == ranking[0] else 0.075) for o in option_ids},
            }
        )
    group_u = {o: sum(UTILITIES[s][i] for s in UTILITIES) / 5 for i, o in enumerate(option_ids)}
    return {
        "provenance": {
            "accord_version": "0.1.0",
            "case_id": "growth-vs-margin",
            "case_sha256": "9f2c1e7a" + "0" * 56,
            "seed": 20261123,
            "normalization": "vector",
            "draws": 2000,
            "distribution": "pert",
            "generated_for": "2026-11-23",
        },
        "case": {
            "id": "growth-vs-margin",
            "title": "FY27 pricing and go-to-market plan",
            "question": "Which pricing and go-to-market plan do we commit to for FY27?",
            "context": "ARR closed FY26 at about $48m; H1 pipeline coverage is 2.3x.",
            "deadline": "2027-01-29",
            "decision_kind": "choose_one",
            "budget": {"amount": 2500000.0, "currency": "USD"},
            "capacity": {"amount": 24.0, "unit": "engineer-months"},
            "decision_owner": {
                "id": "ceo",
                "name": "Elena Brandt",
                "role": "Chief Executive Officer",
            },
            "escalation": ["vp-pmm", "ceo"],
            "cadence": {
                "review_every_days": 14,
                "standup": "biweekly",
                "start": "2026-11-23",
                "checkpoints": [
                    {"name": "Shared fact base agreed", "date": "2026-12-18"},
                    {"name": "Alignment check before FY27 budget approval", "date": "2027-01-15"},
                ],
            },
        },
        "stakeholders": stakeholders,
        "options": [
            {"id": o, "name": n, "description": f"{n}.", "team": t, "cost": c, "effort": e}
            for o, n, t, c, e in OPTIONS
        ],
        "criteria": [
            {
                "id": c,
                "name": n,
                "unit": u,
                "direction": d,
                "goal": None,
                "segment": seg,
                "horizon": "FY27",
                "discriminates": True,
            }
            for c, n, u, d, seg in CRITERIA
        ],
        "group": {
            "utilities": group_u,
            "ranking": _ranking(group_u),
            "topsis": {o: round(u * 0.9, 3) for o, u in group_u.items()},
            "p_first": {o: (0.55 if o == "segment-split" else 0.1125) for o in option_ids},
        },
        "voting": {
            "rules": {
                "borda": {"winners": ["segment-split"], "ranking": _ranking(group_u)},
                "schulze": {"winners": ["segment-split"], "ranking": _ranking(group_u)},
                "plurality": {"winners": ["packaging-tiers", "segment-split"], "ranking": None},
                "approval": {"winners": ["segment-split"], "ranking": None},
            },
            "condorcet_winner": "segment-split",
            "rule_matters": True,
            "summary": "Segment-targeted compromise is the Condorcet winner; plurality ties it "
            "with New packaging.",
        },
        "agreement": {
            "alignment_index": 58.4,
            "sentences": [
                "Moderate alignment: stakeholders agree on enterprise and disagree on SMB.",
                "Marcus Reyes and Priya Natarajan differ most on Blended gross margin "
                "(0.05 vs 0.36).",
            ],
            "kendall_w": 0.41,
            "kendall_p": 0.08,
            "krippendorff_alpha": 0.22,
            "pairwise": {
                "stakeholders": [s[0] for s in STAKEHOLDERS],
                "tau": [
                    [1.0, -0.2, 0.0, 0.6, -0.4],
                    [-0.2, 1.0, 0.6, 0.2, 0.8],
                    [0.0, 0.6, 1.0, 0.4, 0.6],
                    [0.6, 0.2, 0.4, 1.0, 0.0],
                    [-0.4, 0.8, 0.6, 0.0, 1.0],
                ],
            },
            "weight_dispersion": [
                {
                    "criterion": "gross-margin",
                    "mean": 0.18,
                    "std": 0.10,
                    "range": 0.31,
                    "lowest": "cro",
                    "highest": "cfo",
                    "low": 0.05,
                    "high": 0.36,
                },
                {
                    "criterion": "new-arr-smb",
                    "mean": 0.17,
                    "std": 0.08,
                    "range": 0.24,
                    "lowest": "cfo",
                    "highest": "cro",
                    "low": 0.06,
                    "high": 0.30,
                },
            ],
            "facts": {
                "accepted_by_all": ["pipeline-coverage", "gross-margin-fy26"],
                "disputed": [
                    {
                        "fact": "discount-churn",
                        "by": ["cro"],
                        "statement": "Discounted SMB cohorts churn 1.6x faster in year one",
                    },
                    {
                        "fact": "discount-win-rate",
                        "by": ["cfo"],
                        "statement": "SMB win rate is 27% on discounted deals against 19% at list",
                    },
                ],
            },
        },
        "common_ground": {
            "criteria": [{"criterion": "new-arr-ent", "mean": 0.17, "spread": 0.08}],
            "options": ["segment-split"],
            "facts": ["pipeline-coverage", "gross-margin-fy26"],
            "goals": [{"goal": "profitable-growth", "options": ["segment-split", "hold-and-hire"]}],
            "sentences": [
                "Everyone accepts that H1 pipeline coverage is 2.3x against a 3x target.",
                "Every stakeholder ranks Segment-targeted compromise in their top half.",
                "All weigh enterprise new ARR within 0.08 of each other.",
            ],
        },
        "camps": {
            "camps": [
                {"id": 1, "members": ["cro", "vp-pmm"], "label": "Growth first"},
                {"id": 2, "members": ["cfo", "ceo", "head-cs"], "label": "Margin and retention"},
            ],
            "shared": ["Both camps rank Segment-targeted compromise second or better."],
        },
        "cruxes": [
            {
                "kind": "estimate",
                "stakeholder": "cfo",
                "rivals": ["cro"],
                "prefers": "packaging-tiers",
                "challenger": "segment-split",
                "criterion": "gross-margin",
                "direction": "at least",
                "current": 72.5,
                "threshold": 73.4,
                "range_low": 71.5,
                "range_high": 73.5,
                "inside_range": True,
                "relative_change": 0.012,
                "tier": 1,
                "evidence": [
                    {"fact": "usage-pilot-margin", "stance": "contradicts", "accepted": False}
                ],
                "next_step": "gather data",
                "explanation": "Priya Natarajan would prefer Segment-targeted compromise over New "
                "packaging if its blended gross margin were at least 73.4% (today 72.5%, range "
                "71.5-73.5%); the usage pilot re-run decides this.",
            },
            {
                "kind": "estimate",
                "stakeholders": ["cro"],
                "options": ["segment-split", "discount-push"],
                "criterion": "new-arr-smb",
                "current": 6.4,
                "threshold": 7.1,
                "range": [5.6, 7.0],
                "inside_range": False,
                "relative_change": 0.11,
                "evidence": [],
                "next_step": "run an experiment",
                "sentence": "Marcus Reyes would prefer Segment-targeted compromise over Aggressive "
                "discounting if it booked at least $7.1m of SMB new ARR (today $6.4m).",
            },
            {
                "kind": "weight",
                "stakeholders": ["ceo"],
                "options": ["segment-split", "packaging-tiers"],
                "criterion": "gross-margin",
                "current": 0.20,
                "threshold": 0.29,
                "range": None,
                "inside_range": True,
                "relative_change": 0.45,
                "evidence": [],
                "next_step": "add a guardrail",
                "sentence": "Elena Brandt's top choice stays Segment-targeted compromise unless "
                "gross margin weighs more than 0.29 (today 0.20).",
            },
            {
                "kind": "estimate",
                "stakeholders": ["head-cs"],
                "options": ["segment-split", "hold-and-hire"],
                "criterion": "smb-churn",
                "current": 24.0,
                "threshold": 22.9,
                "range": [22.0, 27.0],
                "inside_range": True,
                "relative_change": 0.046,
                "evidence": ["discount-churn"],
                "next_step": "gather data",
                "sentence": "Grace Liu would prefer Segment-targeted compromise if SMB churn "
                "stayed at or below 22.9% (today 24%).",
            },
        ],
        "weight_intervals": [
            {
                "stakeholder": "ceo",
                "criterion": "gross-margin",
                "weight": 0.20,
                "low": 0.0,
                "high": 0.29,
                "top": "segment-split",
                "takeover_below": None,
                "takeover_above": "packaging-tiers",
            },
            {
                "stakeholder": "cro",
                "criterion": "new-arr-smb",
                "weight": 0.30,
                "low": 0.25,
                "high": 1.0,
                "top": "discount-push",
                "takeover_below": "segment-split",
                "takeover_above": None,
            },
            {
                "stakeholder": None,
                "criterion": "ent-nrr",
                "weight": 0.16,
                "low": 0.0,
                "high": 1.0,
                "top": "segment-split",
                "takeover_below": None,
                "takeover_above": None,
            },
        ],
        "goal_conflicts": [
            {
                "first": "cro",
                "second": "cfo",
                "overall": {
                    "scope": "all",
                    "key": "all criteria",
                    "correlation": -0.6,
                    "verdict": "conflict",
                },
                "subsets": [
                    {"kind": "segment", "subset": "smb", "correlation": -0.9, "conflict": True},
                    {
                        "kind": "segment",
                        "subset": "enterprise",
                        "correlation": 0.7,
                        "conflict": False,
                    },
                ],
                "explanation": "Marcus Reyes and Priya Natarajan conflict in SMB (rank correlation "
                "-0.90) and agree in enterprise (+0.70).",
            }
        ],
        "recommendation": {
            "option": "segment-split",
            "reason": "Best for the shared company goals among the options that keep every "
            "guardrail, with the lowest residual risk.",
            "feasible": True,
            "risks": [
                {
                    "id": "offer-creep",
                    "description": "Reps extend the SMB offer beyond 90 days",
                    "likelihood": 0.35,
                    "impact": 3,
                    "mitigation": "Deal-desk rule in CPQ; weekly exception report to the CFO",
                    "residual_likelihood": 0.15,
                    "residual_impact": 2,
                    "owner": "cfo",
                },
                {
                    "id": "two-messages",
                    "description": "Different SMB and enterprise messages "
                    "confuse mid-market buyers",
                    "likelihood": 0.25,
                    "impact": 2,
                    "mitigation": "Segment by employee count at lead routing",
                    "owner": "vp-pmm",
                    "residual_likelihood": None,
                    "residual_impact": None,
                },
            ],
        },
        "compromise": {
            "pareto": ["discount-push", "packaging-tiers", "segment-split"],
            "maximin": "segment-split",
            "nash": "segment-split",
            "min_regret": "packaging-tiers",
        },
        "excluded": [
            {
                "option": "discount-push",
                "reasons": [
                    "breaks guardrail margin-floor: blended gross margin 69.5% < 72% (P = 0.97)"
                ],
            },
            {
                "option": "hold-and-hire",
                "reasons": ["cost 2,400,000 USD leaves no room for the 24 engineer-month plan"],
            },
        ],
        "portfolio": {
            "selected": ["packaging-tiers", "segment-split"],
            "deprioritised": [
                {"option": "usage-pricing", "reason": "over capacity with the selected set"},
                {"option": "discount-push", "reason": "breaks the margin floor"},
            ],
            "cost": 1350000.0,
            "effort": 14.0,
            "objective": "maximin",
            "gap": 0.0,
        },
        "scenarios": {
            "scenarios": [
                {
                    "id": "base",
                    "name": "Plan assumptions hold",
                    "probability": 0.5,
                    "utilities": dict(zip(option_ids, [0.48, 0.52, 0.59, 0.53, 0.62], strict=True)),
                },
                {
                    "id": "smb-downturn",
                    "name": "SMB demand softens in H1",
                    "probability": 0.3,
                    "utilities": dict(zip(option_ids, [0.41, 0.47, 0.60, 0.55, 0.58], strict=True)),
                },
                {
                    "id": "price-war",
                    "name": "Competitors cut SMB prices again",
                    "probability": 0.2,
                    "utilities": dict(zip(option_ids, [0.45, 0.55, 0.52, 0.49, 0.60], strict=True)),
                },
            ],
            "expected": dict(zip(option_ids, [0.455, 0.511, 0.579, 0.528, 0.604], strict=True)),
            "max_regret": dict(zip(option_ids, [0.19, 0.13, 0.08, 0.11, 0.02], strict=True)),
            "minimax_regret": "segment-split",
            "most_often_best": "segment-split",
        },
        "risks": {
            "register": [
                {
                    "option": "discount-push",
                    "id": "discount-anchors",
                    "description": "The discount becomes the reference price at renewal",
                    "likelihood": 0.5,
                    "impact": 4,
                    "mitigation": "Written step-up at month 13",
                    "residual_likelihood": 0.3,
                    "residual_impact": 3,
                    "owner": "cfo",
                },
                {
                    "option": "segment-split",
                    "id": "offer-creep",
                    "description": "Reps extend the SMB offer beyond 90 days",
                    "likelihood": 0.35,
                    "impact": 3,
                    "mitigation": "Deal-desk rule in CPQ",
                    "residual_likelihood": 0.15,
                    "residual_impact": 2,
                    "owner": "cfo",
                },
            ],
            "pros_cons": {
                "cfo": {
                    "segment-split": {
                        "pros": ["Blended gross margin"],
                        "cons": ["Time to ARR impact"],
                    }
                },
            },
            "quadrant": [
                {
                    "option": "packaging-tiers",
                    "effort": 6.0,
                    "impact": 0.59,
                    "quadrant": "quick win",
                },
            ],
        },
        "governance": {
            "ok": False,
            "findings": [
                {
                    "severity": "error",
                    "code": "two-accountable",
                    "field": "stakeholders",
                    "message": "Two stakeholders are accountable: ceo and board",
                    "hint": "Keep exactly one accountable decision owner.",
                },
                {
                    "severity": "warning",
                    "code": "action-no-metric",
                    "field": "actions[2].metric",
                    "message": "Action act-renewals has no success metric",
                    "hint": "Add a metric.",
                },
            ],
        },
        "opinion": {
            "groups": [
                {
                    "id": 0,
                    "size": 2,
                    "centre": [-1.1, 0.2],
                    "representative": [
                        {
                            "statement": "s2",
                            "text": "Losing SMB logos now costs more than a margin dip",
                            "direction": "agree",
                            "repness": 3.0,
                            "repness_test": 2.1,
                            "p": 0.83,
                            "p_test": 1.9,
                            "n_success": 2,
                            "n_trials": 2,
                        }
                    ],
                },
                {
                    "id": 1,
                    "size": 3,
                    "centre": [0.9, -0.1],
                    "representative": [
                        {
                            "statement": "s1",
                            "text": "Protect gross margin even if SMB growth slows",
                            "direction": "agree",
                            "repness": 2.5,
                            "repness_test": 2.0,
                            "p": 0.8,
                            "p_test": 2.2,
                            "n_success": 3,
                            "n_trials": 3,
                        }
                    ],
                },
            ],
            "participants": {"cro": 0, "vp-pmm": 0, "cfo": 1, "ceo": 1, "head-cs": 1},
            "coordinates": {
                "cro": [-1.4, 0.3],
                "vp-pmm": [-0.8, 0.1],
                "cfo": [1.2, -0.3],
                "ceo": [0.7, 0.2],
                "head-cs": [0.8, -0.2],
            },
            "statement_coordinates": {},
            "consensus": [
                {
                    "statement": "s3",
                    "text": "Enterprise multi-year deals at list price are good "
                    "for growth and for margin",
                    "direction": "agree",
                    "p": 0.92,
                    "p_test": 2.8,
                    "n_success": 5,
                    "n_trials": 5,
                    "group_aware": 0.8,
                    "every_group": True,
                },
            ],
            "divisive": [
                {
                    "statement": "s11",
                    "text": "The SMB win-rate data proves discounts work",
                    "spread": 1.6,
                    "net_agreement": {"0": 0.8, "1": -0.8},
                },
            ],
            "silhouettes": {"2": 0.61},
            "parameters": {},
            "notes": [],
        },
        "duplicates": {
            "threshold": 0.5,
            "pairs": [{"a": "i3", "b": "i7", "similarity": 0.74, "same_team": False}],
            "clusters": [
                {
                    "members": ["i3", "i7"],
                    "teams": ["marketing", "customer-success"],
                    "kept": "i3",
                    "redundant": ["i7"],
                    "redundant_cost": 80000.0,
                },
            ],
            "redundant_cost": 80000.0,
            "total_cost": 310000.0,
            "redundant_share": 0.258,
        },
        "decisions": [
            {
                "id": "fy27-gtm",
                "option": "segment-split",
                "date": "2026-11-20",
                "accountable": "ceo",
                "rationale": "Gives each executive what matters in the segment they care about.",
                "dissent": [{"by": "cro", "reason": "15% is less than the competitor's cut"}],
                "review_date": "2026-12-20",
                "assumptions": [
                    {
                        "id": "a1",
                        "statement": "Blended margin stays at or above 72%",
                        "owner": "cfo",
                        "metric": "gross-margin",
                        "threshold": ">= 72",
                        "check_date": "2027-01-15",
                    },
                ],
            }
        ],
        "actions": [
            {
                "id": "act-winrate-recut",
                "title": "Re-cut SMB win-rate data by deal stage",
                "owner": "vp-pmm",
                "deadline": "2026-12-04",
                "metric": "Win-rate gap (pp)",
                "done": False,
                "decision": None,
                "overdue": False,
            },
            {
                "id": "act-churn-cohorts",
                "title": "Share cohort churn analysis with sales ops",
                "owner": "cfo",
                "deadline": "2026-11-20",
                "metric": "Cohort definition signed off",
                "done": False,
                "decision": None,
                "overdue": True,
            },
            {
                "id": "act-offer-rules",
                "title": "Draft deal-desk rules for a 90-day SMB offer",
                "owner": "cro",
                "deadline": "2026-12-11",
                "metric": "Rules approved in CPQ sandbox",
                "done": True,
                "decision": "fy27-gtm",
                "overdue": False,
            },
        ],
        "notes": ["Criterion time-to-impact was kept: it discriminates between the options."],
    }


@pytest.fixture
def analysis_dict() -> dict[str, Any]:
    """A fully populated analysis in the pinned shape (a fresh copy per test)."""
    return build_sample_analysis()


OPTIONAL_SECTIONS = (
    "voting",
    "portfolio",
    "scenarios",
    "opinion",
    "duplicates",
    "common_ground",
    "camps",
    "recommendation",
    "compromise",
    "risks",
)


@pytest.fixture
def sparse_analysis() -> dict[str, Any]:
    """The sample with every optional section null and the lists empty."""
    data = copy.deepcopy(build_sample_analysis())
    for key in OPTIONAL_SECTIONS:
        data[key] = None
    for key in ("cruxes", "goal_conflicts", "excluded", "decisions", "actions", "notes"):
        data[key] = []
    return data


# ---------------------------------------------------------------- parsing the rendered HTML

from html.parser import HTMLParser  # noqa: E402

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}


class ReportPage(HTMLParser):
    """The facts a reader sees: headings in order, text under each id, every resource reference."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.headings: list[tuple[str, str, str]] = []  # (tag, section id, text)
        self.text_by_id: dict[str, list[str]] = {}
        self.ids: list[str] = []
        self.references: list[str] = []  # src / href values and url(...) in styles
        self.classes: dict[str, list[str]] = {}  # class name -> texts of elements with it
        self._stack: list[tuple[str, str | None, list[str], list[str]]] = []
        self._section: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        for name in ("src", "href", "xlink:href", "action", "poster", "data"):
            if found.get(name):
                self.references.append(str(found[name]))
        if found.get("style"):
            self.references += _urls(str(found["style"]))
        element_id = found.get("id")
        if element_id:
            self.ids.append(element_id)
        if tag in VOID:
            return
        if tag == "section":
            self._section.append(element_id or "")
        classes = (found.get("class") or "").split()
        self._stack.append((tag, element_id, classes, []))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        for name in ("src", "href", "xlink:href"):
            if found.get(name):
                self.references.append(str(found[name]))
        if found.get("id"):
            self.ids.append(str(found["id"]))

    def handle_endtag(self, tag: str) -> None:
        while self._stack:
            open_tag, element_id, classes, texts = self._stack.pop()
            text = " ".join("".join(texts).split())
            if open_tag in ("h1", "h2", "h3"):
                self.headings.append((open_tag, self._section[-1] if self._section else "", text))
            if element_id:
                self.text_by_id.setdefault(element_id, []).append(text)
            for name in classes:
                self.classes.setdefault(name, []).append(text)
            if open_tag == "section" and self._section:
                self._section.pop()
            if self._stack:
                self._stack[-1][3].append(" " + "".join(texts) + " ")
            if open_tag == tag:
                break

    def handle_data(self, data: str) -> None:
        if self._stack:
            self._stack[-1][3].append(data)
        if self._stack and self._stack[-1][0] == "style":
            self.references += _urls(data)

    def text(self, element_id: str) -> str:
        return " ".join(self.text_by_id.get(element_id, []))

    def h2_in(self, section: str) -> list[str]:
        return [text for tag, where, text in self.headings if tag == "h2" and where == section]


def _urls(css: str) -> list[str]:
    import re

    return re.findall(r"url\(\s*['\"]?([^'\")]+)", css)


@pytest.fixture
def parse_html():  # type: ignore[no-untyped-def]
    def parse(page: str) -> ReportPage:
        parser = ReportPage()
        parser.feed(page)
        parser.close()
        return parser

    return parse


# ---------------------------------------------------------------- real analyses of the examples

from pathlib import Path  # noqa: E402

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
_ANALYSES: dict[str, dict[str, Any]] = {}


def _example_analysis(name: str) -> dict[str, Any]:
    """``accord.analyze(accord.load_case(examples/NAME.yaml)).to_dict()``, computed once per run."""
    if name not in _ANALYSES:
        import accord

        _ANALYSES[name] = accord.analyze(accord.load_case(EXAMPLES / f"{name}.yaml")).to_dict()
    return copy.deepcopy(_ANALYSES[name])


@pytest.fixture(scope="session")
def example_analysis():  # type: ignore[no-untyped-def]
    """A function: example name -> its analysis dict (each example analysed once per run)."""
    return _example_analysis


@pytest.fixture(scope="session")
def summary_headings() -> list[str]:
    """Page 1's sections in the order issue 8 lists them, the same in every format."""
    return [
        "Recommendation",
        "Alignment index",
        "Common ground",
        "Top cruxes: what must be verified",
        "Compromise and excluded options",
        "Risks of the recommendation",
        "Explicitly de-prioritised",
        "Next actions",
        "Next review",
    ]
