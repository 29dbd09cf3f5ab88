"""One request size limit: cases up to 5 MB work, pasted or uploaded; bigger get 413."""

from __future__ import annotations

from typing import Any

from tests.web.conftest import EXAMPLES, Web

MB = 2**20


def _padded(size: int) -> str:
    """A valid example case padded with YAML comments to ``size`` bytes."""
    source = (EXAMPLES / "growth-vs-margin.yaml").read_text(encoding="utf-8")
    line = "# " + "x" * 1021 + "\n"
    missing = size - len(source.encode())
    return source + line * (missing // len(line)) + "#" * (missing % len(line) - 1) + "\n"


def test_a_pasted_case_just_under_5_mb_is_stored(web: Web) -> None:
    web.sign_in()
    source = _padded(5 * MB - 4096)
    response = web.client.post(
        "/cases",
        data={"csrf": web.csrf(), "source": source},
        files={"file": ("", b"", "application/octet-stream")},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text[:500]


def test_an_uploaded_case_just_under_5_mb_is_stored(web: Web) -> None:
    web.sign_in()
    source = _padded(5 * MB - 4096)
    response = web.client.post(
        "/cases",
        data={"csrf": web.csrf()},
        files={"file": ("big.yaml", source.encode(), "application/x-yaml")},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text[:500]


def test_bigger_requests_get_413_with_the_app_page_and_the_limit(web: Web) -> None:
    web.sign_in()
    csrf = web.csrf()
    big = "#" * (5 * MB + 100 * 1024)
    for response in (
        web.client.post("/cases", data={"csrf": csrf, "source": big}, files={"file": ("", b"")}),
        web.client.post("/cases", data={"csrf": csrf}, files={"file": ("big.yaml", big.encode())}),
    ):
        assert response.status_code == 413
        assert "That did not work" in response.text and "5 MB" in response.text
        assert "X-Frame-Options" in response.headers


def _pulls(headers: list[tuple[bytes, bytes]]) -> tuple[int, int]:
    """Chunks of 1 MB a 20 MB body gave up before :class:`BodyLimit` refused it, and the
    status it was refused with."""
    import asyncio

    from starlette.exceptions import HTTPException

    from accord.web.app import BodyLimit

    pulled = 0

    async def receive() -> dict[str, object]:
        nonlocal pulled
        pulled += 1
        return {"type": "http.request", "body": b"x" * MB, "more_body": pulled < 20}

    async def reads_everything(scope: object, receive: Any, send: object) -> None:
        while (await receive()).get("more_body"):
            pass

    async def send(message: object) -> None:
        raise AssertionError("nothing is sent by the limiter itself")

    scope = {"type": "http", "method": "POST", "path": "/cases", "headers": headers}
    try:
        asyncio.run(BodyLimit(reads_everything, 5 * MB)(scope, receive, send))  # type: ignore[arg-type]
    except HTTPException as refused:
        return pulled, refused.status_code
    return pulled, 200


def test_the_limit_is_checked_while_the_body_streams_in() -> None:
    assert _pulls([]) == (6, 413)  # the sixth megabyte passes the limit: no more is read
    assert _pulls([(b"content-length", str(20 * MB).encode())]) == (0, 413)
