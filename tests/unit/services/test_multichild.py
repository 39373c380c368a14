"""다자녀가정 회원전환 against the sandbox eligibility check."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlmodel import select

from yongin_app.db import unit_of_work
from yongin_app.domain import messages as rule_messages
from yongin_app.domain.enums import Grade, MemberType, Nationality
from yongin_app.models import Member, MultichildGrant
from yongin_app.ports.sandbox import load_registry
from yongin_app.ports.sandbox.identity import sandbox_ci
from yongin_app.services import messages, multichild
from yongin_app.services.cards import member_card_view

NOW = datetime(2026, 11, 30, 1, 0, tzinfo=UTC)
REGISTRY = {person.key: person for person in load_registry().people}


@pytest.fixture(autouse=True)
def _no_outage_wait(monkeypatch):
    # P8's simulated outage answers at once in unit tests.
    from yongin_app.settings import get_settings

    monkeypatch.setenv("YONGIN_SANDBOX_OUTAGE_DELAY_SECONDS", "0")
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


def _member(key: str, *, grade: Grade = Grade.FULL, login_id: str | None = None, card: bool = False) -> int:
    person = REGISTRY[key]
    member_type = MemberType.CHILD if person.birth_date.year >= 2013 else MemberType.GENERAL
    with unit_of_work(write=True) as session:
        member = Member(
            login_id=login_id or key.lower() + "user", password_hash="x", name=person.name,
            birth_date=person.birth_date, sex=person.sex, nationality=Nationality.DOMESTIC, ci=sandbox_ci(key),
            di=f"di-{key}", member_type=member_type, grade=grade, home_branch_code="MA",
            created_at=NOW, updated_at=NOW,
        )
        session.add(member)
        session.flush()
        member_id = member.id
    if card:
        from yongin_app.services.membership import issue_card

        with unit_of_work(write=True) as session:
            session.exec(select(Member).where(Member.id == member_id)).one().grade = Grade.ASSOCIATE
        issue_card(member_id, "hash", channel="online", now=NOW)
    return member_id


def _self(member_id: int, key: str, **overrides) -> multichild.CheckResult:
    arguments = {"consent": True, "rrn_back": REGISTRY[key].rrn_back, **overrides}
    return multichild.apply_self(member_id, **arguments, now=NOW)


def _children(member_id: int, key: str) -> tuple[multichild.ChildRow, ...]:
    assert multichild.start_children(member_id, consent=True, rrn_back=REGISTRY[key].rrn_back, now=NOW).ok
    return multichild.child_rows(member_id, now=NOW)


def _grant(member_id: int) -> MultichildGrant | None:
    with unit_of_work() as session:
        return session.exec(select(MultichildGrant).where(MultichildGrant.member_id == member_id)).first()


def test_p1_converts_own_account_until_the_youngest_turns_18(database):
    parent = _member("P1", card=True)
    result = _self(parent, "P1")
    assert result.ok
    assert result.converted == (multichild.Converted("p1user", "홍길동", date(2041, 12, 31)),)
    assert _grant(parent).loan_limit == 10
    card = member_card_view(parent, now=NOW)
    assert (card.loan_limit, card.multichild_expires_on) == (10, date(2041, 12, 31))
    # After the expiry the card says 7 again, computed from the date.
    assert member_card_view(parent, now=datetime(2042, 1, 1, 3, tzinfo=UTC)).loan_limit == 7


def test_applying_again_updates_the_one_grant(database):
    parent = _member("P1")
    _self(parent, "P1")
    _self(parent, "P1")
    with unit_of_work() as session:
        assert len(session.exec(select(MultichildGrant)).all()) == 1


@pytest.mark.parametrize(
    ("key", "message"),
    [
        ("P3", rule_messages.MULTICHILD_NOT_YONGIN),
        ("P5", rule_messages.MULTICHILD_TOO_FEW_CHILDREN),
        ("P6", rule_messages.MULTICHILD_YOUNGEST_TOO_OLD),
        ("P4", rule_messages.MULTICHILD_NOT_YONGIN),
        ("P8", messages.MULTICHILD_UNAVAILABLE),
    ],
)
def test_refusals_name_their_reason_and_change_nothing(database, key, message):
    parent = _member(key)
    result = _self(parent, key)
    assert (result.ok, result.message) == (False, message)
    assert _grant(parent) is None


def test_no_match_and_entry_rules(database):
    parent = _member("P1")
    assert _self(parent, "P1", rrn_back="1234568").message == messages.MULTICHILD_NO_MATCH
    assert _self(parent, "P1", consent=False).errors["consent"] == messages.MEMBERSHIP_CONSENT_REQUIRED
    associate = _member("P2", grade=Grade.ASSOCIATE)
    assert multichild.applicant(associate).entry == multichild.Entry.NEEDS_FULL
    assert _self(associate, "P2").message == messages.MULTICHILD_NEEDS_FULL
    child = _member("C1")
    assert multichild.applicant(child).entry == multichild.Entry.PARENT_ONLY


def test_children_rows_verify_one_by_one_and_convert_together(database):
    parent = _member("P1")
    c1, c2 = _member("C1", login_id="gilsoon"), _member("C2", login_id="gilnam")
    rows = _children(parent, "P1")
    assert [(r.number, r.birth_date, r.verified) for r in rows] == [(1, date(2020, 1, 11), False),
                                                                  (2, date(2023, 1, 21), False)]
    assert multichild.verify_row(parent, rows[0].row_id, "gilsoon", "홍길순", now=NOW).ok
    assert not multichild.submit_children(parent, now=NOW).ok  # row 2 not verified yet
    assert multichild.verify_row(parent, rows[1].row_id, "gilnam", "홍길남", now=NOW).ok

    result = multichild.submit_children(parent, now=NOW)
    assert result.ok
    assert {(c.login_id, c.expires_on) for c in result.converted} == {("gilsoon", date(2041, 12, 31)),
                                                                       ("gilnam", date(2041, 12, 31))}
    assert _grant(c1).applied_by_member_id == parent and _grant(c2).loan_limit == 10
    assert multichild.child_rows(parent, now=NOW) is None


@pytest.mark.parametrize(
    ("login_id", "name", "row_index"),
    [
        ("gilsoon", "홍길남", 0),  # wrong name
        ("gilsoon", "홍길순", 1),  # wrong birth date for that row
        ("assocchild", "홍길남", 1),  # a 준회원 child
        ("p1user", "홍길동", 0),  # the parent's own ID
        ("nobodyhere", "홍길순", 0),  # no such ID
    ],
)
def test_row_check_refuses_without_saying_which_part(database, login_id, name, row_index):
    parent = _member("P1")
    _member("C1", login_id="gilsoon")
    _member("C2", login_id="assocchild", grade=Grade.ASSOCIATE)
    rows = _children(parent, "P1")
    result = multichild.verify_row(parent, rows[row_index].row_id, login_id, name, now=NOW)
    assert (result.ok, result.message) == (False, messages.CHILD_ROW_NO_MATCH)
    assert not any(row.verified for row in result.rows)
    assert result.rows[row_index].login_id == login_id  # the entry is kept


def test_rows_are_addressed_by_id_and_deleted_rows_are_gone(database):
    parent = _member("P1")
    _member("C1", login_id="gilsoon")
    rows = _children(parent, "P1")
    deleted = multichild.delete_row(parent, rows[1].row_id, now=NOW)
    assert [r.number for r in deleted.rows] == [1]
    assert multichild.verify_row(parent, rows[1].row_id, "gilsoon", "홍길순", now=NOW).message == \
        messages.CHILD_ROW_NOT_FOUND
    assert multichild.verify_row(parent, rows[0].row_id, "gilsoon", "홍길순", now=NOW).ok
    assert [c.login_id for c in multichild.submit_children(parent, now=NOW).converted] == ["gilsoon"]


def test_another_members_rows_cannot_be_touched(database):
    p1, p2 = _member("P1"), _member("P2")
    _member("C1", login_id="gilsoon")
    rows_of_p1 = _children(p1, "P1")
    _children(p2, "P2")
    result = multichild.verify_row(p2, rows_of_p1[0].row_id, "gilsoon", "홍길순", now=NOW)
    assert result.message == messages.CHILD_ROW_NOT_FOUND
    assert multichild.delete_row(p2, rows_of_p1[0].row_id, now=NOW).message == messages.CHILD_ROW_NOT_FOUND
    assert len(multichild.child_rows(p1, now=NOW)) == 2


def test_ten_failed_checks_lock_further_checks(database):
    parent = _member("P1")
    _member("C1", login_id="gilsoon")
    rows = _children(parent, "P1")
    for attempt in range(10):
        multichild.verify_row(parent, rows[0].row_id, f"guess{attempt}", "홍길순", now=NOW)
    locked = multichild.verify_row(parent, rows[0].row_id, "gilsoon", "홍길순", now=NOW + timedelta(minutes=29))
    assert locked.message == messages.CHILD_ROW_LOCKED
    assert multichild.verify_row(parent, rows[0].row_id, "gilsoon", "홍길순", now=NOW + timedelta(minutes=30)).ok


def test_a_new_application_does_not_reset_the_failure_count(database):
    parent = _member("P1")
    _member("C1", login_id="gilsoon")
    rows = _children(parent, "P1")
    for attempt in range(9):
        assert multichild.verify_row(parent, rows[0].row_id, f"guess{attempt}", "홍길순", now=NOW).message == \
            messages.CHILD_ROW_NO_MATCH
    rows = _children(parent, "P1")  # a fresh 자녀신청: the nine failures still count
    assert multichild.verify_row(parent, rows[0].row_id, "guess9", "홍길순", now=NOW).message == \
        messages.CHILD_ROW_NO_MATCH
    locked = multichild.verify_row(parent, rows[0].row_id, "gilsoon", "홍길순", now=NOW)
    assert locked.message == messages.CHILD_ROW_LOCKED


def test_the_lock_outlives_a_new_application_and_expires_as_before(database):
    parent = _member("P1")
    _member("C1", login_id="gilsoon")
    rows = _children(parent, "P1")
    for attempt in range(10):
        multichild.verify_row(parent, rows[0].row_id, f"guess{attempt}", "홍길순", now=NOW)
    rows = _children(parent, "P1")
    later = NOW + timedelta(minutes=29)
    assert multichild.verify_row(parent, rows[0].row_id, "gilsoon", "홍길순", now=later).message == \
        messages.CHILD_ROW_LOCKED
    assert multichild.verify_row(parent, rows[0].row_id, "gilsoon", "홍길순", now=NOW + timedelta(minutes=30)).ok


def test_one_members_failures_do_not_lock_another_member(database):
    p1, p2 = _member("P1"), _member("P2")
    rows_of_p1, rows_of_p2 = _children(p1, "P1"), _children(p2, "P2")
    for attempt in range(10):
        multichild.verify_row(p1, rows_of_p1[0].row_id, f"guess{attempt}", "홍길순", now=NOW)
    assert multichild.verify_row(p2, rows_of_p2[0].row_id, "guess", "누구", now=NOW).message == \
        messages.CHILD_ROW_NO_MATCH


@pytest.mark.parametrize("row_id", [None, 12, "", "x" * 10_000, "abc", "AAAAAAAAAAA!"])
def test_malformed_row_ids_are_refused_before_the_database(database, row_id):
    parent = _member("P1")
    _children(parent, "P1")
    assert multichild.verify_row(parent, row_id, "guess", "홍길순", now=NOW) == \
        multichild.RowResult(False, messages.CHILD_ROW_NOT_FOUND)
    assert multichild.delete_row(parent, row_id, now=NOW) == multichild.RowResult(False, messages.CHILD_ROW_NOT_FOUND)
    assert len(multichild.child_rows(parent, now=NOW)) == 2


def test_all_or_nothing_when_the_last_child_fails(database, monkeypatch):
    parent = _member("P2")
    ids = {key: _member(key, login_id=key.lower()) for key in ("C3", "C4", "C5")}
    rows = _children(parent, "P2")
    for row, key in zip(rows, ("C3", "C4", "C5"), strict=True):
        assert multichild.verify_row(parent, row.row_id, key.lower(), REGISTRY[key].name, now=NOW).ok

    real_grant = multichild._grant

    def failing_on_the_last(session, member_id, *args):
        if member_id == ids["C5"]:
            raise RuntimeError("database went away")
        real_grant(session, member_id, *args)

    monkeypatch.setattr(multichild, "_grant", failing_on_the_last)
    with pytest.raises(RuntimeError):
        multichild.submit_children(parent, now=NOW)
    assert all(_grant(member_id) is None for member_id in ids.values())
    assert len(multichild.child_rows(parent, now=NOW)) == 3  # the application is still open


def test_a_child_changed_after_its_check_is_refused_at_submit(database):
    parent = _member("P1")
    child = _member("C1", login_id="gilsoon")
    rows = _children(parent, "P1")
    multichild.delete_row(parent, rows[1].row_id, now=NOW)
    assert multichild.verify_row(parent, rows[0].row_id, "gilsoon", "홍길순", now=NOW).ok
    with unit_of_work(write=True) as session:
        session.get(Member, child).grade = Grade.ASSOCIATE
    result = multichild.submit_children(parent, now=NOW)
    assert (result.ok, result.message) == (False, messages.CHILD_ROW_CHANGED)
    assert _grant(child) is None
