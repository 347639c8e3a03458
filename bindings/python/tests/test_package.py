"""The package itself: its constructors, typed results, every prototype, and
where it finds libfunnel.so."""
import ctypes
import dataclasses
import json
import os
import re
import shutil
import subprocess
import sys

import pytest

from conftest import INSTALLED, MISSING, REPO

if MISSING:
    pytest.skip(MISSING, allow_module_level=True)

import funnel  # noqa: E402
from funnel import _library  # noqa: E402

HEADER = os.path.join(REPO, "include", "funnel.h")
MODEL = {"format": "funnel.model/1", "name": "mini",
         "attributes": {"industry": "string", "employees": "number", "email": "string"},
         "criteria": {"icp": {"attr": "industry", "eq": "software"}},
         "scoring": {"fit": [{"id": "sw", "if": {"criterion": "icp"}, "points": 10}],
                     "behavior": [{"id": "reply", "event": "email.reply", "points": 4}],
                     "half_life_days": 10, "grades": [{"grade": "A", "min": 10}]},
         "stages": {"initial": "new",
                    "list": [{"id": "new"}, {"id": "fit", "enter_when": {"criterion": "icp"}},
                             {"id": "out", "outcome": "disqualified"}],
                    "transitions": [{"from": "new", "to": "fit"}, {"from": "*", "to": "out", "reasons": ["bad"]}]}}
LEAD = {"id": "L-1", "attributes": {"industry": "software", "email": "ana@acme.es"},
        "events": [{"type": "email.reply", "at": 1_000_000_000}]}
T = 1_000_000_000


def test_from_file_json_dict_agree(tmp_path):
    path = tmp_path / "model.json"
    path.write_text(json.dumps(MODEL))
    results = []
    for model in (funnel.Model.from_file(path), funnel.Model.from_file(str(path)),
                  funnel.Model.from_json(json.dumps(MODEL)), funnel.Model.from_json(json.dumps(MODEL).encode()),
                  funnel.Model.from_dict(MODEL), funnel.Model.load(MODEL)):
        with model:
            assert model.name == "mini"
            results.append(model.score(LEAD, T))
    assert all(r == results[0] for r in results)


def test_from_constructors_do_not_guess(tmp_path):
    with pytest.raises(FileNotFoundError):
        funnel.Model.from_file(tmp_path / "missing.json")
    with pytest.raises(FileNotFoundError):
        funnel.Model.from_file(json.dumps(MODEL))  # JSON text is not a path
    with pytest.raises(funnel.ParseError):
        funnel.Model.from_json(str(tmp_path / "model.json"))  # a path is not JSON text
    with pytest.raises(TypeError):
        funnel.Model.from_dict(json.dumps(MODEL))
    with pytest.raises(TypeError):
        funnel.Model.from_json(MODEL)
    with pytest.raises(funnel.InvalidError):
        funnel.Model.from_dict({"format": "funnel.model/1", "attributes": {"x": "colour"}})


@pytest.fixture(scope="module")
def model():
    with funnel.Model.from_dict(MODEL) as m:
        yield m


def test_score_result_is_typed_and_still_the_spec_dict(model):
    r = model.score(LEAD, T)
    assert isinstance(r, funnel.ScoreResult) and isinstance(r, dict)
    assert (r.id, r.fit, r.behavior, r.total, r.grade) == ("L-1", 10, 4, 14, "A")
    assert r.criteria == {"icp": True} and r.holds("icp") is True and r.holds("nope") is None
    assert r.disqualified_by == []
    assert r.contributions == [funnel.Contribution("sw", 10), funnel.Contribution("reply", 4)]
    assert r.win_probability is None and r.win_factors is None
    plain = r.to_dict()
    assert type(plain) is dict and plain == r and json.loads(json.dumps(r)) == plain
    assert type(plain["contributions"][0]) is dict
    plain["contributions"].clear()
    assert len(r.contributions) == 2  # to_dict is a copy
    assert funnel.ScoreResult.from_dict(plain) == plain
    with pytest.raises(dataclasses.FrozenInstanceError):
        r.contributions[0].points = 3


