"""End-to-end tests of `funnel route` (SPEC §10)."""
import json
import os

import pytest

MODEL = {
    "format": "funnel.model/1",
    "attributes": {"country": "string", "employees": "number", "language": "string"},
    "criteria": {"big": {"attr": "employees", "gte": 1000}},
    "scoring": {"fit": [{"id": "big", "if": {"criterion": "big"}, "points": 10}],
                "behavior": [{"id": "reply", "event": "email.reply", "points": 5}]},
}
T0 = 1_795_000_000
DAY = 86_400


def routing(*teams, window=30, otherwise=None):
    return {"format": "funnel.routing/1", "capacity_window_days": window, "teams": list(teams),
            "otherwise": otherwise}


def team(strategy, members, id="t", **extra):
    return dict(id=id, strategy=strategy, members=members, **extra)


@pytest.fixture
def files(tmp_path):
    model = tmp_path / "model.json"
    model.write_text(json.dumps(MODEL))

    def make(routing_doc):
        path = tmp_path / "routing.json"
        path.write_text(json.dumps(routing_doc))
        return ["--model", str(model), "--routing", str(path)]
    return make


def jsonl(*leads):
    return "".join(json.dumps(lead) + "\n" for lead in leads)


def results(text):
    return [json.loads(line) for line in text.splitlines()]


def owners(text):
    return [r["owner"] for r in results(text)]


def test_round_robin_and_the_result_document(files, run):
    args = files(routing(team("round_robin", [{"id": "a"}, {"id": "b"}, {"id": "c"}])))
    out = run("route", *args, "--as-of", str(T0), input=jsonl(*({"id": "L%d" % i} for i in range(4))))
    assert out.returncode == 0, out.stderr
    assert owners(out.stdout) == ["a", "b", "c", "a"]
    assert out.stdout.splitlines()[0] == \
        '{"id":"L0","team":"t","owner":"a","queue":null,"kept":false,"skipped":[]}'


def test_weighted_and_least_loaded_orders(files, run):
    args = files(routing(team("weighted", [{"id": "eva", "weight": 3}, {"id": "tom"}])))
    out = run("route", *args, "--as-of", str(T0), input=jsonl(*({"id": str(i)} for i in range(8))))
    assert owners(out.stdout) == ["eva", "eva", "tom", "eva"] * 2
    args = files(routing(team("weighted", [{"id": "x", "weight": 0.5}, {"id": "y"}])))
    out = run("route", *args, "--as-of", str(T0), input=jsonl(*({"id": str(i)} for i in range(3))))
    assert owners(out.stdout) == ["y", "x", "y"]
    args = files(routing(team("least_loaded", [{"id": "ana"}, {"id": "luis", "weight": 2}])))
    out = run("route", *args, "--as-of", str(T0), input=jsonl(*({"id": str(i)} for i in range(4))))
    assert owners(out.stdout) == ["ana", "luis", "luis", "ana"]


def test_capacity_window_edge_and_skipped_reasons(files, run):
    args = files(routing(team("round_robin", [{"id": "a", "capacity": 1}]), window=1, otherwise="wait"))
    leads = [{"id": "1", "at": T0}, {"id": "2", "at": T0 + DAY - 1}, {"id": "3", "at": T0 + DAY}]
    out = run("route", *args, input=jsonl(*leads))
    assert out.returncode == 0, out.stderr
    got = results(out.stdout)
    assert [r["owner"] for r in got] == ["a", None, "a"]
    assert got[1] == {"id": "2", "team": None, "owner": None, "queue": "wait", "kept": False,
                      "skipped": [{"team": "t", "members": {"a": "at capacity"}}]}


