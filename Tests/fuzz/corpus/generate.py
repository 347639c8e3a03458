#!/usr/bin/env python3
"""Regenerates the seed corpora of Tests/fuzz/corpus/<target>/ (deterministic).

    python3 Tests/fuzz/corpus/generate.py [path/to/default-model.json]

The default model is read from the file given, else from `.build/debug/funnel
default-model`, else from Sources/Funnel/Samples/DefaultModel.swift.
Every file stays under 64 KB.
"""
import json, os, random, re, subprocess, sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", "..", ".."))
rng = random.Random(20261101)
AS_OF = 1793527200


def default_model():
    if len(sys.argv) > 1:
        return open(sys.argv[1], "rb").read()
    exe = os.path.join(ROOT, ".build", "debug", "funnel")
    if os.access(exe, os.X_OK):
        try:
            return subprocess.run([exe, "default-model"], check=True, capture_output=True, timeout=30).stdout
        except Exception:
            pass
    src = open(os.path.join(ROOT, "Sources/Funnel/Samples/DefaultModel.swift"), encoding="utf-8").read()
    body = re.search(r'#"""\n(.*?)\n\s*"""#', src, re.S).group(1)
    return "\n".join(l[4:] for l in body.split("\n")).encode()


def swift_model(name):
    src = open(os.path.join(ROOT, "Tests/fuzz/common/FuzzSupport.swift"), encoding="utf-8").read()
    body = re.search(r'let %s = #"""\n(.*?)\n"""#' % name, src, re.S).group(1)
    return body.encode()


DEFAULT = default_model()
SPEC = swift_model("specModelJSON")
WILD = swift_model("wildcardModelJSON")
PLAIN = swift_model("plainModelJSON")


def write(target, name, data):
    d = os.path.join(HERE, target)
    os.makedirs(d, exist_ok=True)
    if isinstance(data, str):
        data = data.encode("utf-8", "surrogatepass")
    assert len(data) < 65536, (target, name, len(data))
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)


def dumps(v):
    return json.dumps(v, ensure_ascii=False, separators=(",", ":"))


# ---------------------------------------------------------------- model_load
spec = json.loads(SPEC)
models = {"default.json": DEFAULT, "spec.json": SPEC, "wildcard.json": WILD, "plain.json": PLAIN}
minimal = {"format": "funnel.model/1", "attributes": {}, "scoring": {"fit": [], "behavior": []}}
models["minimal.json"] = dumps(minimal)


def variant(name, change):
    m = json.loads(SPEC)
    change(m)
    models[name] = dumps(m)


variant("no-stages.json", lambda m: m.pop("stages"))
variant("points-1e999.json", lambda m: m["scoring"]["fit"][0].update(points=1))
models["points-1e999.json"] = models["points-1e999.json"].replace('"points":1', '"points":1e999', 1)
variant("points-minus0.json", lambda m: m["scoring"]["fit"][0].update(points=1))
models["points-minus0.json"] = models["points-minus0.json"].replace('"points":1', '"points":-0', 1)
variant("points-nan-text.json", lambda m: None)
models["points-nan-text.json"] = models["points-nan-text.json"].replace('"points":15', '"points":NaN', 1)
variant("huge-points.json", lambda m: [r.update(points=1.7e308) for r in m["scoring"]["fit"] + m["scoring"]["behavior"]])
variant("half-life-0.json", lambda m: m["scoring"].update(half_life_days=0))
variant("half-life-tiny.json", lambda m: m["scoring"].update(half_life_days=5e-324))
variant("window-neg.json", lambda m: m["scoring"].update(window_days=-1))
variant("cap-0.json", lambda m: m["scoring"]["behavior"][1].update(cap=0))
variant("limits-inverted.json", lambda m: m["scoring"].update(behavior_limits={"min": 5, "max": -5}))
variant("limits-equal.json", lambda m: m["scoring"].update(behavior_limits={"min": 3, "max": 3}))
variant("dup-ids.json", lambda m: m["scoring"]["fit"].append(dict(m["scoring"]["fit"][0])))
variant("unknown-field.json", lambda m: m.update(colour="blue"))
variant("unknown-attr.json", lambda m: m["criteria"]["icp"]["all"].append({"attr": "nope", "eq": 1}))
variant("self-criterion.json", lambda m: m["criteria"].update(loop={"criterion": "loop"}))
variant("criterion-cycle.json", lambda m: m["criteria"].update(a={"criterion": "b"}, b={"not": {"criterion": "a"}}))
variant("score-in-fit.json", lambda m: m["scoring"]["fit"].append({"id": "s", "if": {"score": "total", "gte": 1}, "points": 1}))
variant("score-via-criterion.json", lambda m: (m["criteria"].update(hot={"score": "fit", "gt": 3}),
                                               m["scoring"]["fit"].append({"id": "h", "if": {"criterion": "hot"}, "points": 1})))
