"""온라인 정회원신청 against the sandbox eligibility check, and card issuance."""

from __future__ import annotations

import logging
import threading
from datetime import UTC, date, datetime

import pytest
from sqlmodel import func, select

from yongin_app.db import unit_of_work
from yongin_app.domain import messages as rule_messages
from yongin_app.domain.enums import Grade, MemberType, Nationality, Sex
from yongin_app.models import AuditLog, Member, MemberCard, NumberSequence
from yongin_app.ports.sandbox.identity import sandbox_ci
from yongin_app.services import membership, messages
from yongin_app.services.cards import member_card_view
from yongin_app.services.membership import Outcome
from yongin_app.services.passwords import hash_password, verify_password

NOW = datetime(2026, 11, 30, 1, 0, tzinfo=UTC)
# Sandbox registry people (sandbox.md): key, name, birth date, sex, back part.
PEOPLE = {
    "P1": ("홍길동", date(1990, 1, 1), Sex.MALE, "1234567"),
    "P2": ("김용인", date(1985, 3, 15), Sex.FEMALE, "2345678"),
    "P3": ("이수원", date(1988, 7, 7), Sex.MALE, "1456789"),
    "P4": ("박서울", date(1992, 2, 2), Sex.FEMALE, "2567890"),
    "P5": ("최한솔", date(1980, 4, 4), Sex.MALE, "1678901"),
    "P6": ("정다온", date(1970, 6, 6), Sex.FEMALE, "2789012"),
    "P7": ("존스미스", date(1995, 5, 5), Sex.MALE, "5890123"),
    "P8": ("오류시험", date(1999, 9, 9), Sex.MALE, "1999999"),
}


@pytest.fixture(autouse=True)
def _no_outage_wait(monkeypatch):
    # P8's simulated outage answers at once in unit tests.
    monkeypatch.setenv("YONGIN_SANDBOX_OUTAGE_DELAY_SECONDS", "0")
    from yongin_app.settings import get_settings

    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


def _member(key: str) -> int:
    name, birth, sex, _ = PEOPLE[key]
    with unit_of_work(write=True) as session:
        member = Member(
            login_id=f"user{key.lower()}", password_hash="x", name=name, birth_date=birth, sex=sex,
            nationality=Nationality.FOREIGN if key == "P7" else Nationality.DOMESTIC, ci=sandbox_ci(key),
            di=f"di-{key}", member_type=MemberType.GENERAL, home_branch_code="MB", created_at=NOW, updated_at=NOW,
        )
        session.add(member)
        session.flush()
        return member.id


def _apply(member_id: int, back: str, **overrides) -> membership.ApplicationResult:
    arguments = {"consent": True, "rrn_back": back, "loan_password": "2580", "loan_password_confirm": "2580"}
    return membership.apply_online(member_id, **{**arguments, **overrides}, now=NOW)


def _apply_with(member_id: int, **overrides) -> membership.ApplicationResult:
    return _apply(member_id, overrides.pop("rrn_back", PEOPLE["P1"][3]), **overrides)


def _grade_and_cards(member_id: int) -> tuple[Grade, int]:
    with unit_of_work() as session:
        grade = session.get(Member, member_id).grade
        cards = session.exec(select(func.count()).select_from(MemberCard).where(MemberCard.member_id == member_id)).one()
    return grade, cards


def test_p1_becomes_full_member_with_a_card(database):
    member_id = _member("P1")
    result = _apply(member_id, PEOPLE["P1"][3])

    assert result.outcome == Outcome.ISSUED
    assert len(result.card_number) == 10 and result.card_number.startswith("157")
    assert _grade_and_cards(member_id) == (Grade.FULL, 1)
    with unit_of_work() as session:
        card = session.exec(select(MemberCard)).one()
        actions = list(session.exec(select(AuditLog.action)))
    assert card.loan_password_hash.startswith("$argon2id$") and verify_password(card.loan_password_hash, "2580")
    assert "membership.card_issued" in actions
    view = member_card_view(member_id, now=NOW)
    assert (view.name, view.card_number, view.branch_name, view.loan_limit) == ("홍길동", result.card_number,
                                                                               "수지도서관", 7)


@pytest.mark.parametrize(
    ("key", "outcome", "message"),
    [
        ("P4", Outcome.OUTSIDE_GYEONGGI, messages.MEMBERSHIP_OUTSIDE_GYEONGGI),
        ("P8", Outcome.UNAVAILABLE, messages.MEMBERSHIP_UNAVAILABLE),
    ],
)
def test_refusals_change_nothing(database, key, outcome, message):
    member_id = _member(key)
    result = _apply(member_id, PEOPLE[key][3])
    assert (result.outcome, result.message) == (outcome, message)
    assert _grade_and_cards(member_id) == (Grade.ASSOCIATE, 0)


def test_p3_outside_yongin_but_in_gyeonggi_is_eligible(database):
    assert _apply(_member("P3"), PEOPLE["P3"][3]).outcome == Outcome.ISSUED


