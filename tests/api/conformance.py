"""Drive schemathesis over every operation of the served OpenAPI document (shared by the
bounded test, which calls the app in-process, and benchmarks/api.py, which calls a server
on loopback)."""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import requests
from hypothesis import HealthCheck, given, settings
from hypothesis import seed as hypothesis_seed
from schemathesis.generation.modes import GenerationMode
from schemathesis.openapi.loaders import from_asgi, from_url
from schemathesis.specs.openapi.checks import positive_data_acceptance

# A case or inputs document can fit its JSON Schema and still be refused (400): an option a
# ranking names must exist, a decision owner must be a stakeholder. No schema says that, so
# "schema-valid data is accepted" does not hold for this API by design; every other check
# (no 5xx, status codes, content types, headers, body schemas, invalid data refused) does.
EXCLUDED = [positive_data_acceptance]


@dataclass
class Tally:
    """What the generated requests got: statuses, every check that failed, and each
    request's round trip in seconds (sent until its whole answer was read)."""

    statuses: Counter[int] = field(default_factory=Counter)
    failures: list[str] = field(default_factory=list)
    seconds: list[float] = field(default_factory=list)

    @property
    def requests(self) -> int:
        return sum(self.statuses.values())

    @property
    def server_errors(self) -> int:
        return sum(n for status, n in self.statuses.items() if status >= 500)


DOCUMENT = "/api/v1/openapi.json"
TIMEOUT = 300  # seconds a request to a server may take before it counts as a failure


def run_operations(
    app: Any,
    headers: dict[str, str],
    real_ids: dict[str, Any],
    examples: int,
    seed: int | None = None,
) -> Tally:
    """``examples`` positive and ``examples`` negative cases per operation, each sent to
    ``app`` (an ASGI app, or the base URL of a running server: ``http://127.0.0.1:PORT``)
    and checked against the document; half the ids are ``real_ids``'.  Without ``seed``
    the examples are derandomized (the same every run); a seed draws others."""
    session: requests.Session | None = None
    if isinstance(app, str):
        session = requests.Session()  # keep-alive: one connection, as a client would
        schema = from_url(app + DOCUMENT, headers=headers)
    else:
        schema = from_asgi(DOCUMENT, app)
    tally = Tally()

    def real(path_parameters: dict[str, Any]) -> dict[str, Any]:
        mapped = dict(path_parameters)
        for name in ("case_id", "workshop_id"):
            value = mapped.get(name)
            if isinstance(value, int) and value % 2 == 0 and name in real_ids:
                mapped[name] = real_ids[name]
        sid = mapped.get("stakeholder_id")
        if isinstance(sid, str) and len(sid) % 2:
            mapped["stakeholder_id"] = real_ids.get("stakeholder_id", sid)
        return mapped

    for result in schema.get_all_operations():
        operation = result.ok()
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            # The token is fixed, so a negative case negates the request, not its credential.
            strategy = operation.as_strategy(generation_mode=mode, headers=headers)
            label = f"{operation.label} [{mode}]"
            check = _checker(strategy, label, tally, real, examples, seed, session)
            check()
    if session is not None:
        session.close()
    return tally


def _checker(
    strategy: Any,
    label: str,
    tally: Tally,
    real: Callable[[dict[str, Any]], dict[str, Any]],
    examples: int,
    seed: int | None,
    session: requests.Session | None,
) -> Callable[[], None]:
    """A Hypothesis test sending ``strategy``'s cases and recording what they got."""
    # Over HTTP, schemathesis gives up after 10 s; a PDF report on a loaded machine takes
    # longer, and a slow answer is a latency to report, not a crash of the run.
    options: dict[str, Any] = {"timeout": TIMEOUT} if session is not None else {}

    @given(case=strategy)
    @settings(
        max_examples=examples,
        derandomize=seed is None,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def check(case: Any) -> None:
        if case.path_parameters:
            case.path_parameters = real(case.path_parameters)
        # call, then validate (what call_and_validate does) so the round trip is timed alone
        started = time.perf_counter()
        try:
            response = case.call(session=session, **options)
        except requests.Timeout:
            tally.seconds.append(time.perf_counter() - started)
            tally.failures.append(f"{label}: no answer within {TIMEOUT} s")
            return
        tally.seconds.append(time.perf_counter() - started)
        # Counted whether or not its checks pass: a 500 is a failed check and a server error.
        tally.statuses[response.status_code] += 1
        try:
            case.validate_response(
                response,
                excluded_checks=EXCLUDED,
                transport_kwargs={"session": session, **options} if session is not None else None,
            )
        except (AssertionError, BaseExceptionGroup) as failed:  # schemathesis's failed checks
            tally.failures.append(f"{label}: {failed}"[:3000])

    test: Callable[[], None] = hypothesis_seed(seed)(check) if seed is not None else check
    return test
