"""score_many's fast path (funnel._lead_objects): lead dicts read in place by the
library (funnel_jsonl_from_objects) and the results handed back as a pickle
(funnel_score_jsonl_pickle). Every result must be the very object the JSON path
gives (same types: int vs float, -0.0, str), and every error the same; checked
here with the fast path switched off."""
import collections
import datetime
import enum
import json
import math
import os
import random
import sys

import pytest

from conftest import MISSING, REPO

if MISSING:
    pytest.skip(MISSING, allow_module_level=True)

import funnel  # noqa: E402
from funnel import _documents, _lead_objects  # noqa: E402
from funnel import model as _model  # noqa: E402

AS_OF = 1796083200.0

needs_layout = pytest.mark.skipif(_lead_objects.DOCUMENT_LAYOUT is None,
                                  reason="no document layout to read on this interpreter")


# Groups, engagement, a frequency rule, a criterion inside a criterion (lacking),
# names to escape and unescape, float and huge fit points.
MODEL = {
    "format": "funnel.model/1",
    "name": "pickle \"names\" é",
    "attributes": {"industry": "string", "employees": "number", "budget": "number", "decision_maker": "bool",
                   "timeline_days": "number", "need": "string", "country": "string", "tags": "strings"},
    "criteria": {
        "icp \"ideal\"": {"all": [{"attr": "industry", "in": ["software", "fintech", "Ünï \"q\""]},
                                 {"attr": "employees", "between": [50, 5000]}]},
        "bant\n€": {"all": [{"attr": "budget", "gte": 10000}, {"attr": "decision_maker", "eq": True},
                            {"criterion": "icp \"ideal\""}, {"attr": "need", "exists": True},
                            {"any": [{"attr": "timeline_days", "lte": 90}, {"attr": "country", "eq": "de"}]}]},
    },
    "scoring": {
        "fit": [
            {"id": "target-industry\t😀", "if": {"attr": "industry", "in": ["software", "fintech"]}, "points": 15},
            {"id": "mid-market", "if": {"attr": "employees", "between": [50, 5000]}, "points": 2.5},
            {"id": "tiny", "if": {"attr": "employees", "lt": 50}, "points": -0.001},
            {"id": "big", "if": {"attr": "budget", "gte": 100000}, "points": 1e20},
        ],
        "groups": [{"id": "email \"grp\"", "limit": 3}, {"id": "calls", "limit": 50}],
        "behavior": [
            {"id": "newsletter", "event": "newsletter.subscribe", "points": 1},
            {"id": "reply", "event": "email.reply", "points": 2, "cap": 10, "group": "email \"grp\""},
            {"id": "open", "event": "email.*", "points": 0.5, "group": "email \"grp\""},
            {"id": "long-call", "event": "call.completed", "if": {"prop": "minutes", "gte": 20}, "points": 5,
             "group": "calls"},
            {"id": "busy", "event": "page.visit", "points": 3, "at_least": {"count": 2, "within_days": 30}},
            {"id": "no-show", "event": "meeting.no_show", "points": -10},
        ],
        "half_life_days": 30,
        "window_days": 365,
        "behavior_limits": {"min": -50, "max": 100},
        "grades": [{"grade": "A\"", "min": 25}, {"grade": "B", "min": 15}, {"grade": "C", "min": 5}],
        "engagement": [{"level": "1", "min": 10}, {"level": "2\u00e9", "min": 1}],
    },
    "disqualify": [{"id": "competitor \"x\"", "if": {"attr": "tags", "contains": "competitor"}},
                   {"id": "nobody", "if": {"attr": "employees", "lt": 1}}],
}


@pytest.fixture(scope="module", params=["reference", "default", "names"])
def model(request):
    if request.param == "names":
        with funnel.Model.from_dict(MODEL) as m:
            yield m
        return
    if request.param == "default":
        with funnel.Model.default() as m:
            yield m
        return
    with funnel.Model.from_file(os.path.join(REPO, "Benchmarks", "data", "reference-model.json")) as m:
        yield m


