"""Tests of Model.report and ReportBuilder (SPEC §12) against libfunnel.so.

Run from the repository root:  python3 -m pytest -q bindings/python/tests
"""
import datetime as dt
import json
import math
import os

import pytest

from conftest import MISSING, REPO

if MISSING:
    pytest.skip(MISSING, allow_module_level=True)

import funnel  # noqa: E402

DAY = 86400
FIXTURE = os.path.join(REPO, "Tests", "fixtures", "report")


def read(name):
    with open(os.path.join(FIXTURE, name), encoding="utf-8") as f:
        return f.read()


@pytest.fixture(scope="module")
def model():
    with funnel.Model.load(read("model.json")) as m:
        yield m


def test_fixture_document(model):
    """The shared fixture gives the same document as Swift, the CLI and C."""
    expected = json.loads(read("expected.json"))
    report = model.report(read("history.jsonl"), from_=0, to=20 * DAY)
    assert report == expected
    assert list(report) == list(expected)  # members in the same order
    # The same log as bytes, as a list of dicts, as JSON texts, and with datetimes for the period.
    lines = [json.loads(line) for line in read("history.jsonl").splitlines()]
    assert model.report(read("history.jsonl").encode(), 0, 20 * DAY) == expected
    assert model.report(lines, 0, 20 * DAY) == expected
    assert model.report([json.dumps(line) for line in reversed(lines)], 0, 20 * DAY) == expected
    end = dt.datetime(1970, 1, 21, tzinfo=dt.timezone.utc)
    assert model.report(lines, "1970-01-01T00:00:00Z", end) == expected


def test_open_ends_and_empty(model):
    report = model.report(read("history.jsonl"))
    assert report["from"] is None and report["to"] is None and report["leads"] == 4
    empty = model.report([])
    assert empty["leads"] == 0 and empty["cost_per_lead"] is None and empty["channels"] == []
    assert [row["stage"] for row in empty["funnel"]] == ["new", "mql", "sql", "won"]


def test_errors(model):
    with pytest.raises(funnel.InvalidError) as info:
        model.report([{"kind": "lead", "lead": "a", "at": 1},
                      {"kind": "move", "lead": "a", "from": "new", "to": "sale", "at": 2}])
    assert info.value.status == funnel.E_INVALID
    assert 'line 2: to: unknown stage "sale"' in str(info.value)
    with pytest.raises(funnel.ParseError):
        model.report("{not json}\n")
    with pytest.raises(funnel.ArgumentError):
        model.report([], from_=10, to=5)
    with pytest.raises(funnel.ArgumentError):
        model.report([], to=math.inf)


def test_builder(model):
    lines = read("history.jsonl").splitlines(keepends=True)
    expected = json.loads(read("expected.json"))
    with model.report_builder() as builder:
        builder.add("".join(lines[:5]))
        builder.add(lines[5:])
        assert builder.report(0, 20 * DAY) == expected
        with pytest.raises(funnel.InvalidError) as info:
            builder.add([{"kind": "cost", "amount": -1, "at": 0}])
        assert "line 12: amount: expected a number of at least 0" in str(info.value)
        assert builder.report(0, 20 * DAY) == expected  # unchanged, still usable
        builder.add([{"kind": "lead", "lead": "Z", "at": 5 * DAY, "channel": "web"}])
        assert builder.report(0, 20 * DAY)["leads"] == 4
    with pytest.raises(ValueError):
        builder.report()
