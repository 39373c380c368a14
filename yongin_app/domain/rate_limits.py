"""The abuse limits (issue 14, findings 3 and 4): every number in one place.

Each limit counts hits per key in a fixed window that starts at the key's first hit and lasts
``period`` (limits' fixed-window strategy). The keys are hashed before they are stored
(services/rate_limits.py), so the counter store never holds a phone number, a name or an address.

How the numbers were chosen:

- 인증번호 받기 (each one is a billed SMS or 본인확인 query to a real person): the public-sector
  norm of one send per 60 s and at most 5 per hour for one phone. Without a phone (아이핀/카드 인증)
  the same limits apply to the person (name and birth date).
- Per client IP, 30 sends an hour: a branch's public Wi-Fi or a carrier's NAT puts many members
  behind one address, and a signup or a recovery needs one or two sends (a child's signup: the
  guardian's and the child's), so 30 an hour is about fifteen people verifying in the same hour
  from one address, far above a branch's normal use, while one attacker gets 30 SMS an hour, not
  thousands.
- Per signup draft or per recovery tab, 10 an hour: a child's draft verifies two people, each of
  whom may need the phone maximum of 5.
- 중복체크: 20 per draft and 60 per IP in 10 minutes. Someone choosing an ID tries a handful;
  enumerating IDs drops from 300 in 8 s to 360 an hour per address.
- Login: 20 failed logins per IP in 10 minutes, members and staff counted apart. That is four
  accounts' worth of lockouts (5 failures each); a branch's shared address would need 20 typos
  in 10 minutes. Successful logins do not count.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta


@dataclass(frozen=True)
class Limit:
    """At most ``amount`` hits per key in ``period``."""

    name: str  # also the storage namespace: never reuse a name for another rule
    amount: int
    period: timedelta
    key: str  # what the key is, for the documentation

    @property
    def seconds(self) -> int:
        return int(self.period.total_seconds())


# 인증번호 받기 (signup: 본인 and 보호자; 아이디 찾기; 비밀번호 재설정)
SMS_COOLDOWN = Limit("sms-cooldown", 1, timedelta(seconds=60), "phone (or name and birth date)")
SMS_PER_PERSON = Limit("sms-person", 5, timedelta(hours=1), "phone (or name and birth date)")
SMS_PER_IP = Limit("sms-ip", 30, timedelta(hours=1), "client IP")
SMS_PER_ATTEMPT = Limit("sms-attempt", 10, timedelta(hours=1), "signup draft, or the recovery page's tab")

# 중복체크
LOGIN_ID_CHECK_PER_DRAFT = Limit("idcheck-draft", 20, timedelta(minutes=10), "signup draft")
LOGIN_ID_CHECK_PER_IP = Limit("idcheck-ip", 60, timedelta(minutes=10), "client IP")

# Failed logins, counted before the account's own lockout (policy.MAX_FAILED_LOGINS)
MEMBER_LOGIN_FAILURES_PER_IP = Limit("login-ip", 20, timedelta(minutes=10), "client IP")
STAFF_LOGIN_FAILURES_PER_IP = Limit("staff-login-ip", 20, timedelta(minutes=10), "client IP")

ALL = (
    SMS_COOLDOWN, SMS_PER_PERSON, SMS_PER_IP, SMS_PER_ATTEMPT,
    LOGIN_ID_CHECK_PER_DRAFT, LOGIN_ID_CHECK_PER_IP,
    MEMBER_LOGIN_FAILURES_PER_IP, STAFF_LOGIN_FAILURES_PER_IP,
)
