"""SPEC §13 end to end through `funnel score`, `funnel advance` and `funnel validate`."""
import json

import pytest

DAY = 86400
AS_OF = 1_000_000_000
MODEL = {
    "format": "funnel.model/1",
    "attributes": {"industry": "string"},
    "criteria": {"hot": {"result": "priority", "eq": "a1"}},
    "scoring": {
        "fit": [{"id": "sw", "if": {"attr": "industry", "eq": "software"}, "points": 30}],
        "behavior": [
            {"id": "open", "event": "email.open", "points": 2, "group": "email"},
            {"id": "reply", "event": "email.reply", "points": 5, "cap": 8, "group": "email"},
            {"id": "pricing", "event": "page.pricing", "points": 10,
             "at_least": {"count": 3, "within_days": 30}},
        ],
        "groups": [{"id": "email", "limit": 10}],
        "total_limits": {"min": 0, "max": 45},
        "grades": [{"grade": "A", "min": 25}],
        "engagement": [{"level": "1", "min": 15}, {"level": "2", "min": 5}],
    },
    "stages": {
        "initial": "new",
        "list": [{"id": "new"}, {"id": "mql", "enter_when": {"criterion": "hot"}},
                 {"id": "nurture", "resets_behavior": True, "enter_when": {"all": []}}],
        "transitions": [{"from": "new", "to": ["mql", "nurture"]}, {"from": "nurture", "to": "mql"}],
    },
}


def event(kind, days_ago):
    return {"type": kind, "at": AS_OF - days_ago * DAY}


HOT = {"id": "H", "attributes": {"industry": "Software"},
       "events": [event("email.open", 1)] * 2 + [event("email.reply", 1)] * 2
       + [event("page.pricing", 30), event("page.pricing", 2), event("page.pricing", 1)]}
COLD = {"id": "C", "events": [event("page.pricing", 31), event("page.pricing", 2), event("page.pricing", 1)]}


@pytest.fixture
def model_file(tmp_path):
    path = tmp_path / "model.json"
    path.write_text(json.dumps(MODEL))
    return str(path)


def run_lines(run, verb, model_file, leads):
    result = run(verb, "--model", model_file, "--as-of", str(AS_OF), input="".join(json.dumps(l) + "\n" for l in leads))
    assert result.returncode == 0, result.stderr
    return [json.loads(line) for line in result.stdout.splitlines()]


def test_score_has_groups_engagement_and_priority(run, model_file):
    hot, cold = run_lines(run, "score", model_file, [HOT, COLD])
    # email: 2 × 2 + min(2 × 5, 8) = 12, limited to 10; pricing: 3 visits in 30 days (the first
    # exactly 30 days old) → 10; behaviour 20; total 30 + 20 = 50 → 45.
    assert hot["groups"] == [{"group": "email", "points": 10}]
    assert hot["behavior"] == 20 and hot["total"] == 45
    assert [c["rule"] for c in hot["contributions"]] == ["sw", "open", "reply", "pricing"]
    assert (hot["engagement"], hot["priority"], hot["criteria"]["hot"]) == ("1", "A1", True)
    # Only two pricing visits within 30 days: nothing, no contribution, no level, no priority.
    assert cold["contributions"] == [] and cold["groups"] == []
    assert (cold["engagement"], cold["priority"], cold["grade"]) == (None, None, None)


def test_advance_reports_behavior_since_and_the_rest_scores_with_it(run, model_file):
    hot, cold = run_lines(run, "advance", model_file, [HOT, COLD])
    assert hot == {"id": "H", "stage": "mql", "moves": [{"from": "new", "to": "mql", "reason": None, "by": "auto"}]}
    # Cold goes to nurture, which resets behaviour; its old events no longer count.
    assert cold == {"id": "C", "stage": "nurture", "behavior_since": AS_OF,
                    "moves": [{"from": "new", "to": "nurture", "reason": None, "by": "auto"}]}
    recycled = dict(HOT, stage="nurture", behavior_since=AS_OF)
    (again,) = run_lines(run, "advance", model_file, [recycled])
    assert again["stage"] == "nurture" and again["moves"] == []
    (scored,) = run_lines(run, "score", model_file, [recycled])
    assert scored["behavior"] == 0 and scored["priority"] is None


def test_validate_names_every_new_fault(run, tmp_path):
    bad = json.loads(json.dumps(MODEL))
    bad["scoring"]["behavior"][0]["group"] = "nope"
    bad["scoring"]["behavior"][2]["at_least"]["count"] = 0
    bad["scoring"]["groups"].append({"id": "email", "limit": 0})
    bad["scoring"]["total_limits"] = {"min": 5, "max": 1}
    bad["scoring"]["fit"][0]["if"] = {"result": "grade", "eq": "A"}
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(bad))
    result = run("validate", str(path))
    assert result.returncode == 2
    for expected in [
        "scoring.fit[0].if.result: a result may not be used in a scoring rule",
        'scoring.behavior[0].group: unknown group "nope"',
        "scoring.behavior[2].at_least.count: expected an integer >= 1, found 0",
        'scoring.groups[1].id: duplicate id "email"',
        "scoring.groups[1].limit: expected a finite number > 0",
        "scoring.total_limits: min (5) is greater than max (1)",
    ]:
        assert expected in result.stderr + result.stdout
