"""Many people submitting 회원가입 with one 아이디 at the same moment (issue 8).

Thirteen different registry people (every one who can sign up: eight adults, 김하나 as a 14+ general
member, and the four under-14 children with their guardians) each reach STEP 04 through the real
sandbox verification, check the same free ID, and press 확인 together. The unique constraint decides:
exactly one account, and every other person gets the Korean "ID taken" message, not an exception.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlmodel import func, select

from tests.unit.send_limits import forget_send_limits
from tests.unit.concurrency.parallel import results
from yongin_app.db import unit_of_work
from yongin_app.domain.enums import MemberType
from yongin_app.models import AuditLog, AuthSession, Guardian, Member, SignupDraft
from yongin_app.services import messages, signup

NOW = datetime(2026, 11, 30, 1, 0, tzinfo=UTC)
PASSWORD = "Sejong-Book#2026"
LOGIN_ID = "samename1"

# Sandbox registry people (sandbox.md): name, birth date YYYYMMDD, phone.
ADULTS = [
    ("홍길동", "19900101", "010-1234-5678"), ("김용인", "19850315", "010-2222-3333"),
    ("이수원", "19880707", "010-3333-4444"), ("박서울", "19920202", "010-4444-5555"),
    ("최한솔", "19800404", "010-5555-6666"), ("정다온", "19700606", "010-6666-7777"),
    ("존스미스", "19950505", "010-7777-8888"), ("오류시험", "19990909", "010-9999-0000"),
    ("김하나", "20100505", "010-2222-4444"),  # 14 or older: 일반 회원가입
]
# Under 14: 어린이 회원가입, each with a parent from the registry as the guardian.
CHILDREN = [
    (("홍길순", "20200111", None), ("홍길동", "19900101", "010-1234-5678")),
    (("홍길남", "20230121", None), ("홍길동", "19900101", "010-1234-5678")),
    (("김두리", "20160820", None), ("김용인", "19850315", "010-2222-3333")),
    (("김세찬", "20211201", None), ("김용인", "19850315", "010-2222-3333")),
]
INFO = {
    "mobile_prefix": "010", "mobile_middle": "1234", "mobile_last": "5678", "sms_consent": True,
    "email_local": "reader", "email_domain": "example.com", "email_consent": False,
    "postal_code": "17019", "road_address": "경기도 용인시 처인구 중부대로 1199", "address_detail": "3층",
    "home_branch": "MA",
}


def _verify(token: str, person, who: str) -> None:
    name, birth, phone = person
    method = "phone" if phone else "ipin"
    forget_send_limits()
    assert signup.request_code(token, who, method, name, birth, phone or "", now=NOW).ok
    result = signup.confirm_code(token, who, method, name, birth, phone or "", "123456", now=NOW)
    assert result.ok, result.message


def _general_draft(person) -> str:
    token, _ = signup.start_draft(signup.KIND_GENERAL, now=NOW)
    _verify(token, person, signup.WHO_SELF)
    assert signup.accept_terms(token, ["service", "privacy"], now=NOW).ok
    return token


def _child_draft(child, guardian) -> str:
    token, _ = signup.start_draft(signup.KIND_CHILD, now=NOW)
    assert signup.save_guardian_input(token, guardian[0], guardian[2], now=NOW).ok
    _verify(token, guardian, signup.WHO_GUARDIAN)
    _verify(token, child, signup.WHO_SELF)
    assert signup.accept_terms(token, ["service", "privacy", "guardian"], now=NOW).ok
    return token


def _count(table) -> int:
    with unit_of_work() as session:
        return session.exec(select(func.count()).select_from(table)).one()


def test_thirteen_people_submitting_one_id_at_once_make_exactly_one_account(database):
    tokens = [_general_draft(p) for p in ADULTS] + [_child_draft(c, g) for c, g in CHILDREN]
    for token in tokens:  # 중복체크 passes for everyone: nobody has the ID yet
        assert signup.check_login_id(token, LOGIN_ID, now=NOW).message == messages.LOGIN_ID_AVAILABLE
    form = {**INFO, "login_id": LOGIN_ID, "password": PASSWORD, "password_confirm": PASSWORD}

    outcomes = results([lambda token=token: signup.submit(token, dict(form), now=NOW) for token in tokens])

    winners = [o for o in outcomes if o.ok]
    losers = [o for o in outcomes if not o.ok]
    assert len(winners) == 1 and len(losers) == len(tokens) - 1
    for loser in losers:  # the clear Korean message on the ID field, and nothing else
        assert loser.errors == {"login_id": messages.LOGIN_ID_TAKEN}
        assert loser.message == messages.SUBMIT_HAS_ERRORS
        assert loser.session_token is None and loser.member_id is None and not loser.draft_missing
    winner = winners[0]
    with unit_of_work() as session:
        member = session.exec(select(Member)).one()
        assert member.id == winner.member_id and member.login_id == LOGIN_ID
        guardians = session.exec(select(func.count()).select_from(Guardian)).one()
        completed = session.exec(
            select(func.count()).select_from(AuditLog).where(AuditLog.action == "signup.completed")
        ).one()
    # All of the winner's rows, none of anyone else's.
    assert guardians == (1 if member.member_type == MemberType.CHILD else 0)
    assert completed == 1
    assert _count(AuthSession) == 1
    # Each loser keeps the draft (what was typed) and must run 중복체크 for a new ID.
    assert _count(SignupDraft) == len(tokens) - 1
    for token in tokens:
        view = signup.get_draft(token, now=NOW)
        assert view is None or (view.fields["login_id"] == LOGIN_ID and view.checked_login_id == "")
    assert signup.check_login_id(tokens[0], LOGIN_ID, now=NOW).message in (
        messages.LOGIN_ID_TAKEN, messages.DRAFT_MISSING)
