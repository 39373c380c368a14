"""argon2id hashing for account passwords and 4-digit loan passwords."""

from __future__ import annotations

from functools import lru_cache

from argon2 import PasswordHasher, Type
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from yongin_app.domain import policy

_hasher = PasswordHasher(
    time_cost=policy.ARGON2_TIME_COST,
    memory_cost=policy.ARGON2_MEMORY_KIB,
    parallelism=policy.ARGON2_PARALLELISM,
    type=Type.ID,
)


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return _hasher.check_needs_rehash(password_hash)


@lru_cache(maxsize=1)
def _dummy_hash() -> str:
    return _hasher.hash("unused-dummy-password-for-timing")


def burn_verification_time(password: str) -> None:
    """Spend what a real verification costs, so an unknown ID answers as slowly as a wrong password."""
    verify_password(_dummy_hash(), password)