def general(monkeypatch):
    """The JSON path only."""
    monkeypatch.setattr(_model, "DOCUMENT_LAYOUT", None)


def text_of(docs):
    """The JSON Lines the library writes from the objects in place, or None."""
    text = _lead_objects.objects_jsonl(docs)
    if text is None:
        return None
    try:
        import ctypes
        return ctypes.string_at(text.address, text.length).decode("utf-8")
    finally:
        text.close()


def test_layout_found_on_cpython():
    if sys.implementation.name == "cpython" and (3, 10) <= sys.version_info[:2] <= (3, 13) \
            and sys.maxsize > 2 ** 32 and sys.byteorder == "little" \
            and getattr(sys, "_is_gil_enabled", lambda: True)():
        assert _lead_objects.DOCUMENT_LAYOUT is not None


def random_str(rnd, ascii=False):
    alphabet = ["a", "Z", " ", "\"", "\\", "/", "\n", "\r", "\t", "\x00", "\x1f", "\x7f", "\x80", "\xe9", "\xff",
                "\u0100", "\u20ac", "\u2028", "\ud7ff", "\ue000", "\uffff", "\U0001F600", "\U0010FFFF"]
    if ascii:
        alphabet = alphabet[:12]
    return "".join(rnd.choice(alphabet) for _ in range(rnd.randrange(0, 12)))


def random_value(rnd, depth=0):
    pick = rnd.randrange(12 if depth < 4 else 9)
    if pick == 0:
        return rnd.choice([None, True, False])
    if pick == 1:
        return rnd.choice([0, 1, -1, 255, 256, 65535, 65536, 2 ** 31, -2 ** 31 - 1, 2 ** 30 - 1, 2 ** 30,
                           2 ** 60 - 1, -(2 ** 60 - 1), rnd.randrange(-10 ** 12, 10 ** 12)])
    if pick == 2:
        return rnd.choice([0.0, -0.0, 0.1, 1.5, -2.5e-7, 1e16, 1e22, 1e23, 5e-324, 1.7976931348623157e308,
                           1796083200.0, 1796083200.25, 2.0 ** 53, 2.0 ** 53 + 2, 123456789012345680.0])
    if pick == 3:
        return rnd.uniform(-1e6, 1e6) * 10 ** rnd.randrange(-30, 30)
    if pick in (4, 5, 6, 7, 8):
        return random_str(rnd, ascii=pick == 4)
    if pick == 9:
        return [random_value(rnd, depth + 1) for _ in range(rnd.randrange(0, 5))]
    d = {}
    for _ in range(rnd.randrange(0, 6)):
        d[random_str(rnd) if rnd.random() < 0.9 else "k"] = random_value(rnd, depth + 1)
    if d and rnd.random() < 0.3:
        del d[next(iter(d))]  # a deleted entry in the table
        d["after"] = 1
    return d


@needs_layout
def test_text_holds_the_same_values():
    rnd = random.Random(5)
    for _ in range(200):
        docs = [{random_str(rnd): random_value(rnd) for _ in range(rnd.randrange(0, 6))}
                for _ in range(rnd.randrange(1, 6))]
        text = text_of(docs)
        assert text is not None
        back = [json.loads(line) for line in text.split("\n")[:-1]]
        assert repr(back) == repr(docs)
    # A big dict (two-byte indices) and an emptied one.
    big = {"k%d" % i: i * 0.5 for i in range(1000)}
    emptied = {"a": 1}
    del emptied["a"]
    assert json.loads(text_of([big])) == big
    assert text_of([emptied, {}]) == "{}\n{}\n"


