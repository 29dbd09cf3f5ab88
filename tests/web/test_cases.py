"""Cases in the web app: upload, dashboard, report, scoping, stakeholder links and inputs."""

from __future__ import annotations

import re

import yaml
from tests.web.conftest import EXAMPLES, Web, csrf_of


def upload(web: Web, name: str = "growth-vs-margin.yaml") -> int:
    source = (EXAMPLES / name).read_text(encoding="utf-8")
    response = web.client.post(
        "/cases",
        data={"csrf": web.csrf()},
        files={"file": (name, source.encode(), "application/x-yaml")},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text
    return int(response.headers["location"].rsplit("/", 1)[1])


def new_link(web: Web, case_id: int, stakeholder: str) -> str:
    page = web.client.get(f"/cases/{case_id}")
    response = web.client.post(
        f"/cases/{case_id}/tokens",
        data={"csrf": csrf_of(page.text), "stakeholder_id": stakeholder, "label": "by email"},
    )
    assert response.status_code == 200, response.text
    found = re.search(r'<code class="copy">http://127\.0\.0\.1(/i/[^<]+)</code>', response.text)
    assert found, "the new link is shown once"
    return found.group(1)


def test_uploaded_case_shows_the_analysis(web: Web) -> None:
    web.sign_in()
    case_id = upload(web)
    page = web.client.get(f"/cases/{case_id}")
    assert page.status_code == 200
    # The dashboard reads the same analysis as the CLI: recommendation and alignment.
    analysis = web.client.get(f"/cases/{case_id}/analysis.json").json()
    assert analysis["choice"]["recommendation"]["option"] == "segment-split"
    assert "Segment-targeted compromise" in page.text
    assert f"{round(analysis['agreement']['alignment']['index'])}</span> / 100" in page.text


def test_bad_case_file_shows_located_errors_and_stores_nothing(web: Web) -> None:
    web.sign_in()
    response = web.client.post(
        "/cases",
        data={"csrf": web.csrf(), "source": "accord: 1\nid: x\ntitle: T\nquestion: Q\nbogus: 1\n"},
    )
    assert response.status_code == 400
    assert "bogus" in response.text and "pasted case:5" in response.text
    assert "No cases yet" in web.client.get("/").text


def test_other_facilitators_cases_are_not_found(web: Web) -> None:
    web.sign_in()
    case_id = upload(web)
    web.client.cookies.clear()
    web.sign_in("other@example.org")
    assert web.client.get(f"/cases/{case_id}").status_code == 404
    assert web.client.get(f"/cases/{case_id}/analysis.json").status_code == 404


def test_report_is_the_full_self_contained_html(web: Web) -> None:
    web.sign_in()
    case_id = upload(web)
    response = web.client.get(f"/cases/{case_id}/report")
    assert response.status_code == 200
    assert "<svg" in response.text and "http://" not in response.text.split("<body", 1)[1][:2000]


def test_stakeholder_link_saves_inputs_that_change_the_analysis(web: Web) -> None:
    web.sign_in()
    case_id = upload(web)
    before = web.client.get(f"/cases/{case_id}/analysis.json").json()
    link = new_link(web, case_id, "cfo")
    visitor = web.client
    visitor.cookies.clear()  # the stakeholder has no account
    form = visitor.get(link)
    assert form.status_code == 200 and "Hello Priya Natarajan" in form.text
    fields = {"csrf": csrf_of(form.text), "w.gross-margin": "10", "w.cac-payback": "0"}
    for criterion in ("new-arr-smb", "new-arr-ent", "smb-churn", "ent-nrr", "time-to-impact"):
        fields[f"w.{criterion}"] = "0"
    fields.update({"rank.discount-push": "1", "rank.segment-split": "2", "notes": "changed mind"})
    saved = visitor.post(link, data=fields)
    assert saved.status_code == 200 and "Saved" in saved.text
    web.sign_in()
    after = web.client.get(f"/cases/{case_id}/analysis.json").json()
    cfo = next(s for s in after["stakeholders"] if s["id"] == "cfo")
    assert cfo["weight_method"] == "direct"
    assert cfo["weights"]["gross-margin"] == 1.0
    assert after["agreement"] != before["agreement"]
    assert "given through a link" in web.client.get(f"/cases/{case_id}").text


def test_bad_inputs_are_refused_with_the_field_named(web: Web) -> None:
    web.sign_in()
    case_id = upload(web)
    link = new_link(web, case_id, "cfo")
    web.client.cookies.clear()
    form = web.client.get(link)
    response = web.client.post(
        link, data={"csrf": csrf_of(form.text), "rating.segment-split": "eleven"}
    )
    assert response.status_code == 400
    assert "rating.segment-split" in response.text and "is not a number" in response.text


def test_revoked_link_is_refused(web: Web) -> None:
    web.sign_in()
    case_id = upload(web)
    link = new_link(web, case_id, "cfo")
    page = web.client.get(f"/cases/{case_id}")
    token_id = re.search(r"/tokens/(\d+)/revoke", page.text)
    assert token_id
    web.client.post(
        f"/cases/{case_id}/tokens/{token_id.group(1)}/revoke", data={"csrf": csrf_of(page.text)}
    )
    web.client.cookies.clear()
    response = web.client.get(link)
    assert response.status_code == 403 and "not valid any more" in response.text


def test_link_for_unknown_stakeholder_is_refused(web: Web) -> None:
    web.sign_in()
    case_id = upload(web)
    page = web.client.get(f"/cases/{case_id}")
    response = web.client.post(
        f"/cases/{case_id}/tokens", data={"csrf": csrf_of(page.text), "stakeholder_id": "nobody"}
    )
    assert response.status_code == 400


def test_demo_loads_cases_for_the_demo_facilitator(web: Web) -> None:
    from accord.cli.serve import DEMO_EMAIL, load_demo

    files = sorted(EXAMPLES.glob("*.yaml"))
    assert load_demo(web.store, "demo password 1", files) == len(files)
    assert load_demo(web.store, "demo password 2", files) == len(files)  # idempotent
    web.sign_in(DEMO_EMAIL, "demo password 2")
    listing = web.client.get("/").text
    for path in files:
        assert yaml.safe_load(path.read_text(encoding="utf-8"))["title"] in listing


def test_creating_a_link_redirects_so_a_reload_creates_no_second_link(web: Web) -> None:
    web.sign_in()
    case_id = upload(web)
    page = web.client.get(f"/cases/{case_id}")
    response = web.client.post(
        f"/cases/{case_id}/tokens",
        data={"csrf": csrf_of(page.text), "stakeholder_id": "cro", "label": "once"},
        follow_redirects=False,
    )
    assert response.status_code == 303
    assert response.headers["location"] == f"/cases/{case_id}"
    assert "/i/" not in response.headers["location"]  # the secret never goes in a URL
    shown = web.client.get(f"/cases/{case_id}")
    assert re.search(r'<code class="copy">http://127\.0\.0\.1/i/[^<]+</code>', shown.text)
    # Shown once: a reload (GET) neither repeats the POST nor shows the link again.
    again = web.client.get(f"/cases/{case_id}")
    assert '<code class="copy">' not in again.text
    assert again.text.count("/revoke") == shown.text.count("/revoke")


def test_form_numbers_obey_the_case_loaders_rule(web: Web) -> None:
    """A weight of 1e308 or a rank of inf is refused by the loader; the form refuses it too."""
    web.sign_in()
    case_id = upload(web)
    link = new_link(web, case_id, "cfo")
    web.client.cookies.clear()
    for field, value in (("w.gross-margin", "1e308"), ("rank.segment-split", "inf"),
                         ("w.cac-payback", "nan")):  # fmt: skip
        form = web.client.get(link)
        response = web.client.post(link, data={"csrf": csrf_of(form.text), field: value})
        assert response.status_code == 400, (field, value)
        assert field in response.text and "expected a finite number" in response.text


def test_links_table_names_the_stakeholder_a_link_is_for(web: Web) -> None:
    web.sign_in()
    case_id = upload(web)
    new_link(web, case_id, "cfo")
    page = web.client.get(f"/cases/{case_id}").text
    table = page[page.index(">For</th>") :]
    assert "<td>Priya Natarajan</td>" in table and "<td>cfo</td>" not in table
    assert 'aria-label="Revoke the link for Priya Natarajan made' in table
