"""Drive schemathesis over every operation of the served OpenAPI document (shared by the
bounded test and benchmarks/api.py)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import seed as hypothesis_seed
from schemathesis.generation.modes import GenerationMode
from schemathesis.openapi.loaders import from_asgi
from schemathesis.specs.openapi.checks import positive_data_acceptance

# A case or inputs document can fit its JSON Schema and still be refused (400): an option a
# ranking names must exist, a decision owner must be a stakeholder. No schema says that, so
# "schema-valid data is accepted" does not hold for this API by design; every other check
# (no 5xx, status codes, content types, headers, body schemas, invalid data refused) does.
EXCLUDED = [positive_data_acceptance]


@dataclass
class Tally:
    """What the generated requests got: statuses, and every check that failed."""

    statuses: Counter[int] = field(default_factory=Counter)
    failures: list[str] = field(default_factory=list)

    @property
    def requests(self) -> int:
        return sum(self.statuses.values())

    @property
    def server_errors(self) -> int:
        return sum(n for status, n in self.statuses.items() if status >= 500)


def run_operations(
    app: Any,
    headers: dict[str, str],
    real_ids: dict[str, Any],
    examples: int,
    seed: int | None = None,
) -> Tally:
    """``examples`` positive and ``examples`` negative cases per operation, each sent to
    ``app`` and checked against the document; half the ids are ``real_ids``'.  Without
    ``seed`` the examples are derandomized (the same every run); a seed draws others."""
    schema = from_asgi("/api/v1/openapi.json", app)
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
            check = _checker(strategy, f"{operation.label} [{mode}]", tally, real, examples, seed)
            check()
    return tally


def _checker(
    strategy: Any,
    label: str,
    tally: Tally,
    real: Callable[[dict[str, Any]], dict[str, Any]],
    examples: int,
    seed: int | None,
) -> Callable[[], None]:
    """A Hypothesis test sending ``strategy``'s cases and recording what they got."""

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
        try:
            response = case.call_and_validate(excluded_checks=EXCLUDED)
        except (AssertionError, BaseExceptionGroup) as failed:  # schemathesis's failed checks
            tally.failures.append(f"{label}: {failed}"[:3000])
            return
        tally.statuses[response.status_code] += 1

    test: Callable[[], None] = hypothesis_seed(seed)(check) if seed is not None else check
    return test
