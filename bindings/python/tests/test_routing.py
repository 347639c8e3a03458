"""Tests of funnel.Router (SPEC §10) against libfunnel.so.

Run from the repository root:  python3 -m pytest -q bindings/python/tests
"""
import json
import random

import pytest

from conftest import MISSING

if MISSING:
    pytest.skip(MISSING, allow_module_level=True)

import funnel  # noqa: E402

T0 = 1_795_000_000.0
DAY = 86400.0

MODEL = {
    "format": "funnel.model/1",
    "attributes": {"country": "string", "employees": "number", "language": "string"},
    "criteria": {"big": {"attr": "employees", "gte": 1000}},
    "scoring": {"fit": [{"id": "big", "if": {"criterion": "big"}, "points": 10}],
                "behavior": [{"id": "reply", "event": "email.reply", "points": 5}]},
}


def routing(*teams, window=30, otherwise=None):
    return {"format": "funnel.routing/1", "capacity_window_days": window, "teams": list(teams),
            "otherwise": otherwise}


def team(strategy, members, id="t", **extra):
    return dict(id=id, strategy=strategy, members=members, **extra)


@pytest.fixture
def model():
    with funnel.Model.load(MODEL) as m:
        yield m


def owners(router, n, start=T0):
    return [router.route({"id": "L%d" % i}, at=start + i)["owner"] for i in range(n)]


def test_strategies(model):
    assert owners(funnel.Router(model, routing(team("round_robin", [{"id": "a"}, {"id": "b"}, {"id": "c"}]))), 4) \
        == ["a", "b", "c", "a"]
    assert owners(funnel.Router(model, routing(team("weighted", [{"id": "eva", "weight": 3}, {"id": "tom"}]))), 4) \
        == ["eva", "eva", "tom", "eva"]
    assert owners(funnel.Router(model, routing(team("weighted", [{"id": "x", "weight": 0.5}, {"id": "y"}]))), 3) \
        == ["y", "x", "y"]
    assert owners(funnel.Router(model, routing(team("least_loaded", [{"id": "ana"}, {"id": "luis", "weight": 2}]))),
                  4) == ["ana", "luis", "luis", "ana"]


def test_unavailable_then_back(model):
    router = funnel.Router(model, json.dumps(routing(team("round_robin", [{"id": "a"}, {"id": "b"}, {"id": "c"}]))))
    assert owners(router, 1) == ["a"]
    router.set_available("b", False)
    assert owners(router, 2, T0 + 10) == ["c", "a"]
    router.set_available("b")
    assert owners(router, 1, T0 + 20) == ["b"]
    with pytest.raises(funnel.InvalidError):
        router.set_available("nobody", False)
    with pytest.raises(funnel.ArgumentError):
        router.set_available(None, False)
    assert router.state()["people"]["b"]["available"] is True


def test_capacity_window_edge_skipped_and_conditions(model):
    router = funnel.Router(model, routing(
        team("round_robin", [{"id": "a", "capacity": 1}], id="cap"),
        team("round_robin", [{"id": "closer", "if": {"score": "total", "gte": 15}}, {"id": "n", "capacity": 0}],
             id="big", **{"if": {"criterion": "big"}}),
        window=1, otherwise="wait"))
    assert router.route({"id": "1"}, at=T0)["owner"] == "a"
    full = router.route({"id": "2", "attributes": {"employees": 5}}, at=T0 + DAY - 1)
    assert full == {"id": "2", "team": None, "owner": None, "queue": "wait", "kept": False,
                    "skipped": [{"team": "cap", "members": {"a": "at capacity"}}]}
    hot = router.route({"id": "3", "attributes": {"employees": 5000},
                        "events": [{"type": "email.reply", "at": T0}]}, at=T0 + DAY - 1)
    assert hot["owner"] == "closer" and hot["team"] == "big"
    cold = router.route({"id": "4", "attributes": {"employees": 5000}}, at=T0 + DAY - 1)
    assert cold["owner"] is None
    assert cold["skipped"][1] == {"team": "big", "members": {"closer": "no match", "n": "at capacity"}}
    assert router.route({"id": "5"}, at=T0 + DAY)["owner"] == "a"


def test_kept_reassign_and_refusals_change_nothing(model):
    router = funnel.Router(model, routing(team("round_robin", [{"id": "a"}, {"id": "b"}])))
    router.route({"id": "1"}, at=T0)
    before = router.state_json()
    kept = router.route({"id": "K", "owner": "zed"}, at=T0 + 1)
    assert kept == {"id": "K", "team": None, "owner": "zed", "queue": None, "kept": True, "skipped": []}
    assert router.state_json() == before
    with pytest.raises(funnel.RefusedError):
        router.route({"id": "late"}, at=T0 - 1)
    with pytest.raises(funnel.InvalidError):
        router.route({"id": "bad", "attributes": {"employees": "many"}}, at=T0 + 2)
    with pytest.raises(funnel.ParseError):
        router.route("{", at=T0 + 2)
    with pytest.raises(funnel.InvalidError):
        router.route_many([{"id": "ok"}, {"id": "bad", "owner": 5}], at=T0 + 2)
    assert router.state_json() == before
    assert router.route({"id": "K", "owner": "zed"}, at="2026-11-20T00:00:00Z", reassign=True)["owner"] == "b"


def test_route_many_uses_each_leads_at(model):
    router = funnel.Router(model, routing(team("round_robin", [{"id": "a"}, {"id": "b"}])))
    got = router.route_many([{"id": "1", "at": T0}, {"id": "2"}, {"id": "3", "owner": "q"}], at=T0 + 5)
    assert [r["owner"] for r in got] == ["a", "b", "q"]
    assert router.state()["last_at"] == T0 + 5


def test_state_round_trip_one_go_equals_two_goes(model, tmp_path):
    rng = random.Random(7)
    doc = routing(team("weighted", [{"id": "eva", "weight": 3}, {"id": "tom", "weight": 0.5}], id="w",
                       **{"if": {"attr": "country", "eq": "es"}}),
                  team("least_loaded", [{"id": "ana", "capacity": 3}, {"id": "eva", "weight": 2, "capacity": 5}], id="l"),
                  window=0.5, otherwise="q")
    leads = []
    t = T0
    for i in range(80):
        t += rng.choice([0, 600, 7200, 20000])
        leads.append({"id": str(i), "at": t, "attributes": {"country": rng.choice(["es", "us"])}})
    one = funnel.Router(model, doc).route_many(leads)
    first = funnel.Router(model, doc)
    part = first.route_many(leads[:33])
    path = tmp_path / "state.json"
    path.write_text(first.state_json())
    second = funnel.Router(model, doc, state=str(path))
    assert second.state() == first.state()
    assert part + second.route_many(leads[33:]) == one
    assert any(r["queue"] == "q" for r in one) and any(r["owner"] == "tom" for r in one)


def test_bad_documents(model):
    with pytest.raises(funnel.InvalidError) as info:
        funnel.Router(model, {"format": "funnel.routing/1", "teams": [{"id": "t", "members": [
            {"id": "a", "if": {"prop": "minutes", "gt": 1}}]}]})
    assert "teams[0].members[0].if.prop" in info.value.message
    with pytest.raises(funnel.InvalidError):
        funnel.Router(model, routing(team("round_robin", [{"id": "a"}])), state={"format": "funnel.roster/2"})
    with pytest.raises(TypeError):
        funnel.Router("not a model", routing(team("round_robin", [{"id": "a"}])))
    router = funnel.Router(model, routing(team("round_robin", [{"id": "a"}])))
    router.close()
    with pytest.raises(ValueError):
        router.route({"id": "x"})
