"""Webhook signatures: what a receiver checks, including replays and rotation."""

from __future__ import annotations

from accord.integrations.signing import sign, verify

BODY = b'{"event": "decision.recorded"}'


def test_a_signature_verifies_only_for_its_body_secret_and_time() -> None:
    header = sign(["alpha"], BODY, timestamp=1_700_000_000)
    assert verify("alpha", header, BODY, now=1_700_000_000)
    assert not verify("beta", header, BODY, now=1_700_000_000)
    assert not verify("alpha", header, BODY + b" ", now=1_700_000_000)
    # The timestamp is signed: moving it to look fresh breaks the signature.
    forged = header.replace("t=1700000000", "t=1700000900")
    assert not verify("alpha", forged, BODY, now=1_700_000_900)


def test_an_old_delivery_is_refused_as_a_replay() -> None:
    header = sign(["alpha"], BODY, timestamp=1_700_000_000)
    assert verify("alpha", header, BODY, now=1_700_000_300)
    assert not verify("alpha", header, BODY, now=1_700_000_301)
    assert not verify("alpha", header, BODY, now=1_699_999_699)


def test_during_a_rotation_either_secret_verifies() -> None:
    header = sign(["new", "old"], BODY, timestamp=1_700_000_000)
    assert header.count("v1=") == 2
    assert verify("new", header, BODY, now=1_700_000_000)
    assert verify("old", header, BODY, now=1_700_000_000)
    assert not verify("other", header, BODY, now=1_700_000_000)


def test_malformed_headers_do_not_verify() -> None:
    for header in ("", "t=,v1=", "v1=abc", "t=1700000000", "t=99999999999999999999,v1=00"):
        assert not verify("alpha", header, BODY, now=1_700_000_000)
