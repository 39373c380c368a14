"""Product decisions (../shared/spec/decisions.md), one line each, so each can change in one place."""

from __future__ import annotations

from datetime import timedelta

# Member types: 만 나이 below this is 어린이.
CHILD_AGE_LIMIT = 14
# A guardian (법정대리인) must be at least this old.
GUARDIAN_MIN_AGE = 19

# 아이디
LOGIN_ID_MIN_LENGTH = 4
LOGIN_ID_MAX_LENGTH = 20
RESERVED_LOGIN_IDS = frozenset(
    {
        "admin", "administrator", "staff", "root", "yongin", "library", "system",
        "sysadmin", "manager", "master", "operator", "support", "help", "info",
        "webmaster", "postmaster", "guest", "test", "null", "anonymous", "sandbox",
        "yonginlib", "librarian", "official",
    }
)

# 비밀번호
PASSWORD_MAX_LENGTH = 64
PASSWORD_MIN_LENGTH_TWO_KINDS = 10
PASSWORD_MIN_LENGTH_THREE_KINDS = 8

# argon2id, at least the OWASP parameters (19 MiB, 2 iterations, 1 lane).
ARGON2_MEMORY_KIB = 19456
ARGON2_TIME_COST = 2
ARGON2_PARALLELISM = 1

# Login lockout
MAX_FAILED_LOGINS = 5
LOCKOUT_DURATION = timedelta(minutes=10)

# Sessions
SESSION_IDLE_TIMEOUT = timedelta(minutes=30)
SESSION_IDLE_WARNING_BEFORE = timedelta(minutes=5)
SESSION_ABSOLUTE_LIFETIME = timedelta(hours=12)
STAFF_SESSION_IDLE_TIMEOUT = timedelta(minutes=15)
# last_seen is written at most this often, so that every event does not write.
SESSION_TOUCH_INTERVAL = timedelta(seconds=30)

# Loans
DEFAULT_LOAN_LIMIT = 7
MULTICHILD_LOAN_LIMIT = 10
MULTICHILD_MIN_CHILDREN = 2
MULTICHILD_YOUNGEST_MAX_AGE = 18

# 회원증번호: "157" + 7-digit sequence.
CARD_NUMBER_PREFIX = "157"
CARD_SEQUENCE_DIGITS = 7

# Eligibility for online 정회원: 주민등록 시·도.
FULL_MEMBER_SIDO = "경기도"
# 다자녀: 주민등록 시·군·구 must be in this city.
MULTICHILD_CITY = "용인시"
# 자녀신청: failed 자격확인 rows before further checks wait (no guessing of member IDs).
MULTICHILD_ROW_CHECK_LIMIT = 10
MULTICHILD_ROW_CHECK_LOCK = timedelta(minutes=30)
MULTICHILD_APPLICATION_LIFETIME = timedelta(hours=1)
# 정보수정: a password re-check in this session is valid this long.
REAUTH_VALIDITY = timedelta(minutes=10)