def test_foreign_registration_number_cannot_be_checked(database):
    member_id = _member("P7")
    result = _apply(member_id, PEOPLE["P7"][3])
    assert result.errors["rrn_back"] == messages.MEMBERSHIP_FOREIGN
    assert _grade_and_cards(member_id) == (Grade.ASSOCIATE, 0)


def test_a_wrong_back_part_reveals_nothing_else(database):
    member_id = _member("P1")
    result = _apply(member_id, "1234568")
    assert (result.outcome, result.message) == (Outcome.NO_MATCH, messages.MEMBERSHIP_NO_MATCH)
    assert _grade_and_cards(member_id) == (Grade.ASSOCIATE, 0)


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"consent": False}, "consent", messages.MEMBERSHIP_CONSENT_REQUIRED),
        ({"rrn_back": "12345"}, "rrn_back", rule_messages.RRN_BACK_FORMAT),
        ({"rrn_back": "3234567"}, "rrn_back", rule_messages.RRN_BACK_CENTURY),
        ({"rrn_back": "2234567"}, "rrn_back", rule_messages.RRN_BACK_SEX),
        ({"loan_password": "25a0", "loan_password_confirm": "25a0"}, "loan_password", messages.LOAN_PASSWORD_FORMAT),
        ({"loan_password_confirm": "2581"}, "loan_password_confirm", messages.LOAN_PASSWORD_MISMATCH),
    ],
)
def test_bad_entries_are_refused_before_any_check(database, overrides, field, message):
    member_id = _member("P1")
    result = _apply_with(member_id, **overrides)
    assert result.outcome == Outcome.INVALID and result.errors[field] == message
    with unit_of_work() as session:
        assert session.exec(select(func.count()).select_from(AuditLog)).one() == 0  # no check was made


def test_a_full_member_applying_again_gets_the_same_card(database):
    member_id = _member("P1")
    first = _apply(member_id, PEOPLE["P1"][3])
    again = _apply(member_id, PEOPLE["P1"][3])
    assert (again.outcome, again.card_number) == (Outcome.ALREADY_FULL, first.card_number)
    assert _grade_and_cards(member_id) == (Grade.FULL, 1)


def test_double_submit_from_two_tabs_issues_one_card(database):
    member_id = _member("P1")
    barrier = threading.Barrier(4)
    results: list[membership.ApplicationResult] = []
    lock = threading.Lock()

    def submit() -> None:
        barrier.wait()
        outcome = membership.issue_card(member_id, hash_password("2580"), channel="online", now=NOW)
        with lock:
            results.append(outcome)

    threads = [threading.Thread(target=submit) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(r.outcome.value for r in results) == ["already_full"] * 3 + ["issued"]
    assert len({r.card_number for r in results}) == 1
    assert _grade_and_cards(member_id) == (Grade.FULL, 1)


def test_many_members_at_once_get_distinct_gapless_numbers(database):
    member_ids = [_member(key) for key in ("P1", "P2", "P3", "P5", "P6")]
    barrier = threading.Barrier(len(member_ids))
    numbers: list[str] = []
    lock = threading.Lock()

    def apply(member_id: int) -> None:
        barrier.wait()
        outcome = membership.issue_card(member_id, "hash", channel="online", now=NOW)
        with lock:
            numbers.append(outcome.card_number)

    threads = [threading.Thread(target=apply, args=(m,)) for m in member_ids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    values = sorted(int(n) for n in numbers)
    assert values == list(range(values[0], values[0] + len(member_ids)))


def test_a_failure_after_the_card_insert_leaves_nothing_changed(database, monkeypatch):
    member_id = _member("P1")
    with unit_of_work() as session:
        sequence_before = session.get(NumberSequence, "card_number").next_value

    def failing_audit(*args, **kwargs):
        raise RuntimeError("the audit store is down")

    monkeypatch.setattr(membership.audit, "record", failing_audit)
    with pytest.raises(RuntimeError):
        _apply(member_id, PEOPLE["P1"][3])
    monkeypatch.undo()

    assert _grade_and_cards(member_id) == (Grade.ASSOCIATE, 0)
    with unit_of_work() as session:
        assert session.get(NumberSequence, "card_number").next_value == sequence_before


def test_the_resident_number_leaves_no_trace(database, caplog, tmp_path):
    caplog.set_level(logging.DEBUG)
    backs = {key: PEOPLE[key][3] for key in ("P1", "P4", "P8")}
    for key, back in backs.items():
        result = _apply(_member(key), back)
        assert back not in repr(result)
    _apply(_member("P2"), "2345670")  # a wrong one too

    from yongin_app.settings import get_settings

    data_dir = get_settings().data_dir
    stored = b"".join(path.read_bytes() for path in data_dir.glob("yongin.db*"))
    for back in [*backs.values(), "2345670"]:
        assert back.encode() not in stored
        assert back not in caplog.text