variant("between-reversed.json", lambda m: m["criteria"]["icp"]["all"][1].update(between=[5000, 50]))
variant("gte-on-string.json", lambda m: m["criteria"]["icp"]["all"].append({"attr": "industry", "gte": 3}))
variant("eq-on-strings.json", lambda m: m["disqualify"].append({"id": "t", "if": {"attr": "tags", "eq": "x"}}))
variant("unknown-stage.json", lambda m: m["stages"]["transitions"].append({"from": "new", "to": "limbo"}))
variant("dup-stage.json", lambda m: m["stages"]["list"].append({"id": "new"}))
variant("bad-initial.json", lambda m: m["stages"].update(initial="nope"))
variant("bad-outcome.json", lambda m: m["stages"]["list"][0].update(outcome="maybe"))
variant("empty-ids.json", lambda m: m["scoring"]["fit"][0].update(id=""))
variant("empty-criterion-name.json", lambda m: m["criteria"].update({"": {"all": []}}))
variant("wrong-format.json", lambda m: m.update(format="funnel.model/2"))
variant("no-format.json", lambda m: m.pop("format"))
variant("grades-unordered.json", lambda m: m["scoring"].update(grades=[{"grade": "C", "min": 5}, {"grade": "A", "min": 25}]))
variant("wildcard-star.json", lambda m: m["scoring"]["behavior"].append({"id": "any", "event": ".*", "points": 1}))
variant("prop-outside-behavior.json", lambda m: m["criteria"].update(p={"prop": "minutes", "gt": 1}))
variant("unicode-names.json", lambda m: (m["attributes"].update({"Compañía": "string", "e\u0301": "number"}),
                                         m["criteria"].update({"\u00e9": {"attr": "Compañía", "eq": "COMPAÑÍA"}})))
