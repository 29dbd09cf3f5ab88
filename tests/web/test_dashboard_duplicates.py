"""The dashboard's duplicates card and the served analysis compare texts by meaning, as
``accord analyze`` does (issue 16)."""

from __future__ import annotations

import importlib.util

import pytest
from tests.web.conftest import Web

CASE = """\
accord: 1
id: order-help
title: Order help
question: Which customer-service projects do we fund?
options:
  - id: chatbot
    name: Chatbot that answers order-status questions on the website
    team: digital
    cost: 80000
  - id: tracker
    name: Self-serve order tracking assistant (chat) on web and app
    team: support
    cost: 50000
  - id: help-cms
    name: Migrate the help centre to the new CMS
    cost: 20000
  - id: site-cms
    name: Migrate the marketing site to the new CMS
    cost: 30000
  - id: lease
    name: Renegotiate the office lease
    cost: 5000
duplicate_judgements:
  - pair: [help-cms, site-cms]
    verdict: related
    by: Maria Chen
    date: 2026-11-03
"""
needs_semantic = pytest.mark.skipif(
    importlib.util.find_spec("wordllama") is None, reason="accord[semantic] not installed"
)


def _upload(web: Web) -> int:
    response = web.client.post(
        "/cases",
        data={"csrf": web.csrf()},
        files={"file": ("order-help.yaml", CASE.encode(), "application/x-yaml")},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text
    return int(response.headers["location"].rsplit("/", 1)[1])


def _card(html: str) -> str:
    start = html.index('<section id="duplicates">')
    return " ".join(html[start : html.index("</section>", start)].split())


def test_the_card_shows_kind_evidence_and_whose_judgement(
    web: Web, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ACCORD_SEMANTIC", "off")  # words only: the same on every install
    web.sign_in()
    card = _card(web.client.get(f"/cases/{_upload(web)}").text)
    assert "Compared by words only (install accord[semantic]" in card
    assert "Migrate the help centre to the new CMS / Migrate the marketing site to the new CMS" in (
        card
    )
    assert "related work: coordinate" in card
    assert "judged related work, not a duplicate by Maria Chen on 2026-11-03" in card
    assert "only in the first: help, centre; only in the second: marketing, site" in card


@needs_semantic
def test_the_served_analysis_finds_the_paraphrase_by_meaning(
    web: Web, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("ACCORD_SEMANTIC", raising=False)
    web.sign_in()
    case_id = _upload(web)
    analysis = web.client.get(f"/cases/{case_id}/analysis.json").json()
    assert analysis["provenance"]["embeddings_model"].startswith("wordllama")
    pairs = {(p["a"], p["b"]): p for p in analysis["duplicates"]["options"]["pairs"]}
    assert "meaning" in pairs[("option:chatbot", "option:tracker")]["found_by"]
    card = _card(web.client.get(f"/cases/{case_id}").text)
    assert "Compared by words and meaning (model: wordllama" in card
    assert (
        "Chatbot that answers order-status questions on the website / Self-serve order "
        "tracking assistant (chat) on web and app"
    ) in card
    assert "computed by accord; not yet judged" in card