@needs_layout
def test_ascii_strings_and_ints_every_length():
    # Plain ASCII text is copied 8 bytes at a time, the last 8 overlapping, and text
    # of fewer than 8 bytes read as one word: every length to 33, with a byte to
    # escape at every position, as a key and as a value; ints at every digit count.
    texts = []
    for n in range(34):
        plain = "".join(chr(0x20 + (k * 7 + n) % 95) for k in range(n)).replace('"', "q").replace("\\", "b")
        texts.append(plain)
        for at in range(n):
            for c in ('"', "\\", "\n", "\x00", "\x1f", "\x7f", " ", "~"):
                texts.append(plain[:at] + c + plain[at + 1:])
    # New str objects (not the ones the literals share), as json.loads makes them.
    texts = [json.loads(json.dumps(t)) for t in texts]
    docs = [{t: t, "v": [t, {t: t}]} for t in texts]
    ints = [0, 1, -1] + [s * (10 ** k + d) for k in range(1, 19) for d in (-1, 0, 1) for s in (1, -1)]
    docs.append({"ints": [i for i in ints if abs(i) < 2 ** 60]})
    text = text_of(docs)
    assert text is not None
    assert text.split("\n")[:-1] == [json.dumps(d, ensure_ascii=False, separators=(",", ":")) for d in docs]


class Str(str):
    pass


class Flag(enum.IntEnum):
    ON = 1


class Plain:
    def __init__(self):
        self.a = 1
        self.b = "x"


def nested(depth):
    value = 1
    for _ in range(depth):
        value = [value]
    return value


@needs_layout
@pytest.mark.parametrize("value", [
    (1, 2), {1, 2}, math.nan, math.inf, -math.inf, 2 ** 60, -(2 ** 60), 10 ** 30, Flag.ON, Str("x"),
    collections.OrderedDict(a=1), {1: "int key"}, {None: 1}, "\ud800", "a\udfffb", object(),
    datetime.datetime(2026, 1, 1, tzinfo=datetime.timezone.utc), b"bytes", nested(70), 1 + 2j,
])
def test_refused_values(value):
    assert text_of([{"id": "L", "attributes": {"x": value}}]) is None


@needs_layout
def test_refused_documents():
    assert text_of([{"id": "a"}, '{"id": "b"}']) is None
    assert text_of([collections.OrderedDict(id="a")]) is None
    vars_dict = vars(Plain())
    text = text_of([vars_dict])
    assert text is None or json.loads(text) == vars_dict  # a split table is refused, a combined one read


def leads_of(n, seed):
    rnd = random.Random(seed)
    types = ["email.reply", "call.completed", "page.visit", "newsletter.subscribe", "meeting.no_show", "x.\u00fc"]
    leads = []
    for i in range(n):
        attrs = {}
        for name, make in (
                ("industry", lambda: rnd.choice(["Software", " software ", "COMPAÑÍA", "Fintech", "", "retail"])),
                ("employees", lambda: rnd.choice([120, 120.0, 49, 5000, 5000.5, -0.0, 0, 2 ** 40, 75.25])),
                ("budget", lambda: rnd.choice([10000, 9999.5, 1e5, 0])),
                ("decision_maker", lambda: rnd.choice([True, False])),
                ("timeline_days", lambda: rnd.choice([30, 90, 91.0, 365])),
                ("need", lambda: rnd.choice(["yes", "\u20ac\U0001F600", "a\"b\\c\nd"])),
                ("country", lambda: rnd.choice(["US", "DE", "fr"])),
                ("tags", lambda: rnd.sample(["webinar", "competitor", "referral", "Ünï"], rnd.randrange(0, 3))),
                ("unknown_nested", lambda: {"a": [1, 2.5, None, {"b": "c"}], "t": True})):
            r = rnd.random()
            if r < 0.2:
                continue  # missing
            attrs[name] = None if r < 0.3 else make()
        events = []
        for _ in range(rnd.randrange(0, 8)):
            at = AS_OF - rnd.randrange(0, 400 * 86400) - rnd.choice([0, 0.5, 0.25])
            event = {"type": rnd.choice(types),
                     "at": rnd.choice([at, int(at), datetime.datetime.fromtimestamp(int(at), datetime.timezone.utc)
                                       .strftime("%Y-%m-%dT%H:%M:%SZ"), "2026-11-01T10:00:00+02:00"])}
            if rnd.random() < 0.5:
                event["props"] = {"minutes": rnd.choice([25, 10.5, 20, "long", None, True]), "n": [1]}
            events.append(event)
        lead = {"id": rnd.choice(["L-%d" % i, "L\u00e9-%d" % i, "L\U0001F600%d" % i, "L\n\"%d\\" % i])}
        if attrs or rnd.random() < 0.5:
            lead["attributes"] = attrs
        if events or rnd.random() < 0.5:
            lead["events"] = events
        leads.append(lead)
    return leads


