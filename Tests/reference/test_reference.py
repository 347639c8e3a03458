"""Unit tests of the Python reference itself, with hand-computed values (SPEC.md)."""

import os
import random
import sys

import pytest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import funnel_reference as ref  # noqa: E402
import random_cases as rc  # noqa: E402

AS_OF = 1793527200.0  # 2026-11-01T10:00:00Z
DAY = 86400


def model(**kw):
    doc = {"format": "funnel.model/1",
           "attributes": {"industry": "string", "employees": "number",
                          "dm": "bool", "tags": "strings"}}
    doc.update(kw)
    return ref.load_model(doc)


def scoring(fit=(), behavior=(), **extra):
    s = {"fit": list(fit), "behavior": list(behavior)}
    s.update(extra)
    return s


# ---------------------------------------------------------------- time

def test_parse_time_forms():
    assert ref.parse_time("2026-11-01T10:00:00Z") == AS_OF
    assert ref.parse_time("2026-11-01T15:30:00+05:30") == AS_OF
    assert ref.parse_time("2026-11-01T02:00:00-08:00") == AS_OF
    assert ref.parse_time("2026-11-01T10:00:00.25Z") == AS_OF + 0.25
    assert ref.parse_time(1793527200) == AS_OF
    assert ref.parse_time(1793527200.5) == AS_OF + 0.5
    with pytest.raises(ref.ReferenceError_):
        ref.parse_time("2026-11-01T10:00:00")  # zone required
    assert ref.parse_time("1793527200", numeric_text=True) == AS_OF


# ---------------------------------------------------------------- text

def test_norm():
    assert ref.norm(" Software ") == "software"
    assert ref.norm("Compañía") == ref.norm("COMPAÑÍA")
    assert ref.norm("Compan\u0303i\u0301a") == ref.norm("Compañía")  # NFD vs NFC
    assert ref.norm("\u00a0\u3000café\t") == "café"


# ---------------------------------------------------------------- behaviour

def test_one_half_life_is_half():
    m = model(scoring=scoring(behavior=[{"id": "r", "event": "email.reply", "points": 8}],
                              half_life_days=30))
    lead = {"id": "L", "events": [{"type": "email.reply", "at": AS_OF - 30 * DAY}]}
    r = ref.score(m, lead, AS_OF)
    assert r["behavior"] == pytest.approx(4.0)
    assert r["contributions"] == [{"rule": "r", "points": pytest.approx(4.0)}]
    # two half-lives: a quarter; without half_life_days: full points
    lead2 = {"id": "L", "events": [{"type": "email.reply", "at": "2026-09-02T10:00:00Z"}]}
    assert ref.score(m, lead2, AS_OF)["behavior"] == pytest.approx(2.0)
    m2 = model(scoring=scoring(behavior=[{"id": "r", "event": "email.reply", "points": 8}]))
    assert ref.score(m2, lead2, AS_OF)["behavior"] == 8


def test_wildcard_and_exact_types():
    m = model(scoring=scoring(behavior=[{"id": "w", "event": "email.*", "points": 1}]))
    types = ["email.reply", "email.open", "email.", "Email.reply", "email", "x.email.reply"]
    lead = {"id": "L", "events": [{"type": t, "at": AS_OF - 10} for t in types]}
    assert ref.score(m, lead, AS_OF)["behavior"] == 3  # the first three only


def test_future_events_and_window_edge():
    m = model(scoring=scoring(behavior=[{"id": "r", "event": "a.b", "points": 1}],
                              window_days=7))
    evs = [AS_OF, AS_OF + 1, AS_OF - 7 * DAY, AS_OF - 7 * DAY - 1, AS_OF - 7 * DAY + 1]
    lead = {"id": "L", "events": [{"type": "a.b", "at": at} for at in evs]}
    # at == as_of counts, the future does not, the window edge itself counts
    assert ref.score(m, lead, AS_OF)["behavior"] == 3


def test_cap_and_limits():
    m = model(scoring=scoring(
        behavior=[{"id": "up", "event": "a", "points": 4, "cap": 10},
                  {"id": "down", "event": "b", "points": -4, "cap": 5},
                  {"id": "free", "event": "c", "points": 7}],
        behavior_limits={"min": -3, "max": 12}))
    lead = {"id": "L", "events": [{"type": t, "at": AS_OF - 5} for t in "aaabbbc"]}
    r = ref.score(m, lead, AS_OF)
    assert r["contributions"] == [{"rule": "up", "points": 10}, {"rule": "down", "points": -5},
                                  {"rule": "free", "points": 7}]
    assert r["behavior"] == 12  # 10 - 5 + 7 = 12, within [-3, 12]
    lead = {"id": "L", "events": [{"type": "b", "at": AS_OF - 5}] * 3}
    assert ref.score(m, lead, AS_OF)["behavior"] == -3