def test_skipped_members_in_order_and_conditions_on_criteria_and_scores(files, run, tmp_path):
    doc = routing(
        team("round_robin", [{"id": "n", "if": {"attr": "country", "eq": "fr"}}, {"id": "c", "capacity": 0}],
             id="first"),
        team("round_robin", [{"id": "closer", "if": {"score": "total", "gte": 15}}, {"id": "junior"}],
             id="enterprise", **{"if": {"criterion": "big"}}),
        otherwise="nurture")
    args = files(doc)
    leads = [{"id": "hot", "attributes": {"employees": 5000},
              "events": [{"type": "email.reply", "at": T0 - DAY}]},
             {"id": "small", "attributes": {"employees": 5}}]
    out = run("route", *args, "--as-of", str(T0), input=jsonl(*leads))
    got = results(out.stdout)
    assert got[0]["owner"] == "closer" and got[0]["team"] == "enterprise"
    assert got[0]["skipped"] == [{"team": "first", "members": {"n": "no match", "c": "at capacity"}}]
    assert list(got[0]["skipped"][0]["members"]) == ["n", "c"]
    assert got[1]["queue"] == "nurture" and got[1]["owner"] is None


def test_kept_owner_and_reassign(files, run):
    args = files(routing(team("round_robin", [{"id": "a"}, {"id": "b"}])))
    leads = jsonl({"id": "1", "owner": "zed"}, {"id": "2"})
    out = run("route", *args, "--as-of", str(T0), input=leads)
    got = results(out.stdout)
    assert got[0] == {"id": "1", "team": None, "owner": "zed", "queue": None, "kept": True, "skipped": []}
    assert got[1]["owner"] == "a"
    out = run("route", *args, "--as-of", str(T0), "--reassign", input=leads)
    assert owners(out.stdout) == ["a", "b"]


def test_state_is_written_and_continues_exactly(files, run, tmp_path):
    args = files(routing(team("weighted", [{"id": "eva", "weight": 3}, {"id": "tom"}]),
                         team("least_loaded", [{"id": "ana", "capacity": 2}, {"id": "bo"}], id="l")))
    leads = [{"id": str(i), "at": T0 + i * 3600} for i in range(10)]
    one = run("route", *args, input=jsonl(*leads))
    state = tmp_path / "state.json"
    first = run("route", *args, "--state", str(state), input=jsonl(*leads[:4]))
    assert first.returncode == 0, first.stderr
    doc = json.loads(state.read_text())
    assert doc["format"] == "funnel.roster/1" and doc["last_at"] == T0 + 3 * 3600
    assert not os.path.exists(str(state) + ".tmp")
    second = run("route", *args, "--state", str(state), input=jsonl(*leads[4:]))
    assert second.returncode == 0, second.stderr
    assert results(first.stdout) + results(second.stdout) == results(one.stdout)
    # A backwards instant against the saved state: line 1 is refused.
    again = run("route", *args, "--state", str(state), input=jsonl({"id": "old", "at": T0}))
    assert again.returncode == 1
    assert "line 1: at: routing instants never go backwards" in again.stderr


def test_a_bad_line_stops_the_run_and_the_state_matches_the_results(files, run, tmp_path):
    args = files(routing(team("round_robin", [{"id": "a"}, {"id": "b"}])))
    state = tmp_path / "state.json"
    text = jsonl({"id": "1"}, {"id": "2"}) + "\n" + '{"id": "3", "attributes": {"employees": "many"}}\n' + \
        jsonl({"id": "4"})
    out = run("route", *args, "--state", str(state), "--as-of", str(T0), input=text)
    assert out.returncode == 1
    assert "line 4: attributes.employees" in out.stderr
    assert owners(out.stdout) == ["a", "b"]
    doc = json.loads(state.read_text())
    assert doc["people"]["a"]["assigned"] == [T0] and doc["people"]["b"]["assigned"] == [T0]
    assert doc["teams"]["t"]["last"] == "b"
    bad_at = run("route", *args, "--as-of", str(T0), input='{"id": "x", "at": "yesterday"}\n')
    assert bad_at.returncode == 1 and "line 1: at: expected RFC 3339" in bad_at.stderr