variant("labels.json", lambda m: [s.update(label="Perfilación \u2603") for s in m["stages"]["list"]])
variant("outcome-exit.json", lambda m: m["stages"]["transitions"].append({"from": "won", "to": "new", "reasons": []}))
# deep nesting inside a valid place, and as a bare document
deep_pred = '{"not":' * 3000 + '{"attr":"budget","gt":1}' + '}' * 3000
models["deep-predicate.json"] = SPEC.decode().replace('{"attr": "budget", "gte": 10000}', deep_pred, 1)
models["deep-array.json"] = "[" * 5000 + "]" * 5000
models["deep-object.json"] = '{"a":' * 4000 + "1" + "}" * 4000
models["deep-unclosed.json"] = "[" * 20000
models["empty"] = b""
models["truncated.json"] = SPEC[: len(SPEC) // 2]
models["top-array.json"] = "[]"
models["top-string.json"] = '"funnel.model/1"'
models["top-number.json"] = "1e999"
models["top-null.json"] = "null"
models["nul-bytes.json"] = SPEC.replace(b'"b2b-saas"', b'"b2b\x00saas"').replace(b'"format"', b'"format"\x00', 0)
models["nul-outside.json"] = SPEC + b"\x00"
models["invalid-utf8.json"] = SPEC.replace(b"b2b-saas", b"b2b\xff\xfesaas")
models["overlong-utf8.json"] = SPEC.replace(b"b2b-saas", b"\xc0\xafsaas")
models["surrogate-escape.json"] = SPEC.replace(b"b2b-saas", b"\\ud800 lone")
models["dup-keys.json"] = SPEC.replace(b'"name": "b2b-saas",', b'"name": "a", "name": "b",')
models["dup-attr-keys.json"] = SPEC.replace(b'"industry": "string",', b'"industry": "string", "industry": "number",')
models["bom.json"] = b"\xef\xbb\xbf" + SPEC
models["trailing-garbage.json"] = SPEC + b" x"
models["many-rules.json"] = dumps({**minimal, "attributes": {"n": "number"},
                                   "scoring": {"fit": [{"id": "r%d" % i, "if": {"attr": "n", "gte": i}, "points": i} for i in range(400)],
                                               "behavior": [{"id": "b%d" % i, "event": "e%d.*" % (i % 7) if i % 3 else "e%d" % i, "points": -i, "cap": i + 1}
                                                            for i in range(200)]}})
models["numbers-edge.json"] = dumps(minimal).replace('"fit":[]', '"fit":[{"id":"a","if":{"attr":"n","between":[-1.7976931348623157e308,1.7976931348623157e308]},"points":5e-324}]').replace('"attributes":{}', '"attributes":{"n":"number"}')
for name, data in models.items():
    write("model_load", name, data)

# ---------------------------------------------------------------- leads
def ev(t, at, props=None):
    e = {"type": t, "at": at}
    if props is not None:
        e["props"] = props
    return e

leads = {
    "spec-lead": {"id": "L-1001", "attributes": {"industry": "Software", "employees": 120, "tags": ["webinar"]},
                  "events": [ev("email.reply", "2026-11-01T10:00:00Z"), ev("call.completed", 1793527200, {"minutes": 25})]},
    "hot": {"id": "L-hot", "attributes": {"industry": "fintech", "employees": 300, "budget": 50000, "decision_maker": True,
                                           "need": "crm", "timeline_days": 30, "email": "a@b.c", "role": " CEO ", "tags": []},
            "events": [ev("email.reply", AS_OF - 86400 * i) for i in range(8)] + [ev("call.completed", AS_OF - 3600, {"minutes": 45})]},
    "competitor": {"id": "L-c", "attributes": {"tags": ["Competitor", "x"], "email": "c@d.e"}, "events": []},
    "staged": {"id": "L-s", "stage": "mql", "attributes": {"industry": "software", "employees": 60, "email": "x"},
               "events": [ev("meeting.no_show", AS_OF - 100), ev("newsletter.unsubscribe", AS_OF - 200)]},
    "opportunity": {"id": "L-o", "stage": "opportunity"},
    "won": {"id": "L-w", "stage": "won", "attributes": {"email": "x"}},
    "unknown-stage": {"id": "L-u", "stage": "limbo"},
    "null-attrs": {"id": "L-n", "attributes": {"industry": None, "employees": None, "tags": None}},
    "wrong-type": {"id": "L-t", "attributes": {"employees": "many"}},
    "unknown-fields": {"id": "L-f", "crm_owner": "ana", "attributes": {"favourite_colour": "blue"}, "extra": [1, {"x": []}]},
    "zoned-times": {"id": "L-z", "events": [ev("email.reply", "2026-10-31T23:59:59.123456+05:30"), ev("email.reply", "2026-11-01T00:00:00-00:00"),
                                             ev("email.reply", "1970-01-01T00:00:00Z"), ev("email.reply", "0001-01-01T00:00:00Z")]},
    "no-zone": {"id": "L-nz", "events": [ev("email.reply", "2026-11-01T10:00:00")]},
    "bad-times": {"id": "L-bt", "events": [ev("email.reply", "2026-02-30T10:00:00Z")]},
    "leap-second": {"id": "L-ls", "events": [ev("email.reply", "2016-12-31T23:59:60Z")]},
    "lowercase-t": {"id": "L-lt", "events": [ev("email.reply", "2026-11-01t10:00:00z")]},
    "future": {"id": "L-fu", "events": [ev("email.reply", AS_OF + 86400 * 365), ev("newsletter.subscribe", "2999-01-01T00:00:00Z")]},
    "ancient": {"id": "L-an", "events": [ev("email.reply", -1e15), ev("email.reply", AS_OF)]},
    "fractional": {"id": "L-fr", "events": [ev("email.reply", AS_OF - 0.5), ev("email.reply", 1e-300)]},
    "huge-at": {"id": "L-ha", "events": [ev("email.reply", 1.7976931348623157e308), ev("email.reply", -1.7976931348623157e308)]},
    "wildcard-events": {"id": "L-wi", "attributes": {"vip": True, "employees": 2, "tags": ["trial", "promo"], "role": "Manager"},
                        "events": [ev("email.open", AS_OF - 10), ev("app.start", AS_OF - 20), ev("*", AS_OF - 30),
                                   ev("purchase", AS_OF - 40, {"amount": 50, "tags": ["promo"]}),
                                   ev("signup", AS_OF - 50, {"plan": " PRO ", "trial": False}), ev("visit", AS_OF - 60, {"pages": 3})]},
    "canonical-types": {"id": "L-ct", "events": [ev("cafe\u0301.visit", AS_OF - 10), ev("caf\u00e9.visit", AS_OF - 20),
                                                  ev("email.reply\u0301", AS_OF - 30)]},
    "plain": {"id": "L-p", "attributes": {"n": 5, "s": "X", "b": True, "t": ["a"]},
              "events": [ev("e", AS_OF - 86400 * 1000), ev("f", AS_OF - 1), ev("g.x", AS_OF)]},
    "unicode": {"id": "L-\u00e9\u0301", "attributes": {"industry": "  SOFTWARE\u00a0", "role": "Compañía", "tags": ["COMPAÑÍA", "e\u0301"]}},
    "props-mixed": {"id": "L-pm", "events": [ev("call.completed", AS_OF - 5, {"minutes": "25"}), ev("call.completed", AS_OF - 5, {"minutes": None}),
                                              ev("call.completed", AS_OF - 5, {"minutes": [20]}), ev("call.completed", AS_OF - 5, {"minutes": {"v": 20}})]},
}
many = {"id": "L-many", "events": [ev(["email.reply", "newsletter.subscribe", "meeting.no_show", "x.y", "call.completed"][i % 5],
                                      AS_OF - (i * 7919) % (86400 * 400), {"minutes": i % 40} if i % 5 == 4 else None) for i in range(700)]}
for e in many["events"]:
    if e.get("props") is None:
        e.pop("props", None)
leads["many-events"] = many
raw_leads = {
    "empty": b"",
    "truncated": dumps(leads["hot"])[:70].encode(),
    "top-array": b'[{"id":"L"}]',
    "top-string": b'"L-1"',
    "no-id": b'{"attributes":{}}',
    "empty-id": b'{"id":""}',
    "id-number": b'{"id":7}',
    "deep": b'{"id":"d","attributes":{"x":' + b"[" * 3000 + b"]" * 3000 + b"}}",
    "deep-unclosed": b"[" * 10000,
    "1e999": b'{"id":"e","attributes":{"employees":1e999}}',
    "minus0": b'{"id":"m","attributes":{"employees":-0,"budget":-0.0},"events":[{"type":"email.reply","at":-0}]}',
    "nan-text": b'{"id":"n","attributes":{"employees":NaN}}',
    "infinity-text": b'{"id":"n","events":[{"type":"email.reply","at":Infinity}]}',
    "invalid-utf8": b'{"id":"L-\xff\xfe"}',
    "invalid-utf8-key": b'{"id":"L","attributes":{"\xc3":"x"}}',
    "nul-in-string": b'{"id":"L\x00x"}',
    "nul-escaped": b'{"id":"L\\u0000x","attributes":{"industry":"soft\\u0000ware"}}',
    "nul-after": b'{"id":"L"}\x00',
    "dup-keys": b'{"id":"a","id":"b","attributes":{"employees":1,"employees":"x"}}',
    "dup-events": b'{"id":"d","events":[],"events":[{"type":"email.reply","at":1}]}',
    "lone-surrogate": b'{"id":"\\ud800"}',
    "surrogate-pair": b'{"id":"\\ud83d\\ude00"}',
    "big-int": b'{"id":"b","attributes":{"employees":123456789012345678901234567890},"events":[{"type":"email.reply","at":1793527200000000000000}]}',
    "exponents": b'{"id":"x","attributes":{"employees":1E+2,"budget":2e-400},"events":[{"type":"email.reply","at":1.7935272e9}]}',
    "bad-numbers": b'{"id":"x","attributes":{"employees":01}}',
    "whitespace": b' \t\r\n{ "id" : "w" } \r\n',
    "at-object": b'{"id":"x","events":[{"type":"email.reply","at":{"t":1}}]}',
    "events-object": b'{"id":"x","events":{"type":"email.reply"}}',
    "event-no-type": b'{"id":"x","events":[{"at":1}]}',
    "stage-null": b'{"id":"x","stage":null}',
    "stage-number": b'{"id":"x","stage":3}',
}

model_count = 4
def lead_input(model_index, asof_index, move, reason, body):
    return bytes([model_index + model_count * asof_index, move, reason]) + body

n = 0
for name, lead in leads.items():
    body = dumps(lead).encode()
    for mi in range(model_count):
        if mi in (0, 1) or name in ("wildcard-events", "canonical-types", "plain", "spec-lead", "hot", "many-events"):
            write("lead_score", "%s-m%d" % (name, mi), lead_input(mi, (n + mi) % 3, n % 11, n % 5, body))
    n += 1
for name, body in raw_leads.items():
    write("lead_score", name, lead_input(n % 4, 0, 1, 0, body))
    n += 1

# ---------------------------------------------------------------- jsonl
lines_all = [dumps(l) for l in leads.values() if l is not many]
def jl(model_index, asof_index, lines, sep="\n"):
    return bytes([model_index + 4 * asof_index]) + sep.join(lines).encode("utf-8", "surrogatepass")

ok_lines = [dumps(leads[k]) for k in ("spec-lead", "hot", "competitor", "staged", "null-attrs", "zoned-times", "future", "unicode")]
write("jsonl", "ok-default", jl(0, 0, ok_lines))
write("jsonl", "ok-spec", jl(1, 0, ok_lines + [""]))
write("jsonl", "ok-wild-crlf", jl(2, 0, [dumps(leads["wildcard-events"])] * 3 + ["  ", "\t"], "\r\n"))
write("jsonl", "ok-plain", jl(3, 1, [dumps(leads["plain"]), dumps(leads["ancient"]), dumps(leads["huge-at"])]))
write("jsonl", "all-leads", jl(0, 2, lines_all))
write("jsonl", "empty", b"\x00")
write("jsonl", "only-blank", bytes([1]) + b"\n\n \n\t\r\n")
write("jsonl", "no-final-newline", jl(0, 0, ok_lines[:2]).rstrip(b"\n"))
write("jsonl", "bad-line-3", jl(1, 0, ok_lines[:2] + ['{"id":"x","attributes":{"employees":"many"}}'] + ok_lines[2:4]))
write("jsonl", "malformed-line-2", jl(0, 0, [ok_lines[0], '{"id":', ok_lines[1]]))
write("jsonl", "unknown-stage", jl(0, 0, [ok_lines[0], dumps(leads["unknown-stage"])]))
write("jsonl", "stage-without-stages", jl(3, 0, [dumps({"id": "s", "stage": "mql"})]))
write("jsonl", "no-zone", jl(0, 0, [dumps(leads["no-zone"])]))
write("jsonl", "invalid-utf8", bytes([0]) + dumps(leads["hot"]).encode() + b"\n" + b'{"id":"\xff"}\n')
write("jsonl", "nul-bytes", bytes([0]) + b'{"id":"a"}\n\x00\n{"id":"b"}\n')
write("jsonl", "cr-only", bytes([0]) + b'{"id":"a"}\r{"id":"b"}\r')
write("jsonl", "deep", bytes([1]) + b'{"id":"a"}\n' + b"[" * 4000 + b"]" * 4000 + b"\n")
write("jsonl", "dup-keys", bytes([0]) + raw_leads["dup-keys"] + b"\n" + raw_leads["dup-events"])
write("jsonl", "1e999", bytes([0]) + raw_leads["1e999"] + b"\n")
write("jsonl", "minus0", bytes([2]) + raw_leads["minus0"] + b"\n")
write("jsonl", "many-events", bytes([0]) + dumps(many).encode() + b"\n" + dumps(many).replace('"L-many"', '"L-many2"').encode())
write("jsonl", "many-leads", jl(1, 0, ['{"id":"%d","attributes":{"employees":%d,"industry":"%s"},"events":[{"type":"email.reply","at":%d}]}'
                                       % (i, i * 13, ["software", "retail", "FINTECH"][i % 3], AS_OF - i * 9973) for i in range(300)]))
write("jsonl", "same-id", jl(0, 0, ['{"id":"dup"}'] * 5))
for i, (name, body) in enumerate(raw_leads.items()):
    if i % 3 == 0:
        write("jsonl", "raw-" + name, bytes([i % 16]) + body + b"\n" + b'{"id":"after"}')

# ---------------------------------------------------------------- batch_abi
# A program is: model, [default?], lead count, then ops (byte % 13) with operands.
def prog(*parts):
    out = bytearray()
    for p in parts:
        out += bytes(p) if isinstance(p, (bytes, bytearray, list)) else bytes([p])
    return bytes(out)

for model in range(4):
    for op in range(13):
        for k in ((0, 1) if op in (4, 5, 7) else ((model + op) % 2,)):
            r = random.Random(model * 100 + op * 10 + k)
            body = bytes(r.randrange(0, 40 if k == 0 else 256) for _ in range(48 if k == 0 else 160))
            # model index; bool (default via load_default); lead count; op; operands...; then score
            write("batch_abi", "m%d-op%02d-%d" % (model, op, k), prog(model, k, 3 + k * 2, op, body, 5, 0, 0, 0, 0, 0))
# longer straight-line programs: numbers, bools, strings, sets, events, then score at several instants
for i in range(12):
    r = random.Random(1000 + i)
    ops = []
    for op in [11, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 12, 4, 5]:
        ops += [op] + [r.randrange(0, 256 if i % 2 else 24) for _ in range(r.randrange(8, 60))]
    write("batch_abi", "program-%02d" % i, prog(i % 4, 0, 1 + i % 8, ops))
write("batch_abi", "empty", b"")
write("batch_abi", "one-byte", b"\x02")
write("batch_abi", "many-events", prog(0, 0, 8, 4, 5, [0, 1, 2, 3, 4], 0) + bytes(r.randrange(0, 30) for _ in range(3000)) + bytes([5, 0, 0, 0, 0]))

# ---------------------------------------------------------------- arrow_abi
# Every byte is a choice (model, lead count, layouts, values, flaws): random bytes
# make tables; small bytes pick the first choices (mostly valid tables), any byte
# the whole range (flaws, odd layouts, streams).
for i in range(32):
    r = random.Random(3000 + i)
    top = 8 if i % 2 == 0 else 256
    body = bytes([i % 4]) + bytes(r.randrange(0, top) for _ in range(r.randrange(40, 1600)))
    write("arrow_abi", "tables-%02d" % i, body)
write("arrow_abi", "empty", b"")
write("arrow_abi", "no-leads", b"\x01\x00")
