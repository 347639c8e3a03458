"""SPEC §13 through the Python binding: the new fields come through the shared
JSON results (score, score_many, advance, move).

Run from the repository root:  python3 -m pytest -q bindings/python/tests
"""
import pytest

from conftest import MISSING

if MISSING:
    pytest.skip(MISSING, allow_module_level=True)

import funnel  # noqa: E402

T = 1_000_000_000.0
DAY = 86400.0
MODEL = {
    "format": "funnel.model/1",
    "attributes": {"industry": "string"},
    "scoring": {
        "fit": [{"id": "sw", "if": {"attr": "industry", "eq": "software"}, "points": 30}],
        "behavior": [
            {"id": "open", "event": "email.open", "points": 2, "group": "email"},
            {"id": "pricing", "event": "page.pricing", "points": 10, "at_least": {"count": 2, "within_days": 7}},
        ],
        "groups": [{"id": "email", "limit": 5}],
        "total_limits": {"max": 40},
        "grades": [{"grade": "A", "min": 25}],
        "engagement": [{"level": "1", "min": 12}, {"level": "2", "min": 1}],
    },
    "stages": {"initial": "new", "list": [{"id": "new"}, {"id": "nurture", "resets_behavior": True}],
               "transitions": [{"from": "new", "to": "nurture"}]},
}
HOT = {"id": "H", "attributes": {"industry": "software"},
       "events": [{"type": "email.open", "at": T - 100}] * 3
       + [{"type": "page.pricing", "at": T - 7 * DAY}, {"type": "page.pricing", "at": T - 100}]}


@pytest.fixture(scope="module")
def model():
    return funnel.Model.load(MODEL)


def test_score_has_groups_engagement_and_priority(model):
    r = model.score(HOT, T)
    assert r["behavior"] == pytest.approx(15) and r["total"] == pytest.approx(40)
    assert r["groups"] == [{"group": "email", "points": 5}]
    assert (r["engagement"], r["priority"]) == ("1", "A1")
    (many,) = model.score_many([HOT], T)
    assert many == r


def test_move_into_a_resetting_stage_gives_behavior_since(model):
    assert model.move(HOT, "nurture", as_of=T)["behavior_since"] == T
    recycled = dict(HOT, behavior_since=T)
    r = model.score(recycled, T)
    assert (r["behavior"], r["engagement"], r["priority"]) == (0, None, None)


def test_batch_columns_have_engagement_and_priority(model):
    # funnel_batch_score_levels: the same levels and priorities as the documents.
    cold = {"id": "C", "attributes": {"industry": "retail"}, "events": [{"type": "email.open", "at": T - 100}]}
    none = {"id": "N", "attributes": {"industry": "software"}}
    leads = [HOT, cold, none]
    types = ["email.open", "page.pricing"]
    lead, kind, at = [], [], []
    for i, doc in enumerate(leads):
        for e in doc.get("events", []):
            lead.append(i)
            kind.append(types[types.index(e["type"])])
            at.append(e["at"])
    columns = model.score_columns({"industry": [d["attributes"]["industry"] for d in leads]},
                                  events={"lead": lead, "type": kind, "at": at}, as_of=T)
    expected = [model.score(d, T) for d in leads]
    assert columns.engagement == [r["engagement"] for r in expected] == ["1", "2", None]
    assert columns.priority == [r["priority"] for r in expected] == ["A1", None, None]
    assert columns.engagement_index == [0, 1, -1]
    assert columns.total == pytest.approx([r["total"] for r in expected])


def test_batch_columns_with_numpy_have_engagement_and_priority(model):
    np = pytest.importorskip("numpy")
    columns = model.score_columns({"industry": ["software", "retail"]},
                                  events={"lead": np.array([0, 0, 0, 1], dtype=np.uint32),
                                          "type": ["email.open"] * 3 + ["page.pricing"],
                                          "at": np.array([T - 100] * 4)}, as_of=T)
    assert list(columns.engagement) == ["2", None]
    assert list(columns.engagement_index) == [1, -1]
    assert list(columns.priority) == ["A2", None]


def test_batch_columns_without_levels_have_no_engagement():
    plain = funnel.Model.load({"format": "funnel.model/1", "attributes": {"n": "number"},
                               "scoring": {"fit": [{"id": "a", "if": {"attr": "n", "gte": 1}, "points": 1}]}})
    columns = plain.score_columns({"n": [1, 0]}, as_of=T)
    assert "engagement" not in columns and columns.engagement is None and columns.priority is None
