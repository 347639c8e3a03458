"""The conversion binding (SPEC §11): Accounts, Model.convert, convert_many, dedupe."""
import json
import pathlib

import pytest

from conftest import MISSING

if MISSING:
    pytest.skip(MISSING, allow_module_level=True)

import funnel  # noqa: E402

CASE = pathlib.Path(__file__).resolve().parents[3] / "Tests" / "fixtures" / "conversion"
AS_OF = 1_000_000_000


def expected(name):
    return [json.loads(line) for line in (CASE / name).read_text().splitlines() if line.strip()]


@pytest.fixture
def model():
    with funnel.Model.load(CASE / "model.json") as m:
        yield m


def leads():
    return [json.loads(line) for line in (CASE / "leads.jsonl").read_text().splitlines() if line.strip()]


def test_the_shared_case(model):
    accounts = funnel.Accounts(model, CASE / "accounts.jsonl")
    assert len(accounts) == 3
    assert model.convert_many(leads(), accounts=accounts, as_of=AS_OF) == expected("convert.expected.jsonl")
    assert [model.convert(lead, accounts=accounts, as_of=AS_OF) for lead in leads()] == \
        expected("convert.expected.jsonl")
    assert model.dedupe(leads()) == expected("dedupe.expected.jsonl")
    assert model.dedupe((CASE / "leads.jsonl").read_text()) == expected("dedupe.expected.jsonl")


def test_accounts_from_a_list_and_matching(model):
    accounts = funnel.Accounts(model, [{"id": "A-7", "name": "Acme S.L.", "domains": ["acme.es"]},
                                       {"id": "A-8", "name": "ACME SL"}])
    r = model.convert({"id": "L-1", "attributes": {"email": "ana@eu.acme.es"}}, accounts=accounts, as_of=0)
    assert r["account"] == {"match": "domain", "id": "A-7", "name": "Acme S.L.", "domains": ["acme.es"],
                            "candidates": []}
    assert r["deal"]["close_date"] == 30 * 86400
    r = model.convert({"id": "L-1", "attributes": {"email": "a@gmail.com", "company": "Acmé"}},
                      accounts=accounts, as_of="1970-01-01T00:00:00Z")
    assert r["account"]["match"] == "ambiguous" and r["account"]["candidates"] == ["A-7", "A-8"]
    r = model.convert({"id": "L-1", "attributes": {"email": "a@gmail.com", "company": "Acmé"}}, as_of=0)
    assert r["account"]["match"] == "new" and r["account"]["domains"] == []


def test_errors(model):
    accounts = funnel.Accounts(model)
    with pytest.raises(funnel.InvalidError) as info:
        accounts.add([{"id": "A", "name": "a"}, {"id": "A", "name": "b"}])
    assert "line 2" in str(info.value) and "duplicate" in str(info.value)
    assert len(accounts) == 0  # all or nothing
    with pytest.raises(funnel.ParseError):
        accounts.add('{"id": ')
    with pytest.raises(funnel.InvalidError) as info:
        model.convert({"id": "L", "account": "A-404"}, accounts=accounts, as_of=0)
    assert "A-404" in str(info.value)
    with pytest.raises(funnel.InvalidError) as info:
        model.dedupe([{"id": "A"}, {"id": "B", "stage": "nowhere"}])
    assert "line 2" in str(info.value)
    with pytest.raises(TypeError):
        model.convert({"id": "L"}, accounts="not an index", as_of=0)
    accounts.close()
    with pytest.raises(ValueError):
        model.convert({"id": "L"}, accounts=accounts, as_of=0)


def test_many_leads_sharing_a_phone(model):
    group = model.dedupe([{"id": "L%d" % i, "attributes": {"phone": "+34 600 111 222"}} for i in range(10_000)])
    assert len(group) == 1 and len(group[0]["merged"]) == 9_999 and group[0]["keys"] == ["phone:+34600111222"]