def test_other_results_are_typed(model):
    a = model.advance(LEAD, T)
    assert isinstance(a, funnel.AdvanceResult)
    assert a.stage == "fit" and a.moves == [funnel.StageMove(from_="new", to="fit", reason=None, by="auto")]
    assert a.moves[0].to_dict() == a["moves"][0]
    m = model.move(LEAD, "out", reason="bad", by="maria", as_of=T)
    assert m.stage == "out" and m.moves[0].by == "maria" and m.moves[0].reason == "bad"
    many = model.score_many([LEAD, {"id": "x"}], T)
    assert [type(r) for r in many] == [funnel.ScoreResult] * 2 and many[1].grade is None
    assert all(type(r) is funnel.AdvanceResult for r in model.advance_many([LEAD], T))
    columns = model.score_columns({"industry": ["software", None]}, as_of=T)
    assert isinstance(columns, funnel.BatchScores)
    assert columns.total == [10, 0] and columns.grade == ["A", None] and columns.grade_index == [0, -1]
    assert columns.lead_count == 2 and columns.to_dict() == columns


def test_conversion_results_are_typed():
    with funnel.Model.from_file(os.path.join(REPO, "Tests", "fixtures", "conversion", "model.json")) as model:
        accounts = funnel.Accounts(model, [{"id": "A-7", "name": "Acme S.L.", "domains": ["acme.es"]}])
        lead = {"id": "L-1", "attributes": {"full_name": "Ana", "email": "ana@eu.acme.es", "budget": 100}}
        c = model.convert(lead, accounts=accounts, as_of=T)
        assert isinstance(c, funnel.ConversionResult) and c.id == "L-1"
        assert c.contact == funnel.Contact(name="Ana", email="ana@eu.acme.es", phone=None)
        assert c.account == funnel.AccountMatch(match="domain", id="A-7", name="Acme S.L.", domains=("acme.es",))
        assert c.deal == funnel.Deal(name="Acme S.L.", value=100, close_date=T + 30 * 86400)
        assert c.account.to_dict() == c["account"] and c.deal.to_dict() == c["deal"]
        assert all(type(r) is funnel.ConversionResult for r in model.convert_many([lead], accounts=accounts, as_of=T))
        dupes = model.dedupe([lead, dict(lead, id="L-2")])
    assert len(dupes) == 1 and isinstance(dupes[0], funnel.MergeResult)
    assert dupes[0].head == "L-1" and dupes[0].merged == ["L-2"] and dupes[0].match_keys == dupes[0]["keys"]
    assert sorted(dupes[0].keys()) == ["head", "keys", "lead", "merged"]  # keys() is still dict.keys


def test_route_result_is_typed(model):
    routing = {"format": "funnel.routing/1", "teams": [
        {"id": "a", "members": [{"id": "ana", "if": {"criterion": "icp"}}]}], "otherwise": "later"}
    with funnel.Router(model, routing) as router:
        r = router.route(LEAD, at=T)
        assert isinstance(r, funnel.RouteResult)
        assert (r.team, r.owner, r.queue, r.kept, r.skipped) == ("a", "ana", None, False, [])
        r = router.route({"id": "L-9"}, at=T)
        assert (r.team, r.owner, r.queue) == (None, None, "later")
        assert r.skipped == [funnel.SkippedTeam("a", {"ana": "no match"})]
        assert all(type(x) is funnel.RouteResult for x in router.route_many([LEAD], at=T))


def _header_functions():
    """{name: (return type, parameter count)} of every function funnel.h declares."""
    with open(HEADER, encoding="utf-8") as f:
        text = re.sub(r"/\*.*?\*/", " ", f.read(), flags=re.S)
    found = {}
    for ret, name, params in re.findall(r"FUNNEL_API\s+([^;(]*?)\s*\b(funnel_\w+)\s*\(([^)]*)\)\s*;", text):
        params = params.strip()
        found[name] = (" ".join(ret.split()), 0 if params in ("", "void") else params.count(",") + 1)
    return found


@pytest.mark.skipif(not os.path.exists(HEADER), reason="include/funnel.h not found")
def test_every_header_function_has_a_prototype():
    """Every function of funnel.h is declared in funnel._library with argtypes and
    restype (ctypes' default int return type would truncate pointers)."""
    declared = {}
    for value in vars(_library).values():
        name = getattr(value, "__name__", "")
        if name.startswith("funnel_") and hasattr(value, "argtypes"):
            declared[name] = value
    header = _header_functions()
    assert len(header) >= 50, "the header parse found too few functions: %d" % len(header)
    missing = sorted(set(header) - set(declared))
    assert not missing, "no prototype in funnel/_library.py: %s" % ", ".join(missing)
    for name, (ret, count) in header.items():
        fn = declared[name]
        assert fn.argtypes is not None and len(fn.argtypes) == count, (name, fn.argtypes, count)
        if ret == "void":
            assert fn.restype is None, name
        elif "*" in ret:
            assert fn.restype in (ctypes.c_char_p, ctypes.c_void_p), (name, ret, fn.restype)
        elif ret == "size_t":
            assert fn.restype is ctypes.c_size_t, name
        else:
            assert ret in ("funnel_status", "int", "funnel_attribute_type") and fn.restype is ctypes.c_int, (name, ret)