def run(fn):
    try:
        return "ok", fn()
    except Exception as e:  # the same exception, with the same message
        return type(e), str(e)


def typed(results):
    return repr([(type(r).__name__, dict(r)) for r in results])


@needs_layout
@pytest.mark.parametrize("threads", [1, 2, 0])
def test_score_many_same_as_general(model, monkeypatch, threads):
    leads = leads_of(300, threads)
    fast = typed(model.score_many(leads, AS_OF, threads=threads))
    assert _lead_objects.objects_jsonl(leads) is not None  # the fast path was taken
    general(monkeypatch)
    assert fast == typed(model.score_many(leads, AS_OF, threads=threads))


@needs_layout
def test_score_jsonl_same_as_general(model, monkeypatch):
    leads = leads_of(200, 9)
    text = "".join(json.dumps(lead, ensure_ascii=rnd) + "\n" for lead, rnd in zip(leads, [True, False] * 100))
    fast = [typed(model.score_jsonl(text, AS_OF)), typed(model.score_many(text.encode("utf-8"), AS_OF)),
            typed(model.score_many(iter(leads), AS_OF)), typed(model.score_many(tuple(leads), AS_OF))]
    general(monkeypatch)
    assert fast == [typed(model.score_jsonl(text, AS_OF)), typed(model.score_many(text.encode("utf-8"), AS_OF)),
                    typed(model.score_many(iter(leads), AS_OF)), typed(model.score_many(tuple(leads), AS_OF))]


@needs_layout
@pytest.mark.parametrize("change", [
    lambda leads: leads[3]["attributes"].__setitem__("employees", "many"),
    lambda leads: leads[3]["attributes"].__setitem__("employees", math.nan),
    lambda leads: leads[3]["attributes"].__setitem__("employees", 10 ** 30),
    lambda leads: leads[3]["attributes"].__setitem__("tags", ("webinar",)),
    lambda leads: leads[3].pop("id"),
    lambda leads: leads[3].__setitem__("id", ""),
    lambda leads: leads[3].__setitem__("id", 7),
    lambda leads: leads[3].__setitem__("events", [{"type": "email.reply", "at": "yesterday"}]),
    lambda leads: leads[3].__setitem__("events", [{"type": "email.reply", "at": True}]),
    lambda leads: leads[3].__setitem__("events", [{"type": "email.reply"}]),
    lambda leads: leads[3].__setitem__("id", "\ud800"),
    lambda leads: leads.__setitem__(3, '{"id": "json text"}'),
    lambda leads: leads.__setitem__(3, "not json"),
    lambda leads: leads.__setitem__(3, 5),
    lambda leads: leads[3].__setitem__("attributes", {1: 2}),
    lambda leads: leads[3].__setitem__("attributes", collections.OrderedDict(budget=5)),
])
def test_errors_and_odd_leads_as_general(model, monkeypatch, change):
    leads = leads_of(10, 4)
    change(leads)
    fast = run(lambda: typed(model.score_many(leads, AS_OF, threads=1)))
    general(monkeypatch)
    assert fast == run(lambda: typed(model.score_many(leads, AS_OF, threads=1)))


@needs_layout
@pytest.mark.parametrize("as_of, threads", [(math.nan, 1), ("soon", 1), (AS_OF, -1), (AS_OF, True), (AS_OF, 1.5),
                                            (None, 1)])
