"""registry.json must match the registry table of the sandbox contract exactly."""

from __future__ import annotations

import json
import os
import unicodedata
from datetime import date
from importlib import resources
from pathlib import Path

import pytest

from yongin_app.domain.enums import Nationality, Sex
from yongin_app.ports.sandbox.registry import load_registry

# Verbatim copy of the table in spec/sandbox.md ("The sandbox registry").
CONTRACT_TABLE = """
| P1 | 홍길동 | 1990-01-01 | 남 | 010-1234-5678 | 1234567 | 경기도 용인시 수지구 | 내국인 | C1 2020-01-11, C2 2023-01-21 | every happy path |
| P2 | 김용인 | 1985-03-15 | 여 | 010-2222-3333 | 2345678 | 경기도 용인시 기흥구 | 내국인 | C3 2010-05-05, C4 2016-08-20, C5 2021-12-01 | three children |
| P3 | 이수원 | 1988-07-07 | 남 | 010-3333-4444 | 1456789 | 경기도 수원시 팔달구 | 내국인 | 2015-02-02, 2018-03-03 | 정회원 yes; 다자녀 no (not 용인시) |
| P4 | 박서울 | 1992-02-02 | 여 | 010-4444-5555 | 2567890 | 서울특별시 강남구 | 내국인 | none | 정회원 no (not 경기도) |
| P5 | 최한솔 | 1980-04-04 | 남 | 010-5555-6666 | 1678901 | 경기도 용인시 처인구 | 내국인 | 2014-04-04 | 다자녀 no (one child) |
| P6 | 정다온 | 1970-06-06 | 여 | 010-6666-7777 | 2789012 | 경기도 용인시 수지구 | 내국인 | 2000-01-01, 2005-05-05 | 다자녀 no (youngest over 18) |
| P7 | 존스미스 | 1995-05-05 | 남 | 010-7777-8888 | 5890123 | 경기도 용인시 기흥구 | 외국인 | none | 정회원 no (foreign registration number) |
| P8 | 오류시험 | 1999-09-09 | 남 | 010-9999-0000 | 1999999 | 경기도 용인시 처인구 | 내국인 | none | the eligibility check times out for this person (sandbox simulates the outage after about 3 s) |
| C1 | 홍길순 | 2020-01-11 | 여 | none | 4123456 | 경기도 용인시 수지구 | 내국인 | none | under-14 signup; child of P1 |
| C2 | 홍길남 | 2023-01-21 | 남 | none | 3234567 | 경기도 용인시 수지구 | 내국인 | none | under-14 signup; child of P1 |
| C3 | 김하나 | 2010-05-05 | 여 | 010-2222-4444 | 4345678 | 경기도 용인시 기흥구 | 내국인 | none | 14+ signup of a minor; child of P2 |
| C4 | 김두리 | 2016-08-20 | 여 | none | 4456789 | 경기도 용인시 기흥구 | 내국인 | none | child of P2 |
| C5 | 김세찬 | 2021-12-01 | 남 | none | 3567890 | 경기도 용인시 기흥구 | 내국인 | none | child of P2 |
"""


def _table_rows(text: str) -> list[list[str]]:
    rows = []
    for line in text.splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) == 10 and (cells[0][:1] in ("P", "C")) and cells[0][1:].isdigit():
            rows.append(cells)
    return rows


def _expected_children(cell: str) -> list[tuple[str | None, date]]:
    if cell == "none":
        return []
    children = []
    for part in cell.split(","):
        words = part.split()
        key = words[0] if len(words) == 2 else None
        children.append((key, date.fromisoformat(words[-1])))
    return children


def _expected_address(cell: str) -> tuple[str, str]:
    sido, _, sigungu = cell.partition(" ")
    return sido, sigungu


def _spec_file() -> Path | None:
    here = Path(__file__).resolve()
    candidates = [Path(os.environ["YONGIN_SPEC_DIR"]) / "sandbox.md"] if "YONGIN_SPEC_DIR" in os.environ else []
    candidates += [parent / "shared" / "spec" / "sandbox.md" for parent in here.parents]
    return next((path for path in candidates if path.is_file()), None)


def test_contract_copy_is_the_spec_table() -> None:
    spec = _spec_file()
    if spec is None:
        pytest.skip("spec/sandbox.md not found next to the project")
    assert _table_rows(spec.read_text(encoding="utf-8")) == _table_rows(CONTRACT_TABLE)


