"""SQLModel tables. The schema is created by alembic migrations, never by create_all in the app.

Timestamps are aware UTC (see yongin_app.clock). No table ever holds a resident
registration number or a plain password.
"""

from __future__ import annotations

import enum
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import JSON, Column, Field, SQLModel

from yongin_app.domain.enums import (
    CardStatus,
    Grade,
    MemberStatus,
    MemberType,
    Nationality,
    OAuthProvider,
    Sex,
    StaffRole,
)


def _enum(enum_cls: type[enum.Enum]) -> sa.Enum:
    # Stored as the Korean/ASCII value in a VARCHAR, portable across SQLite and PostgreSQL.
    return sa.Enum(
        enum_cls,
        native_enum=False,
        values_callable=lambda members: [m.value for m in members],
        length=20,
        validate_strings=True,
    )


class Branch(SQLModel, table=True):
    """가입도서관: the 22 public libraries, seeded by migration."""

    code: str = Field(primary_key=True, max_length=2)
    name: str = Field(max_length=40)
    sort_order: int


class Member(SQLModel, table=True):
    __table_args__ = (
        sa.Index("ix_member_name_birth_date", "name", "birth_date"),
        # Staff 이름 search pages in id order: the index stops after the page's rows (migration 0008).
        sa.Index("ix_member_name_id", "name", "id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    login_id: str = Field(max_length=20, unique=True, index=True)
    password_hash: str = Field(max_length=255)
    # From identity verification; never editable by the member.
    name: str = Field(max_length=50)
    birth_date: date
    sex: Sex = Field(sa_type=_enum(Sex))
    nationality: Nationality = Field(sa_type=_enum(Nationality))
    # Nullable so that a withdrawn member's identifiers can be erased.
    ci: str | None = Field(default=None, max_length=128, unique=True, index=True)
    di: str | None = Field(default=None, max_length=128, unique=True, index=True)
    member_type: MemberType = Field(sa_type=_enum(MemberType))
    grade: Grade = Field(default=Grade.ASSOCIATE, sa_type=_enum(Grade))
    status: MemberStatus = Field(default=MemberStatus.ACTIVE, sa_type=_enum(MemberStatus))
    mobile: str | None = Field(default=None, max_length=13)
    # Last 4 digits of mobile, kept in step with it, for the staff 휴대폰 끝 4자리 search.
    mobile_last4: str | None = Field(default=None, max_length=4, index=True)
    sms_consent: bool = False
    email: str | None = Field(default=None, max_length=254)
    email_consent: bool = False
    landline: str | None = Field(default=None, max_length=13)
    postal_code: str | None = Field(default=None, max_length=5)
    road_address: str | None = Field(default=None, max_length=200)
    address_detail: str | None = Field(default=None, max_length=200)
    home_branch_code: str | None = Field(default=None, foreign_key="branch.code", max_length=2)
    failed_login_count: int = 0
    locked_until: datetime | None = None
    # 자녀신청's 자격확인 failures, per member so that a new application does not reset them (migration 0010).
    child_check_failures: int = Field(default=0, sa_column_kwargs={"server_default": "0"})
    child_check_locked_until: datetime | None = None
    created_at: datetime
    updated_at: datetime
    withdrawn_at: datetime | None = None


class Guardian(SQLModel, table=True):
    """법정대리인 of an 어린이 account, verified by their own 휴대폰 인증."""

    id: int | None = Field(default=None, primary_key=True)
    member_id: int = Field(foreign_key="member.id", unique=True, index=True)
    name: str = Field(max_length=50)
    mobile: str = Field(max_length=13)
    birth_date: date
    ci: str = Field(max_length=128, index=True)
    verified_at: datetime
    # The in-person document check by staff; until then the account shows "보호자 방문 확인 전".
    visit_confirmed_at: datetime | None = None
    visit_confirmed_by_staff_id: int | None = Field(default=None, foreign_key="staffaccount.id")


class StaffAccount(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    login_id: str = Field(max_length=30, unique=True, index=True)
    password_hash: str = Field(max_length=255)
    name: str = Field(max_length=50)
    role: StaffRole = Field(sa_type=_enum(StaffRole))
    failed_login_count: int = 0
    locked_until: datetime | None = None
    active: bool = True
    created_at: datetime


class MemberCard(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    member_id: int = Field(foreign_key="member.id", index=True)
    card_number: str = Field(max_length=10, unique=True, index=True)
    loan_password_hash: str = Field(max_length=255)
    issued_at: datetime
    status: CardStatus = Field(default=CardStatus.ACTIVE, sa_type=_enum(CardStatus))
    invalidated_at: datetime | None = None
    # "online" or "visit"; a visit records the staff member in issued_by_staff_id.
    issue_channel: str = Field(default="online", max_length=10)
    issued_by_staff_id: int | None = Field(default=None, foreign_key="staffaccount.id")


class NumberSequence(SQLModel, table=True):
    """Named counters allocated inside the issuing transaction (회원증번호); never reused."""

    name: str = Field(primary_key=True, max_length=30)
    next_value: int


class MultichildGrant(SQLModel, table=True):
    """다자녀 benefit: one row per member, updated (not duplicated) by a new application."""

    id: int | None = Field(default=None, primary_key=True)
    member_id: int = Field(foreign_key="member.id", unique=True, index=True)
    expires_on: date
    loan_limit: int
    applied_by_member_id: int = Field(foreign_key="member.id")
    created_at: datetime
    updated_at: datetime


class SocialLink(SQLModel, table=True):
    __table_args__ = (
        sa.UniqueConstraint("provider", "provider_user_id", name="uq_sociallink_provider_user"),
        sa.UniqueConstraint("member_id", "provider", name="uq_sociallink_member_provider"),
    )

    id: int | None = Field(default=None, primary_key=True)
    member_id: int = Field(foreign_key="member.id", index=True)
    provider: OAuthProvider = Field(sa_type=_enum(OAuthProvider))
    provider_user_id: str = Field(max_length=100)
    linked_at: datetime


class AuthSession(SQLModel, table=True):
    """Server-side login session. The browser holds the random token; only its hash is stored."""

    id: int | None = Field(default=None, primary_key=True)
    token_hash: str = Field(max_length=64, unique=True, index=True)
    member_id: int | None = Field(default=None, foreign_key="member.id", index=True)
    staff_id: int | None = Field(default=None, foreign_key="staffaccount.id", index=True)
    created_at: datetime
    last_seen_at: datetime
    expires_at: datetime
    ended_at: datetime | None = None
    # When the member last re-entered the password in this session (정보수정 asks for it first).
    reauthenticated_at: datetime | None = None


class StaffMemberOpen(SQLModel, table=True):
    """A member this staff session opened with a 열람 사유 (written with the staff.member_viewed record).

    The card preview and any later view of that member in the same staff session need it, so a link
    (/staff/preview?member=N) opened in another staff session shows nothing. It lives as long as the
    session row: a new login is a new session with none.
    """

    __table_args__ = (sa.UniqueConstraint("auth_session_id", "member_id", name="uq_staffmemberopen_session_member"),)

    id: int | None = Field(default=None, primary_key=True)
    # Cascades: an open means nothing without its session or its member (tests and tools delete both).
    auth_session_id: int = Field(foreign_key="authsession.id", ondelete="CASCADE")
    member_id: int = Field(foreign_key="member.id", index=True, ondelete="CASCADE")
    opened_at: datetime


class SignupDraft(SQLModel, table=True):
    """Signup wizard progress, so that a reconnect or a restart loses nothing.

    Never holds a password or a resident number.
    """

    id: int | None = Field(default=None, primary_key=True)
    token_hash: str = Field(max_length=64, unique=True, index=True)
    step: str = Field(max_length=30)
    data: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    created_at: datetime
    updated_at: datetime
    expires_at: datetime


class AuditLog(SQLModel, table=True):
    """Who did what to whom, and how it ended. Never a resident number or a password."""

    id: int | None = Field(default=None, primary_key=True)
    occurred_at: datetime = Field(index=True)
    actor_type: str = Field(max_length=10)  # member / staff / anonymous / system
    actor_id: int | None = Field(default=None, index=True)
    action: str = Field(max_length=50, index=True)
    target_member_id: int | None = Field(default=None, index=True)
    outcome: str = Field(max_length=30)
    detail: str | None = Field(default=None, max_length=200)


class OAuthRequest(SQLModel, table=True):
    """One Kakao/Naver authorization request, so that its ``state`` is checked and spent once.

    Only the SHA-256 of the state is stored; the browser carries the state itself.
    Kept in the database so that the callback works on any worker and after a restart.
    """

    id: int | None = Field(default=None, primary_key=True)
    state_hash: str = Field(max_length=64, unique=True, index=True)
    provider: OAuthProvider = Field(sa_type=_enum(OAuthProvider))
    purpose: str = Field(max_length=20)  # signup_link / login / account_link
    # CASCADE: deleting a draft (or a member) must not be blocked by a pending request.
    signup_draft_id: int | None = Field(default=None, foreign_key="signupdraft.id", ondelete="CASCADE")
    member_id: int | None = Field(default=None, foreign_key="member.id", ondelete="CASCADE")
    created_at: datetime
    expires_at: datetime
    used_at: datetime | None = None


class MultichildApplication(SQLModel, table=True):
    """자녀신청 in progress. The children's birth dates from the eligibility check stay here, on the server;
    each row has a random ID, so the browser addresses rows without positions."""

    id: int | None = Field(default=None, primary_key=True)
    member_id: int = Field(foreign_key="member.id", index=True)
    youngest_birth_date: date
    rows: list[dict[str, Any]] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    created_at: datetime
    expires_at: datetime
    submitted_at: datetime | None = None


class IdentityCheck(SQLModel, table=True):
    """One 아이디 찾기 / 비밀번호 재설정 identity verification in progress, keyed by a random token
    that only the browser holds (the row keeps its SHA-256).

    Keeps what the verification screen asked (name, birth date, phone) so that the code is
    confirmed for the same person; never a code, a CI or a password. Lives 10 minutes.
    """

    id: int | None = Field(default=None, primary_key=True)
    token_hash: str = Field(max_length=64, unique=True, index=True)
    purpose: str = Field(max_length=20)  # find_id / reset_password
    method: str = Field(max_length=10)  # VerificationMethod value
    name: str = Field(max_length=50)
    birth_date: date
    phone: str | None = Field(default=None, max_length=13)
    # reset_password: the ACTIVE member the typed ID named, or None when no such ID (never revealed).
    # CASCADE: deleting a member must not be blocked by a pending check.
    member_id: int | None = Field(default=None, foreign_key="member.id", ondelete="CASCADE")
    wrong_codes: int = 0
    # reset_password: the verified CI was that member's CI; the new password may be set.
    verified_ci_matches: bool = False
    created_at: datetime
    expires_at: datetime
    used_at: datetime | None = None


class SandboxOAuthGrant(SQLModel, table=True):
    """An authorization code or access token issued by the sandbox Kakao/Naver provider.

    Sandbox only. Kept in the database (only the SHA-256 of the value) so that a code issued
    by one backend worker is redeemed by another, and survives a restart, as with the real
    providers. A code is deleted when redeemed, so it works once.
    """

    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=10)  # code / token
    value_hash: str = Field(max_length=64, unique=True, index=True)
    provider: OAuthProvider = Field(sa_type=_enum(OAuthProvider))
    account_key: str = Field(max_length=10)
    client_id: str = Field(default="", max_length=100)
    redirect_uri: str = Field(default="", max_length=500)
    state: str = Field(default="", max_length=200)
    expires_at: datetime = Field(index=True)


class RateLimitCounter(SQLModel, table=True):
    """One fixed-window counter of services/rate_limits.py in the embedded mode (the scaled mode keeps
    them in Redis). The key is limits' key of a hashed identifier: never a phone number or an
    address in clear. ``expires_at`` is Unix time (seconds), as the limits library counts."""

    key: str = Field(primary_key=True, max_length=200)
    count: int
    expires_at: float = Field(index=True)
