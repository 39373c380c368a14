"""The abuse limits (issue 14, findings 3 and 4): 인증번호 받기, 중복체크 and failed logins, counted in the
app's database as the embedded mode does (PostgreSQL too, with YONGIN_TEST_POSTGRES_URL).

The limits run on the wall clock, which time-machine moves here; the services' own ``now`` follows it.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
import time_machine
from sqlmodel import func, select

from tests.unit.send_limits import forget_send_limits
from yongin_app.db import unit_of_work
from yongin_app.domain import rate_limits as limits
from yongin_app.domain.enums import MemberType, Nationality, Sex, StaffRole
from yongin_app.models import AuditLog, Member, RateLimitCounter, StaffAccount
from yongin_app.ports import get_identity_verifier
from yongin_app.services import auth, messages, rate_limits, recovery, signup, staff
from yongin_app.services.passwords import hash_password
from yongin_app.settings import get_settings

# 10:00:00 in Korea.
T0 = datetime(2026, 12, 7, 1, 0, tzinfo=UTC)
IP = "203.0.113.7"
OTHER_IP = "198.51.100.20"
P1 = ("홍길동", "19900101", "010-1234-5678")  # a sandbox registry person (sandbox.md)
C1 = ("홍길순", "20200111", "")  # no phone: 아이핀/카드 인증
PASSWORD = "Sejong-Book#2026"


@pytest.fixture
def clock(database):
    with time_machine.travel(T0, tick=False) as traveller:
        yield traveller


class CountingVerifier:
    """The real sandbox verifier, counting the codes it is asked to send."""

    def __init__(self) -> None:
        self.inner = get_identity_verifier()
        self.sends: list[str | None] = []

    def send_code(self, method, name, birth_date, phone):
        self.sends.append(phone)
        return self.inner.send_code(method, name, birth_date, phone)

    def confirm(self, *args):
        return self.inner.confirm(*args)


@pytest.fixture
def sandbox(monkeypatch) -> CountingVerifier:
    verifier = CountingVerifier()
    monkeypatch.setattr(signup, "get_identity_verifier", lambda: verifier)
    monkeypatch.setattr(recovery, "get_identity_verifier", lambda: verifier)
    return verifier


def _find_id(person=P1, *, ip: str | None = IP, attempt: str | None = "tab-1") -> recovery.CheckStarted:
    name, birth, phone = person
    return recovery.start_find_id("phone" if phone else "ipin", name, birth, phone, client_ip=ip, attempt=attempt)


def _signup_send(token: str, person=P1, *, ip: str | None = IP) -> signup.StepResult:
    name, birth, phone = person
    return signup.request_code(token, signup.WHO_SELF, "phone" if phone else "ipin", name, birth, phone,
                               client_ip=ip)


def _draft() -> str:
    return signup.start_draft(signup.KIND_GENERAL)[0]


# ---------------------------------------------------------------- 인증번호 받기


def test_a_second_send_to_one_phone_waits_60_seconds_and_never_reaches_the_provider(clock, sandbox):
    assert _find_id().ok
    clock.shift(15)

    refused = _find_id()

    assert refused == recovery.CheckStarted(False, "인증번호는 45초 후에 다시 받을 수 있습니다.")
    assert sandbox.sends == ["010-1234-5678"]
    clock.shift(45)
    assert _find_id().ok
    assert len(sandbox.sends) == 2


def test_the_cooldown_holds_across_flows_and_number_spellings(clock, sandbox):
    assert _signup_send(_draft()).ok
    clock.shift(1)
    # The same phone typed without hyphens, in 비밀번호 재설정, from another address and tab.
    refused = recovery.start_reset("hongildong", "phone", "홍길동", "19900101", "01012345678",
                                   client_ip=OTHER_IP, attempt="tab-2")
    assert refused.message == "인증번호는 59초 후에 다시 받을 수 있습니다."
    assert len(sandbox.sends) == 1


def test_at_most_five_sends_per_phone_an_hour(clock, sandbox):
    for _ in range(5):
        assert _find_id(attempt=None).ok
        clock.shift(61)

    refused = _find_id(attempt=None)

    # The window began at 10:00:00 (KST), the first send.
    assert refused == recovery.CheckStarted(False, "인증번호 요청이 너무 많습니다. 11시 00분 이후에 다시 시도해 주세요.")
    assert len(sandbox.sends) == 5
    clock.move_to(datetime(2026, 12, 7, 2, 0, 1, tzinfo=UTC))
    assert _find_id(attempt=None).ok


def test_a_refused_send_keeps_the_hourly_amount(clock, sandbox):
    """Clicking again inside the cooldown is refused without using up one of the five sends."""
    assert _find_id(attempt=None).ok
    for _ in range(10):
        assert not _find_id(attempt=None).ok
    for _ in range(4):
        clock.shift(61)
        assert _find_id(attempt=None).ok
    assert len(sandbox.sends) == 5


def test_a_person_without_a_phone_is_limited_by_name_and_birth_date(clock, sandbox):
    assert _find_id(C1).ok
    assert _find_id(C1).message == "인증번호는 60초 후에 다시 받을 수 있습니다."
    assert _find_id(P1).ok  # someone else
    assert len(sandbox.sends) == 2


def test_one_client_ip_gets_30_sends_an_hour(clock, sandbox):
    # Numbers the provider does not know: each query still reaches it, and counts.
    for n in range(30):
        started = _find_id(("홍길동", "19900101", f"010-5000-{n:04d}"), attempt=None)
        assert started.message == messages.VERIFY_NOT_FOUND

    refused = _find_id(attempt=None)

    assert refused.message == "인증번호 요청이 너무 많습니다. 11시 00분 이후에 다시 시도해 주세요."
    assert len(sandbox.sends) == 30
    assert _find_id(ip=OTHER_IP, attempt=None).ok


def test_one_signup_draft_gets_10_sends_an_hour(clock, sandbox):
    token = _draft()
    for n in range(10):
        assert _signup_send(token, ("홍길동", "19900101", f"010-5000-{n:04d}")).message == messages.VERIFY_NOT_FOUND

    refused = _signup_send(token, ip=OTHER_IP)

    assert refused.message == "인증번호 요청이 너무 많습니다. 11시 00분 이후에 다시 시도해 주세요."
    assert refused.rate_limited and not refused.code_sent
    assert len(sandbox.sends) == 10
    assert _signup_send(_draft(), ip=OTHER_IP).ok  # a new draft


def test_one_recovery_tab_gets_10_sends_an_hour(clock, sandbox):
    for n in range(10):
        _find_id(("홍길동", "19900101", f"010-5000-{n:04d}"), ip=None, attempt="tab-9")
    assert not _find_id(ip=None, attempt="tab-9").ok
    assert _find_id(ip=None, attempt="tab-10").ok
    assert len(sandbox.sends) == 11


def test_a_guardian_send_is_limited_like_any_other(clock, sandbox):
    token, _ = signup.start_draft(signup.KIND_CHILD)
    assert signup.save_guardian_input(token, "홍길동", "010-1234-5678").ok
    assert signup.request_code(token, signup.WHO_GUARDIAN, "phone", "", "19900101", "", client_ip=IP).ok
    refused = signup.request_code(token, signup.WHO_GUARDIAN, "phone", "", "19900101", "", client_ip=IP)
    assert refused.message == "인증번호는 60초 후에 다시 받을 수 있습니다."
    assert len(sandbox.sends) == 1


def test_invalid_input_is_answered_without_counting(clock, sandbox):
    for _ in range(3):
        assert _find_id(("홍길동", "1990", "010-1234-5678")).message == messages.VERIFY_BIRTH_DATE_INVALID
    assert _find_id().ok


def test_the_counters_hold_no_phone_name_or_address(clock, sandbox):
    assert _find_id().ok
    assert _find_id(C1).ok
    with unit_of_work() as session:
        keys = session.exec(select(RateLimitCounter.key)).all()
    assert len(keys) == 6  # cooldown and hourly for each person; the IP and the tab are shared
    stored = " ".join(keys)
    for secret in ("1234", "5678", "01012345678", "홍길", "203.0.113", "19900101", "tab-1"):
        assert secret not in stored


# ---------------------------------------------------------------- 중복체크


def _draft_at_info() -> str:
    token = _draft()
    forget_send_limits()
    assert _signup_send(token).ok
    assert signup.confirm_code(token, signup.WHO_SELF, "phone", *P1, "123456").ok
    assert signup.accept_terms(token, ["service", "privacy"]).ok
    return token


def test_one_draft_gets_20_id_checks_in_10_minutes(clock):
    token = _draft_at_info()
    for n in range(20):
        assert signup.check_login_id(token, f"reader{n:02d}", client_ip=IP).ok
    clock.shift(120)

    refused = signup.check_login_id(token, "reader99", client_ip=OTHER_IP)

    assert (refused.ok, refused.message) == (False, "아이디 중복체크 요청이 너무 많습니다. 8분 후에 다시 시도해 주세요.")
    clock.shift(8 * 60)
    assert signup.check_login_id(token, "reader99", client_ip=OTHER_IP).ok


def test_one_client_ip_gets_60_id_checks_in_10_minutes(clock):
    tokens = [_draft_at_info() for _ in range(4)]
    for n in range(60):
        assert signup.check_login_id(tokens[n // 20], f"reader{n:02d}", client_ip=IP).ok
    refused = signup.check_login_id(tokens[3], "reader99", client_ip=IP)
    assert refused.message == "아이디 중복체크 요청이 너무 많습니다. 10분 후에 다시 시도해 주세요."
    assert signup.check_login_id(tokens[3], "reader99", client_ip=OTHER_IP).ok


def test_a_malformed_id_is_answered_without_counting(clock):
    token = _draft_at_info()
    for _ in range(25):
        assert not signup.check_login_id(token, "ab", client_ip=IP).ok
    assert signup.check_login_id(token, "reader01", client_ip=IP).ok


# ---------------------------------------------------------------- login


@pytest.fixture
def member_id(clock) -> int:
    with unit_of_work(write=True) as session:
        member = Member(
            login_id="hangaram", password_hash=hash_password(PASSWORD), name="한가람", birth_date=date(1993, 6, 1),
            sex=Sex.FEMALE, nationality=Nationality.DOMESTIC, ci="CI-1", di="DI-1",
            member_type=MemberType.GENERAL, created_at=T0, updated_at=T0,
        )
        session.add(member)
        session.flush()
        return member.id


def _failed_count(member_id: int) -> int:
    with unit_of_work() as session:
        return session.get(Member, member_id).failed_login_count


def _audit_rows() -> int:
    with unit_of_work() as session:
        return session.exec(select(func.count()).select_from(AuditLog)).one()


def test_twenty_failed_logins_from_one_ip_stop_further_attempts_before_the_password(member_id, clock):
    for n in range(20):  # spraying: another ID each time
        assert not auth.login_member(f"reader{n:02d}", PASSWORD, client_ip=IP).ok
    clock.shift(150)
    audit_rows = _audit_rows()

    refused = auth.login_member("hangaram", PASSWORD, client_ip=IP)  # even the right password

    assert refused.token is None and refused.throttled is not None
    assert messages.login_throttled(refused.throttled) == "로그인 시도가 너무 많습니다. 8분 후에 다시 시도해 주세요."
    # Counted against no account, and nothing written.
    assert _failed_count(member_id) == 0 and _audit_rows() == audit_rows
    assert auth.login_member("hangaram", PASSWORD, client_ip=OTHER_IP).ok
    clock.shift(450)
    assert auth.login_member("hangaram", PASSWORD, client_ip=IP).ok


def test_a_throttled_ip_cannot_lock_a_member_out(member_id, clock):
    for _ in range(4):
        auth.login_member("hangaram", "Wrong-password-1", client_ip=IP)
    for n in range(16):
        auth.login_member(f"reader{n:02d}", "Wrong-password-1", client_ip=IP)
    for _ in range(10):
        assert auth.login_member("hangaram", "Wrong-password-1", client_ip=IP).throttled is not None
    assert _failed_count(member_id) == 4  # still one short of the lock
    assert auth.login_member("hangaram", PASSWORD, client_ip=OTHER_IP).ok


def test_successful_logins_do_not_count(member_id, clock):
    for _ in range(21):
        assert auth.login_member("hangaram", PASSWORD, client_ip=IP).ok


def test_staff_failures_are_counted_apart_from_members(member_id, clock):
    with unit_of_work(write=True) as session:
        session.add(StaffAccount(login_id="kimsaseo", password_hash=hash_password(PASSWORD + "-staff"),
                                 name="김사서", role=StaffRole.LIBRARIAN, created_at=T0))
    for n in range(20):
        assert not staff.login_staff(f"staff{n:02d}", PASSWORD, client_ip=IP).ok
    refused = staff.login_staff("kimsaseo", PASSWORD + "-staff", client_ip=IP)
    assert refused.throttled is not None and refused.token is None
    assert staff.login_staff("kimsaseo", PASSWORD + "-staff", client_ip=OTHER_IP).ok
    assert auth.login_member("hangaram", PASSWORD, client_ip=IP).ok  # the members' counter is apart


# ---------------------------------------------------------------- the database storage


def test_the_database_storage_counts_expires_and_purges(clock):
    storage = rate_limits.DatabaseStorage()
    assert [storage.incr("k", 60) for _ in range(3)] == [1, 2, 3]
    assert storage.get("k") == 3 and storage.get_expiry("k") == T0.timestamp() + 60
    clock.shift(60)
    assert storage.get("k") == 0
    assert storage.incr("k", 60) == 1  # a new window
    assert storage.get_expiry("k") == T0.timestamp() + 120
    storage.incr("old", 10)
    clock.shift(rate_limits.PURGE_INTERVAL_SECONDS)
    storage.incr("new", 10)  # due for a purge: the expired rows go
    with unit_of_work() as session:
        assert sorted(session.exec(select(RateLimitCounter.key)).all()) == ["new"]
    storage.clear("new")
    assert storage.get("new") == 0 and storage.check()
    storage.incr("a", 10)
    assert storage.reset() == 1


def test_limits_numbers_are_the_documented_ones():
    assert (limits.SMS_COOLDOWN.amount, limits.SMS_COOLDOWN.seconds) == (1, 60)
    assert (limits.SMS_PER_PERSON.amount, limits.SMS_PER_PERSON.seconds) == (5, 3600)
    assert len({limit.name for limit in limits.ALL}) == len(limits.ALL)


def test_switched_off_for_a_load_test_nothing_is_counted_or_refused(clock, sandbox, monkeypatch):
    # bench/load.py replays one person from one address hundreds of times (production refuses this).
    monkeypatch.setenv("YONGIN_RATE_LIMITS_ENABLED", "false")
    get_settings.cache_clear()
    try:
        token = _draft_at_info()
        for n in range(25):
            assert signup.check_login_id(token, f"reader{n:02d}", client_ip=IP).ok
        assert _signup_send(_draft()).ok and _signup_send(_draft()).ok
        with unit_of_work() as session:
            assert session.exec(select(func.count()).select_from(RateLimitCounter)).one() == 0
    finally:
        monkeypatch.delenv("YONGIN_RATE_LIMITS_ENABLED")
        get_settings.cache_clear()