def test_registry_has_exactly_the_contract_people_in_order() -> None:
    expected_keys = [row[0] for row in _table_rows(CONTRACT_TABLE)]
    assert expected_keys == ["P1", "P2", "P3", "P4", "P5", "P6", "P7", "P8", "C1", "C2", "C3", "C4", "C5"]
    assert [person.key for person in load_registry().people] == expected_keys


@pytest.mark.parametrize("row", _table_rows(CONTRACT_TABLE), ids=lambda row: row[0])
def test_every_field_matches_the_contract(row: list[str]) -> None:
    key, name, birth, sex, phone, back, address, nationality, children, _purpose = row
    person = load_registry().by_key(key)
    assert person.name == name
    assert person.birth_date == date.fromisoformat(birth)
    assert person.sex is Sex(sex)
    assert person.phone == (None if phone == "none" else phone)
    assert person.rrn_back == back
    assert (person.sido, person.sigungu) == _expected_address(address)
    assert person.nationality is Nationality(nationality)
    assert [(c.key, c.birth_date) for c in person.children] == _expected_children(children)
    assert person.rrn_front == date.fromisoformat(birth).strftime("%y%m%d")


def test_spot_checks_per_person() -> None:
    registry = load_registry()
    p1 = registry.by_key("P1")
    assert (p1.name, p1.sido, p1.sigungu, p1.phone) == ("홍길동", "경기도", "용인시 수지구", "010-1234-5678")
    assert [c.key for c in p1.children] == ["C1", "C2"]
    p2 = registry.by_key("P2")
    assert [c.birth_date for c in p2.children] == [date(2010, 5, 5), date(2016, 8, 20), date(2021, 12, 1)]
    p3 = registry.by_key("P3")
    assert p3.sigungu == "수원시 팔달구" and [c.key for c in p3.children] == [None, None]
    p4 = registry.by_key("P4")
    assert (p4.sido, p4.sigungu, p4.children) == ("서울특별시", "강남구", ())
    p5 = registry.by_key("P5")
    assert [c.birth_date for c in p5.children] == [date(2014, 4, 4)]
    p6 = registry.by_key("P6")
    assert [c.birth_date for c in p6.children] == [date(2000, 1, 1), date(2005, 5, 5)]
    p7 = registry.by_key("P7")
    assert p7.nationality is Nationality.FOREIGN and p7.rrn_back.startswith("5")
    p8 = registry.by_key("P8")
    assert p8.eligibility_outage and p8.name == "오류시험"
    # Only P8 simulates the outage.
    assert [p.key for p in registry.people if p.eligibility_outage] == ["P8"]
    for key in ("C1", "C2", "C4", "C5"):
        assert registry.by_key(key).phone is None
    assert registry.by_key("C3").phone == "010-2222-4444"


def test_registry_children_point_at_people_with_the_same_birth_date() -> None:
    registry = load_registry()
    for person in registry.people:
        for child in person.children:
            if child.key is not None:
                assert registry.by_key(child.key).birth_date == child.birth_date


def test_find_by_name_and_birth_date() -> None:
    registry = load_registry()
    assert registry.find("홍길동", date(1990, 1, 1)) is registry.by_key("P1")
    assert registry.find(" 홍길동 ", date(1990, 1, 1)) is registry.by_key("P1")
    # Decomposed Hangul (NFD) as sent by some systems still matches.
    assert registry.find(unicodedata.normalize("NFD", "김용인"), date(1985, 3, 15)) is registry.by_key("P2")
    assert registry.find("홍길동", date(1990, 1, 2)) is None
    assert registry.find("홍길", date(1990, 1, 1)) is None


def test_rrn_back_is_not_in_the_repr() -> None:
    person = load_registry().by_key("P1")
    assert "1234567" not in repr(person)


def test_data_file_is_valid_json_with_only_known_fields() -> None:
    raw = json.loads(
        resources.files("yongin_app.ports.sandbox").joinpath("data", "registry.json").read_text(encoding="utf-8")
    )
    allowed = {"key", "name", "birth_date", "sex", "phone", "rrn_back", "sido", "sigungu", "nationality",
               "children", "eligibility_outage"}
    for row in raw["people"]:
        assert set(row) <= allowed
