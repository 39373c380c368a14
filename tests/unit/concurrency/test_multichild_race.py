"""Two parents converting the same child at the same moment (다자녀 자녀신청, issue 8).

홍길동 (P1) starts 자녀신청 through the real sandbox eligibility check, which lists his children
홍길순 (C1) and 홍길남 (C2). The children's other parent is not a registry person, so her open
application is written the way start_children writes one (same children, from her own check); both
parents then verify the rows with the real 자격확인 and press 자녀신청확인 together.

Whatever the order, each child ends with exactly one grant row, whole: its applicant and expiry are
those of one parent's application, the audit trail agrees with it, and both applications are complete.
"""

from __future__ import annotations

import secrets
from datetime import UTC, date, datetime

from sqlmodel import select

from tests.unit.concurrency.parallel import results
from yongin_app.db import unit_of_work
from yongin_app.domain import multichild as rules
from yongin_app.domain import policy
from yongin_app.domain.enums import Grade, MemberType, Nationality, Sex
from yongin_app.models import AuditLog, Member, MultichildApplication, MultichildGrant
from yongin_app.ports.sandbox import load_registry
from yongin_app.ports.sandbox.identity import sandbox_ci
from yongin_app.services import messages, multichild

NOW = datetime(2026, 11, 30, 1, 0, tzinfo=UTC)
REGISTRY = {person.key: person for person in load_registry().people}
ROUNDS = 3


def _member(login_id: str, name: str, birth: date, sex: Sex, ci: str, member_type=MemberType.GENERAL) -> int:
    with unit_of_work(write=True) as session:
        member = Member(login_id=login_id, password_hash="x", name=name, birth_date=birth, sex=sex,
                        nationality=Nationality.DOMESTIC, ci=ci, di=f"di-{login_id}", member_type=member_type,
                        grade=Grade.FULL, home_branch_code="MA", created_at=NOW, updated_at=NOW)
        session.add(member)
        session.flush()
        return member.id


def _registry_member(key: str, login_id: str) -> int:
    person = REGISTRY[key]
    member_type = MemberType.CHILD if person.birth_date.year >= 2013 else MemberType.GENERAL
    return _member(login_id, person.name, person.birth_date, person.sex, sandbox_ci(key), member_type)


def _open_application_like_start_children(parent_id: int, births: list[date]) -> None:
    """What start_children stores after a successful check. The rows are listed youngest first here
    (start_children lists the eldest first), so the two submits meet the children in opposite orders."""
    rows = [{"row_id": secrets.token_urlsafe(9), "number": n, "birth_date": born.isoformat(),
             "verified_member_id": None, "login_id": "", "name": ""}
            for n, born in enumerate(sorted(births, reverse=True), start=1)]
    with unit_of_work(write=True) as session:
        session.add(MultichildApplication(member_id=parent_id, youngest_birth_date=max(births), rows=rows,
                                          created_at=NOW, expires_at=NOW + policy.MULTICHILD_APPLICATION_LIFETIME))


def _verify_all(parent_id: int, children: dict[date, tuple[str, str]]) -> None:
    for row in multichild.child_rows(parent_id, now=NOW):
        login_id, name = children[row.birth_date]
        assert multichild.verify_row(parent_id, row.row_id, login_id, name, now=NOW).ok


def test_two_parents_converting_the_same_children_at_once_leave_one_whole_grant_each(database):
    father = _registry_member("P1", "gildong90")
    mother = _member("minji85", "김민지", date(1991, 3, 3), Sex.FEMALE, "ci-minji")
    kids = {"C1": _registry_member("C1", "gilsoon20"), "C2": _registry_member("C2", "gilnam23")}
    by_birth = {REGISTRY[k].birth_date: (login, REGISTRY[k].name)
                for k, login in (("C1", "gilsoon20"), ("C2", "gilnam23"))}
    expiry = rules.multichild_expiry(max(by_birth))

    for round_number in range(ROUNDS):  # a few rounds: the race is real, its interleaving varies
        assert multichild.start_children(father, consent=True, rrn_back=REGISTRY["P1"].rrn_back, now=NOW).ok
        _open_application_like_start_children(mother, list(by_birth))
        _verify_all(father, by_birth)
        _verify_all(mother, by_birth)

        outcomes = results([lambda: multichild.submit_children(father, now=NOW),
                            lambda: multichild.submit_children(mother, now=NOW)])

        # Both applications went through whole: each converted both children, with the same expiry.
        for outcome in outcomes:
            assert outcome.ok, outcome.message
            assert sorted(c.login_id for c in outcome.converted) == ["gilnam23", "gilsoon20"]
            assert {c.expires_on for c in outcome.converted} == {expiry}
        with unit_of_work() as session:
            grants = session.exec(select(MultichildGrant)).all()
            audits = session.exec(
                select(AuditLog).where(AuditLog.action == "multichild.child_converted").order_by(AuditLog.id)
            ).all()
            open_applications = session.exec(
                select(MultichildApplication).where(MultichildApplication.submitted_at.is_(None))
            ).all()
        # Exactly one grant row per child, no other grant.
        assert sorted(g.member_id for g in grants) == sorted(kids.values())
        for grant in grants:
            assert grant.applied_by_member_id in (father, mother)
            assert (grant.expires_on, grant.loan_limit) == (expiry, policy.MULTICHILD_LOAN_LIMIT)
            # No half state: the grant says who applied last, and so does the last audit record of it.
            last = [a for a in audits if a.target_member_id == grant.member_id][-1]
            assert last.actor_id == grant.applied_by_member_id
        assert len(audits) == 4 * (round_number + 1)  # each parent, each child, each round
        assert open_applications == []


def test_one_parent_submitting_from_two_tabs_at_once_converts_once(database):
    father = _registry_member("P1", "gildong90")
    _registry_member("C1", "gilsoon20")
    _registry_member("C2", "gilnam23")
    by_birth = {REGISTRY[k].birth_date: (login, REGISTRY[k].name)
                for k, login in (("C1", "gilsoon20"), ("C2", "gilnam23"))}
    assert multichild.start_children(father, consent=True, rrn_back=REGISTRY["P1"].rrn_back, now=NOW).ok
    _verify_all(father, by_birth)

    outcomes = results([lambda: multichild.submit_children(father, now=NOW) for _ in range(2)])

    assert sorted(o.ok for o in outcomes) == [False, True]
    refused = next(o for o in outcomes if not o.ok)
    assert refused.message == messages.APPLICATION_MISSING  # the first tab submitted it
    with unit_of_work() as session:
        assert len(session.exec(select(MultichildGrant)).all()) == 2
        converted = session.exec(select(AuditLog).where(AuditLog.action == "multichild.child_converted")).all()
    assert len(converted) == 2  # one conversion per child, not one per tab