def test_bad_arguments_as_general(model, monkeypatch, as_of, threads):
    leads = leads_of(5, 1)
    fast = run(lambda: typed(model.score_many(leads, as_of, threads=threads)))
    general(monkeypatch)
    slow = run(lambda: typed(model.score_many(leads, as_of, threads=threads)))
    if as_of is None:  # now: the times may differ
        assert fast[0] == slow[0]
    else:
        assert fast == slow


@needs_layout
def test_empty_and_blank(model, monkeypatch):
    cases = [[], "", b"\n\n", "\n" + json.dumps(leads_of(1, 2)[0]) + "\n\n"]
    fast = [typed(model.score_many(c, AS_OF)) for c in cases]
    general(monkeypatch)
    assert fast == [typed(model.score_many(c, AS_OF)) for c in cases]


@needs_layout
def test_many_chunks_same_as_general(model, monkeypatch):
    # Several chunks of lines (each pickles its results with a memo of its own),
    # on one thread and on two.
    leads = leads_of(4000, 11)
    assert len(_documents.leads_jsonl(leads)) > 4 * (1 << 18)
    fast = [typed(model.score_many(leads, AS_OF, threads=t)) for t in (1, 2)]
    general(monkeypatch)
    slow = typed(model.score_many(leads, AS_OF, threads=1))
    assert fast == [slow, slow]


@needs_layout
@pytest.mark.parametrize("threads", [1, 2])
def test_many_and_long_names_as_general(monkeypatch, threads):
    # Past 256 memo entries (LONG_BINPUT / LONG_BINGET, the result class's too),
    # names and a priority of 256 bytes or more (BINUNICODE), a long lead id,
    # with a str of ASCII JSON Lines read in place and its bytes.
    long = "n\u00e9" * 140
    document = {
        "format": "funnel.model/1",
        "attributes": {"employees": "number", "industry": "string"},
        "criteria": {long: {"attr": "employees", "gte": 150}, "c": {"attr": "industry", "eq": "x"}},
        "scoring": {
            "fit": [{"id": "r%03d" % k, "if": {"attr": "employees", "gte": k}, "points": k + 0.5} for k in range(300)]
            + [{"id": long + "!", "if": {"attr": "employees", "gte": 0}, "points": 1},
               # Integers past 32 bits either way (LONG1), and 2 to 4 byte ones (BININT2, BININT).
               {"id": "big", "if": {"attr": "employees", "gte": 100}, "points": 2 ** 40},
               {"id": "neg", "if": {"attr": "employees", "gte": 200}, "points": -(2 ** 35)},
               {"id": "mid", "if": {"attr": "employees", "gte": 300}, "points": 70000}],
            "behavior": [{"id": "b" * 300, "event": "email.reply", "points": 2}],
            "grades": [{"grade": "g" * 200, "min": 100}, {"grade": "h", "min": 0}],
            "engagement": [{"level": "e" * 100, "min": 1}, {"level": "f", "min": 0}],
        },
        "disqualify": [{"id": "d" * 256, "if": {"attr": "employees", "lt": 2}}],
    }
    leads = [{"id": ("L%d-" % i) * (1 + 100 * (i % 3)), "attributes": {"employees": (i * 37) % 320},
              "events": [{"type": "email.reply", "at": AS_OF - 86400 * (i % 5)}] * (i % 2)} for i in range(900)]
    text = "".join(json.dumps(lead) + "\n" for lead in leads)
    assert text.isascii() and _lead_objects.ascii_text(text) is not None
    with funnel.Model.from_dict(document) as model:
        fast = [typed(model.score_many(leads, AS_OF, threads=threads)),
                typed(model.score_many(text, AS_OF, threads=threads)),
                typed(model.score_jsonl(text, AS_OF, threads=threads)),
                typed(model.score_many(text.encode("ascii"), AS_OF, threads=threads))]
        general(monkeypatch)
        slow = typed(model.score_many(leads, AS_OF, threads=threads))
    assert fast == [slow] * 4
