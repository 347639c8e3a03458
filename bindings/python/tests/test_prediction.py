"""The win probability (SPEC §14) from Python: funnel.WinModel.train / .load and
model.score(..., win_model=...), on the shared case of Tests/fixtures/win
(worked by hand in Tests/FunnelTests/WinModelTests.swift)."""
import json
import math
import os
import threading

import pytest

from conftest import MISSING, REPO

if MISSING:
    pytest.skip(MISSING, allow_module_level=True)

import funnel  # noqa: E402

WIN = os.path.join(REPO, "Tests", "fixtures", "win")


def fixture(name):
    with open(os.path.join(WIN, name), encoding="utf-8") as f:
        return f.read()


@pytest.fixture
def model():
    with funnel.Model.load(os.path.join(WIN, "model.json")) as m:
        yield m


def leads():
    return [json.loads(line) for line in fixture("leads.jsonl").splitlines()]


def test_train_gives_the_document_worked_by_hand(model):
    examples = [json.loads(line) for line in fixture("examples.jsonl").splitlines()]
    for source in (examples, fixture("examples.jsonl"), fixture("examples.jsonl").encode(),
                   os.path.join(WIN, "examples.jsonl")):
        with funnel.WinModel.train(model, source) as win:
            assert win.json + "\n" == fixture("winmodel.json")
            assert win.document()["fields"]["stage"] == {
                "new": [3, 3], "mql": [3, 2], "sql": [3, 1], "won": [3, 0]}


def test_scores_carry_the_probability_and_factors(model):
    win = funnel.WinModel.load(model, fixture("winmodel.json"))
    x, y, w = leads()
    rx = model.score(x, as_of=0, win_model=win)
    assert rx["win_probability"] == 0.99  # 0.9912 clamped
    assert [(f["field"], f["value"]) for f in rx["win_factors"]] == [
        ("decision_maker", "true"), ("industry", "software"), ("employees", ">= 50")]
    ry = model.score(y, as_of=0, win_model=win)
    assert math.isclose(ry["win_probability"], 31 / 52, rel_tol=1e-12)
    assert [(f["field"], f["value"]) for f in ry["win_factors"]] == [
        ("industry", "retail"), ("employees", "[10, 50)"), ("stage", "sql")]
    assert math.isclose(ry["win_factors"][0]["weight"], math.log(1 / 21), rel_tol=1e-12)
    assert math.isclose(ry["win_factors"][1]["weight"], math.log(11), rel_tol=1e-12)
    rw = model.score(w, as_of=0, win_model=win)
    assert rw["win_probability"] == 1 and rw["win_factors"] == []
    plain = model.score(y, as_of=0)
    assert "win_probability" not in plain
    many = model.score_many([x, y, w], as_of=0, win_model=win)
    assert many == [rx, ry, rw]
    assert model.score_jsonl(fixture("leads.jsonl"), as_of=0, win_model=win) == many


def test_errors(model):
    with pytest.raises(funnel.InvalidError) as e:
        funnel.WinModel.train(model, [{"lead": {"id": "A"}, "outcome": "lost", "stage": "nurture"}])
    assert e.value.status == funnel.E_INVALID and "line 1: stage:" in str(e.value)
    with pytest.raises(funnel.ParseError):
        funnel.WinModel.train(model, '{"lead":\n')
    with pytest.raises(funnel.InvalidError) as e:
        funnel.WinModel.load(model, '{"format":"funnel.winmodel/1","won":1,"lost":1,"fields":{"color":{}}}')
    assert "fields.color: unknown field" in str(e.value)
    other = funnel.Model.load({"format": "funnel.model/1", "attributes": {"industry": "string"}})
    win = funnel.WinModel.load(model, fixture("winmodel.json"))
    with pytest.raises(funnel.ArgumentError):
        other.score({"id": "A"}, as_of=0, win_model=win)
    with pytest.raises(TypeError):
        model.score({"id": "A"}, as_of=0, win_model="not a win model")
    win.close()
    with pytest.raises(ValueError):
        model.score({"id": "A"}, as_of=0, win_model=win)


def test_one_win_model_from_many_threads(model):
    win = funnel.WinModel.train(model, fixture("examples.jsonl"))
    y = leads()[1]
    results = []

    def work():
        for _ in range(50):
            results.append(model.score(y, as_of=0, win_model=win)["win_probability"])

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(results) == 200 and all(math.isclose(p, 31 / 52, rel_tol=1e-12) for p in results)