def test_bad_routing_state_and_usage_exit_2(files, run, tmp_path):
    args = files({"format": "funnel.routing/1", "capacity_window_days": -1,
                  "teams": [{"id": "t", "strategy": "random", "members": []}]})
    out = run("route", *args, input="")
    assert out.returncode == 2
    assert 'teams[0].strategy: unknown strategy "random"' in out.stderr
    # Structure before meaning: once the structure is sound, every other fault.
    args = files({"format": "funnel.routing/1", "capacity_window_days": -1,
                  "teams": [{"id": "t", "members": []}, {"id": "t", "members": [{"id": "a", "weight": 0}]}]})
    out = run("route", *args, input="")
    assert out.returncode == 2
    assert out.stderr.count("routing.json: ") == 4
    for fault in ["capacity_window_days: expected a finite number > 0", "teams[0].members: expected at least one member",
                  'teams[1].id: duplicate id "t"', "teams[1].members[0].weight: expected a finite number > 0"]:
        assert fault in out.stderr
    args = files(routing(team("round_robin", [{"id": "a"}])))
    state = tmp_path / "state.json"
    state.write_text('{"format": "funnel.model/1"}')
    out = run("route", *args, "--state", str(state), input="")
    assert out.returncode == 2 and 'format: expected "funnel.roster/1"' in out.stderr
    assert state.read_text() == '{"format": "funnel.model/1"}'
    out = run("route", "--model", args[1], input="")
    assert out.returncode == 2 and "--routing FILE is required" in out.stderr
    assert run("route", "--help").returncode == 0
    assert "funnel route" in run("route", "--help").stdout


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
def test_write_errors_are_reported(files, funnel, tmp_path):
    import subprocess
    args = files(routing(team("round_robin", [{"id": "a"}])))
    state = tmp_path / "state.json"
    with open("/dev/full", "w") as full:
        out = subprocess.run([funnel, "route", *args, "--state", str(state), "--as-of", str(T0)],
                             input=jsonl({"id": "1"}), stdout=full, stderr=subprocess.PIPE, text=True, timeout=60)
    assert out.returncode == 1 and "cannot write to standard output" in out.stderr
    # The result was not delivered, so the saved state does not count it.
    assert json.loads(state.read_text())["people"]["a"]["assigned"] == []


def test_demo_routes_the_qualified_leads(run, tmp_path):
    out = run("demo", "--top", "3", "--svg", str(tmp_path / "demo.svg"))
    assert out.returncode == 0, out.stderr
    assert "Leads by stage after advance:" in out.stdout  # the existing output stays
    head, _, tail = out.stdout.partition("Routing the ")
    qualified = int(tail.split()[0])
    stages = {line.split()[0]: int(line.split()[1]) for line in head.splitlines()
              if line.split() and line.split()[0] in ("mql", "sal", "sql", "opportunity") and "%" in line}
    assert qualified == sum(stages.values()) > 0
    owner_table, queue_table = tail.split("\n\n")[:2]
    owners = {r[0]: int(r[2]) for r in (line.split() for line in owner_table.splitlines()[3:])}
    queues = {r[0]: int(r[1]) for r in (line.split() for line in queue_table.splitlines()[2:])}
    assert set(queues) <= {"nurture"}
    assert sum(owners.values()) + sum(queues.values()) == qualified
    assert owners["luis"] == 10 and owners["ana"] == 6  # enterprise capacities reached


def test_killing_the_run_never_leaves_a_half_written_state(files, funnel, tmp_path):
    """SIGKILL at many points of runs with a large state: the file is always the
    old document or the new one, whole."""
    import signal
    import subprocess
    import time
    people = [{"id": "p%d" % i} for i in range(200)]
    args = files(routing(team("round_robin", people), window=3650))
    state = tmp_path / "state.json"

    def route(text):
        return subprocess.run([funnel, "route", *args, "--state", str(state)], input=text,
                              capture_output=True, text=True, timeout=300)
    assert route(jsonl(*({"id": str(i), "at": T0 + i} for i in range(20000)))).returncode == 0
    old = state.read_text()
    more = jsonl(*({"id": "n%d" % i, "at": T0 + 100000 + i} for i in range(20000))).encode()
    assert route(more.decode()).returncode == 0
    new = state.read_text()
    assert new != old and len(new) > 200000
    killed = 0
    for k in range(12):
        state.write_text(old)
        proc = subprocess.Popen([funnel, "route", *args, "--state", str(state)], stdin=subprocess.PIPE,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        proc.stdin.write(more)
        proc.stdin.close()
        time.sleep(0.01 * k)
        if proc.poll() is None:
            proc.send_signal(signal.SIGKILL)
            killed += 1
        proc.wait()
        text = state.read_text()
        assert text == old or text == new  # never a mix
    assert killed > 0
