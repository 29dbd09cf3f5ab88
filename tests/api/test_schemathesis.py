"""schemathesis against the served OpenAPI document: generated requests (fitting it and
not) to every operation, each answer checked against the document (no 5xx, documented
status codes, content types, headers and body schemas).  Bounded and seeded (derandomized),
so it runs in `make test`; benchmarks/api.py runs the same checks at 10,000+ requests.
"""

from __future__ import annotations

from pathlib import Path

from tests.api.conformance import run_operations
from tests.api.conftest import CASE, Api
from tests.web.conftest import running_web

from accord.store.tables import Facilitator
from accord.web.throttle import Limit

EXAMPLES = 12  # per operation and mode: about 500 requests in all


def test_api_conforms_to_its_openapi_document(tmp_path: Path) -> None:
    with running_web(tmp_path) as web:
        with web.store.session() as session:
            ids = {f.email: f.id for f in session.query(Facilitator)}
        api = Api(web, ids[web.email], ids["other@example.org"])
        case_id = api.create_case(CASE)
        made = api.client.post(
            f"/api/v1/cases/{case_id}/workshops", json={"title": "x"}, headers=api.full
        )
        # Its ignored_auth check sends bad tokens on purpose; keep them from locking us out.
        web.client.app.state.api_bad_token_limit = Limit(failures=10**6)  # type: ignore[attr-defined]
        real = {"case_id": case_id, "workshop_id": made.json()["id"], "stakeholder_id": "cfo"}
        tally = run_operations(web.client.app, api.full, real, EXAMPLES)
    assert tally.requests >= 300
    assert tally.server_errors == 0, tally.statuses
    assert not tally.failures, "\n\n".join(tally.failures[:10])
    # The real ids were reached: something past the 404 of an unknown id answered.
    assert tally.statuses[200] > 0 and sum(n for s, n in tally.statuses.items() if s < 300) > 10, (
        tally.statuses
    )