def _run_copy(tmp_path, env_library, with_bundled):
    """Imports a copy of the package from tmp_path (no repository around it)."""
    package = os.path.dirname(os.path.abspath(funnel.__file__))
    target = tmp_path / "site" / "funnel"
    shutil.copytree(package, target, ignore=shutil.ignore_patterns("__pycache__", "libfunnel.so*"))
    if with_bundled:
        shutil.copy(funnel.library_path, target / "libfunnel.so")
    env = {k: v for k, v in os.environ.items() if k not in ("FUNNEL_LIBRARY", "PYTHONPATH", "LD_LIBRARY_PATH")}
    if env_library is not None:
        env["FUNNEL_LIBRARY"] = env_library
    code = ("import sys; sys.path.insert(0, %r)\n"
            "try:\n"
            "    import funnel\n"
            "except ImportError as e:\n"
            "    print('ImportError:', e)\n"
            "else:\n"
            "    print(funnel.library_path)\n" % str(tmp_path / "site"))
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60,
                         cwd=str(tmp_path), env=env)
    assert out.returncode == 0, out.stderr
    return out.stdout.strip(), target


def test_the_library_inside_the_package_comes_first(tmp_path):
    loaded, target = _run_copy(tmp_path, env_library=str(tmp_path / "nowhere.so"), with_bundled=True)
    assert loaded == str(target / "libfunnel.so")


def test_then_FUNNEL_LIBRARY(tmp_path):
    loaded, _ = _run_copy(tmp_path, env_library=funnel.library_path, with_bundled=False)
    assert loaded == funnel.library_path
    loaded, _ = _run_copy(tmp_path / "b", env_library=str(tmp_path / "nowhere.so"), with_bundled=False)
    assert loaded.startswith("ImportError:") and "FUNNEL_LIBRARY" in loaded and "nowhere.so" in loaded


def test_a_clear_error_when_there_is_no_library(tmp_path):
    loaded, _ = _run_copy(tmp_path, env_library=None, with_bundled=False)
    if not loaded.startswith("ImportError:"):
        pytest.skip("a libfunnel is installed on the system's library path: %s" % loaded)
    assert loaded.startswith("ImportError: funnel: libfunnel.so not found"), loaded
    assert "make wheel" in loaded and "make lib" in loaded and "FUNNEL_LIBRARY" in loaded


@pytest.mark.skipif(not INSTALLED, reason="only for an installed package (make wheel-test)")
def test_installed_package_carries_its_library_and_types():
    package = os.path.dirname(os.path.abspath(funnel.__file__))
    assert funnel.library_path == os.path.join(package, "libfunnel.so")
    assert os.path.exists(os.path.join(package, "py.typed"))
    from importlib import metadata
    assert metadata.version("funnel") == funnel.version()


@pytest.mark.skipif(not INSTALLED, reason="only for an installed package (make wheel-test)")
def test_installed_wheel_is_manylinux_and_grafts_nothing():
    """make wheel's auditwheel repair retags the wheel manylinux (make wheel-test checks
    the exact tag, WHEEL_PLAT) and, as libfunnel.so needs only system libraries, grafts
    none in (no funnel.libs/) and leaves the library where the binding looks for it."""
    import platform
    from importlib import metadata
    dist = metadata.distribution("funnel")
    wheel = dist.read_text("WHEEL").splitlines()
    assert "Root-Is-Purelib: false" in wheel, wheel
    tags = [line[len("Tag: "):] for line in wheel if line.startswith("Tag: ")]
    assert tags and all(t.startswith("py3-none-manylinux_") and t.endswith("_" + platform.machine())
                        for t in tags), tags
    files = [str(f) for f in dist.files]
    assert "funnel/libfunnel.so" in files, files
    assert not [f for f in files if f.startswith("funnel.libs/")], files


def test_engagement_levels_of_the_default_model():
    with funnel.Model.default() as m:
        assert m.engagement_levels == ["1", "2", "3"]
    with funnel.Model.from_dict(MODEL) as m:
        assert m.engagement_levels == []