def test_prop_conditions():
    m = model(scoring=scoring(behavior=[
        {"id": "long", "event": "call", "points": 5, "if": {"prop": "minutes", "gte": 20}},
        {"id": "ne", "event": "call", "points": 1, "if": {"prop": "minutes", "ne": "a"}},
        {"id": "nin", "event": "call", "points": 1, "if": {"prop": "minutes", "not_in": ["a", True]}},
        {"id": "tag", "event": "call", "points": 1, "if": {"prop": "tags", "contains": " VIP"}},
        {"id": "sub", "event": "call", "points": 1, "if": {"prop": "title", "contains": "CEO"}},
    ]))
    ev = {"type": "call", "at": AS_OF - 1,
          "props": {"minutes": 25, "tags": ["vip", "x"], "title": "Acting ceo of X"}}
    r = ref.score(m, {"id": "L", "events": [ev]}, AS_OF)
    assert [c["rule"] for c in r["contributions"]] == ["long", "tag", "sub"]
    ev["props"] = {"minutes": "25", "tags": "vip", "title": None}
    r = ref.score(m, {"id": "L", "events": [ev]}, AS_OF)
    # "25" is a string: gte does not fit; ne "a" holds; not_in holds; contains "vip" in "vip"
    assert [c["rule"] for c in r["contributions"]] == ["ne", "nin", "tag"]


# ---------------------------------------------------------------- predicates, fit, grades

def test_missing_attribute():
    m = model(criteria={
        "ne": {"attr": "industry", "ne": "x"},
        "absent": {"attr": "industry", "exists": False},
        "present": {"attr": "industry", "exists": True},
        "not_eq": {"not": {"attr": "industry", "eq": "x"}},
        "nin": {"attr": "industry", "not_in": ["x"]},
    })
    for lead in ({"id": "L"}, {"id": "L", "attributes": {"industry": None}},
                 {"id": "L", "attributes": {"Industry": "x"}}):
        assert ref.score(m, lead, AS_OF)["criteria"] == {
            "ne": False, "absent": True, "present": False, "not_eq": True, "nin": False}


def test_string_comparison_and_strings_attr():
    m = model(criteria={
        "eq": {"attr": "industry", "eq": "software"},
        "in": {"attr": "industry", "in": ["COMPAÑÍA", "x"]},
        "sub": {"attr": "industry", "contains": "PAÑ"},
        "member": {"attr": "tags", "contains": " Competitor"},
        "any": {"attr": "tags", "any_of": ["nope", "WEBINAR"]},
        "empty_all": {"all": []},
        "empty_any": {"any": []},
    })
    lead = {"id": "L", "attributes": {"industry": " Compan\u0303i\u0301a ",
                                      "tags": ["competitor\t", "webinar"]}}
    assert ref.score(m, lead, AS_OF)["criteria"] == {
        "eq": False, "in": True, "sub": True, "member": True, "any": True,
        "empty_all": True, "empty_any": False}


def test_fit_grades_first_match_in_written_order():
    m = model(scoring=scoring(
        fit=[{"id": "ind", "if": {"attr": "industry", "in": ["software"]}, "points": 15},
             {"id": "size", "if": {"attr": "employees", "between": [50, 5000]}, "points": 10},
             {"id": "dm", "if": {"attr": "dm", "eq": True}, "points": -2}],
        behavior=[{"id": "r", "event": "e", "points": 100}],
        grades=[{"grade": "B", "min": 15}, {"grade": "A", "min": 25}, {"grade": "C", "min": 5}]))
    lead = {"id": "L", "attributes": {"industry": "Software", "employees": 50, "dm": False},
            "events": [{"type": "e", "at": AS_OF}]}
    r = ref.score(m, lead, AS_OF)
    assert (r["fit"], r["behavior"], r["total"]) == (25, 100, 125)
    assert r["grade"] == "B"  # first written entry whose min <= fit (grades use fit)
    lead["attributes"] = {"employees": 10}
    r = ref.score(m, lead, AS_OF)
    assert r["grade"] is None and r["fit"] == 0 and r["total"] == 100
    assert r["contributions"] == [{"rule": "r", "points": 100}]


