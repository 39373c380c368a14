"""회원증 issuance racing itself (issue 8): numbers from the sequence stay unique, well-formed and gapless,
and a member never gets two cards."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlmodel import func, select

from tests.unit.concurrency.parallel import results
from yongin_app.db import unit_of_work
from yongin_app.domain import policy
from yongin_app.domain.enums import CardStatus, Grade, MemberType, Nationality, Sex
from yongin_app.models import AuditLog, Member, MemberCard, NumberSequence
from yongin_app.services import membership
from yongin_app.services.cards import CARD_SEQUENCE
from yongin_app.services.membership import Outcome

NOW = datetime(2026, 11, 30, 1, 0, tzinfo=UTC)
MEMBERS = 20


def _members(count: int) -> list[int]:
    """준회원 rows made directly (who they are does not matter to issuance)."""
    with unit_of_work(write=True) as session:
        members = [
            Member(login_id=f"reader{i:02d}", password_hash="x", name=f"독자{i}", birth_date=date(1990, 1, 1 + i),
                   sex=Sex.FEMALE, nationality=Nationality.DOMESTIC, ci=f"ci-race-{i}", di=f"di-race-{i}",
                   member_type=MemberType.GENERAL, home_branch_code="MA", created_at=NOW, updated_at=NOW)
            for i in range(count)
        ]
        session.add_all(members)
        session.flush()
        return [m.id for m in members]


def _next_value() -> int:
    with unit_of_work() as session:
        return session.get(NumberSequence, CARD_SEQUENCE).next_value


def _issue(member_id: int) -> membership.ApplicationResult:
    return membership.issue_card(member_id, "loan-hash", channel="online", now=NOW)


def _cards_by_member() -> dict[int, list[str]]:
    with unit_of_work() as session:
        rows = session.exec(select(MemberCard.member_id, MemberCard.card_number, MemberCard.status)).all()
    cards: dict[int, list[str]] = {}
    for member_id, number, status in rows:
        assert status == CardStatus.ACTIVE
        cards.setdefault(member_id, []).append(number)
    return cards


def test_twenty_members_at_once_get_a_gapless_run_of_well_formed_numbers(database):
    member_ids = _members(MEMBERS)
    first = _next_value()

    outcomes = results([lambda m=m: _issue(m) for m in member_ids])

    assert all(o.outcome == Outcome.ISSUED for o in outcomes)
    numbers = [o.card_number for o in outcomes]
    assert len(set(numbers)) == MEMBERS
    prefix, digits = policy.CARD_NUMBER_PREFIX, policy.CARD_SEQUENCE_DIGITS
    assert all(len(n) == len(prefix) + digits and n.startswith(prefix) and n.isdigit() for n in numbers)
    # Exactly the next MEMBERS values of the sequence: no gap, no reuse, nothing skipped.
    assert sorted(int(n[len(prefix):]) for n in numbers) == list(range(first, first + MEMBERS))
    assert _next_value() == first + MEMBERS
    # One card per member, the one each call reported, and every member is now 정회원.
    assert _cards_by_member() == {m: [o.card_number] for m, o in zip(member_ids, outcomes, strict=True)}
    with unit_of_work() as session:
        grades = session.exec(select(Member.grade).where(Member.id.in_(member_ids))).all()
        issued_audits = session.exec(
            select(func.count()).select_from(AuditLog).where(AuditLog.action == "membership.card_issued")
        ).one()
    assert set(grades) == {Grade.FULL} and issued_audits == MEMBERS


def test_one_member_submitting_twice_at_once_gets_one_card(database):
    member_id, bystander = _members(2)
    first = _next_value()

    outcomes = results([lambda: _issue(member_id), lambda: _issue(member_id), lambda: _issue(bystander)])

    mine = outcomes[:2]
    assert sorted(o.outcome.value for o in mine) == [Outcome.ALREADY_FULL.value, Outcome.ISSUED.value]
    assert mine[0].card_number == mine[1].card_number  # the second submit shows the card of the first
    assert outcomes[2].outcome == Outcome.ISSUED
    cards = _cards_by_member()
    assert cards == {member_id: [mine[0].card_number], bystander: [outcomes[2].card_number]}
    # The refused double submit took no number: the two issued cards are the next two values.
    assert sorted(int(n[3:]) for numbers in cards.values() for n in numbers) == [first, first + 1]
    assert _next_value() == first + 2
