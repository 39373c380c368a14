"""The sandbox registry of fictional residents (data/registry.json).

The data file is the project's copy of the table in the sandbox contract
(spec/sandbox.md); tests check that the two agree.
"""

from __future__ import annotations

import json
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from importlib import resources

from yongin_app.domain.enums import Nationality, Sex


@dataclass(frozen=True)
class RegistryChild:
    key: str | None  # registry key when the child is a registry person (C1..C5)
    birth_date: date


@dataclass(frozen=True)
class RegistryPerson:
    key: str
    name: str
    birth_date: date
    sex: Sex
    phone: str | None  # "010-1234-5678"
    # Fictional, but still kept out of reprs so that it never shows up in a log.
    rrn_back: str = field(repr=False)
    sido: str
    sigungu: str
    nationality: Nationality
    children: tuple[RegistryChild, ...]
    # P8: the eligibility check simulates an outage for this person.
    eligibility_outage: bool = False

    @property
    def rrn_front(self) -> str:
        return self.birth_date.strftime("%y%m%d")


def normalize_name(name: str) -> str:
    # NFC: some keyboards/OSes send decomposed Hangul (NFD).
    return unicodedata.normalize("NFC", name).strip()


def phone_digits(phone: str | None) -> str:
    return "".join(ch for ch in (phone or "") if ch.isdigit())


@dataclass(frozen=True)
class SandboxRegistry:
    people: tuple[RegistryPerson, ...]

    def by_key(self, key: str) -> RegistryPerson:
        for person in self.people:
            if person.key == key:
                return person
        raise KeyError(key)

    def find(self, name: str, birth_date: date) -> RegistryPerson | None:
        wanted = normalize_name(name)
        for person in self.people:
            if person.name == wanted and person.birth_date == birth_date:
                return person
        return None


def _parse(raw: dict) -> SandboxRegistry:
    people = []
    for row in raw["people"]:
        people.append(
            RegistryPerson(
                key=row["key"],
                name=normalize_name(row["name"]),
                birth_date=date.fromisoformat(row["birth_date"]),
                sex=Sex(row["sex"]),
                phone=row["phone"],
                rrn_back=row["rrn_back"],
                sido=row["sido"],
                sigungu=row["sigungu"],
                nationality=Nationality(row["nationality"]),
                children=tuple(
                    RegistryChild(key=child["key"], birth_date=date.fromisoformat(child["birth_date"]))
                    for child in row["children"]
                ),
                eligibility_outage=bool(row.get("eligibility_outage", False)),
            )
        )
    return SandboxRegistry(people=tuple(people))


@lru_cache(maxsize=1)
def load_registry() -> SandboxRegistry:
    text = resources.files(__package__).joinpath("data", "registry.json").read_text(encoding="utf-8")
    return _parse(json.loads(text))