def test_score_predicates_in_criteria_and_disqualifiers():
    m = model(scoring=scoring(fit=[{"id": "f", "if": {"all": []}, "points": 10}]),
              criteria={"hot": {"score": "total", "gte": 10}, "via": {"criterion": "hot"}},
              disqualify=[{"id": "cold", "if": {"score": "fit", "lt": 5}},
                          {"id": "warm", "if": {"criterion": "via"}}])
    r = ref.score(m, {"id": "L"}, AS_OF)
    assert r["criteria"] == {"hot": True, "via": True}
    assert r["disqualified_by"] == ["warm"]


# ---------------------------------------------------------------- stages

STAGES = {
    "initial": "new",
    "list": [{"id": "new"},
             {"id": "profiled", "enter_when": {"attr": "industry", "exists": True}},
             {"id": "mql", "enter_when": {"score": "total", "gte": 10}},
             {"id": "sql", "enter_when": {"all": []}, "requires": {"attr": "dm", "eq": True}},
             {"id": "nurture", "enter_when": {"all": []}},
             {"id": "won", "outcome": "won"},
             {"id": "dq", "outcome": "disqualified"}],
    "transitions": [{"from": "new", "to": "profiled"}, {"from": "profiled", "to": "mql"},
                    {"from": "mql", "to": ["sql", "nurture"]}, {"from": "nurture", "to": "mql"},
                    {"from": "*", "to": "dq", "reasons": ["bad_data"]}],
}


def stage_model():
    return model(stages=STAGES,
                 scoring=scoring(fit=[{"id": "f", "if": {"attr": "employees", "gt": 0},
                                       "points": 10}]),
                 disqualify=[{"id": "tiny", "if": {"attr": "employees", "lt": 0}},
                             {"id": "tiny2", "if": {"attr": "employees", "lt": -5}}])


def test_advance_chain_never_twice():
    m = stage_model()
    lead = {"id": "L", "attributes": {"industry": "x", "employees": 5, "dm": False}}
    r = ref.advance(m, lead, AS_OF)
    # new -> profiled -> mql -> (sql needs dm) nurture; nurture -> mql would repeat mql
    assert r["stage"] == "nurture"
    assert [(mv["from"], mv["to"]) for mv in r["moves"]] == [
        ("new", "profiled"), ("profiled", "mql"), ("mql", "nurture")]
    assert all(mv["by"] == "auto" and mv["reason"] is None for mv in r["moves"])
    lead["attributes"]["dm"] = True
    assert ref.advance(m, lead, AS_OF)["stage"] == "sql"  # first in list order


def test_advance_disqualifies_first():
    m = stage_model()
    lead = {"id": "L", "stage": "profiled", "attributes": {"industry": "x", "employees": -9}}
    r = ref.advance(m, lead, AS_OF)
    assert r == {"id": "L", "stage": "dq",
                 "moves": [{"from": "profiled", "to": "dq", "reason": "tiny", "by": "auto"}]}


def test_advance_stays_and_unknown_stage():
    m = stage_model()
    assert ref.advance(m, {"id": "L", "stage": "profiled"}, AS_OF) == \
        {"id": "L", "stage": "profiled", "moves": []}
    with pytest.raises(ref.ReferenceError_):
        ref.advance(m, {"id": "L", "stage": "nowhere"}, AS_OF)


def test_outcome_stage_has_no_star_exit():
    doc = dict(STAGES)
    doc["list"] = STAGES["list"] + [{"id": "again", "enter_when": {"all": []}}]
    doc["transitions"] = [{"from": "*", "to": "again"}, {"from": "new", "to": "won"}]
    doc["list"][5] = {"id": "won", "outcome": "won", "enter_when": {"all": []}}
    m = model(stages=doc)
    r = ref.advance(m, {"id": "L"}, AS_OF)
    assert r["stage"] == "won"  # "won" comes before "again" in list order, and has no way out


# ---------------------------------------------------------------- generator sanity

def test_generator_is_deterministic_and_reference_runs():
    a = random.Random("7:3")
    b = random.Random("7:3")
    ma, mb = rc.random_model(a), rc.random_model(b)
    assert ma == mb
    m = ref.load_model(ma)
    as_of, _ = rc.random_as_of(a)
    for i in range(20):
        lead = rc.random_lead(a, ma, as_of, i)
        ref.score(m, lead, as_of)
        if m.stages is not None:
            ref.advance(m, lead, as_of)
