"""Kakao / Naver login and account links (use cases).

Kakao/Naver login is a login mapping only, never 본인확인.

The flow, for the three purposes ("signup_link", "login", "account_link"):

1. ``begin_oauth(provider, purpose, ...)`` stores the SHA-256 of a fresh
   ``state`` (table ``oauthrequest``, so any worker can finish the flow, even
   after a restart) and returns the provider's authorize URL. Send the browser
   there.
2. The provider sends the browser back to ``/oauth/{provider}/callback`` with
   ``?code=...&state=...``, or ``?error=access_denied&state=...`` when the user
   cancelled.
3. The callback calls ``complete_oauth(provider, code, state, error=...)``. It
   spends the state (once, atomically, in its own short write transaction),
   then, outside any transaction, trades the code for a token and fetches the
   profile. It returns ``OAuthCompletion`` or ``OAuthFailure``.
4. Depending on ``completion.purpose``: ``login_with_social`` ("login"),
   ``link_to_member`` inside the signup unit of work ("signup_link"), or
   ``link_to_member`` in a unit of work of its own ("account_link").

The callback page must still tie the completion to the browser that began it:
for "account_link" the logged-in member must be ``completion.member_id``; for
"signup_link" the tab's draft must be ``completion.signup_draft_id``; for
"login" compare the query's ``state`` with the one kept in the tab's state at
step 1 (``hmac.compare_digest``). Otherwise an attacker could make a victim's
browser finish the attacker's flow (login CSRF / link fixation).

The port is synchronous (httpx): call ``complete_oauth`` from async Reflex
handlers through ``asyncio.to_thread`` or a background event.
"""

from __future__ import annotations

import enum
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from yongin_app.clock import utcnow
from yongin_app.db import unit_of_work
from yongin_app.domain.enums import MemberStatus, OAuthProvider
from yongin_app.models import Member, OAuthRequest, SocialLink
from yongin_app.ports import OAuthError, get_oauth_client, new_state
from yongin_app.services import account, audit, auth, messages

logger = logging.getLogger(__name__)

OAUTH_REQUEST_LIFETIME = timedelta(minutes=10)

# Bounds on what the browser sends back. new_state() makes 43 characters;
# Kakao codes are about 90, Naver codes shorter.
MAX_STATE_LENGTH = 128
MAX_CODE_LENGTH = 512
MAX_PROVIDER_USER_ID_LENGTH = 100  # SocialLink.provider_user_id
MAX_DISPLAY_NAME_LENGTH = 50


class OAuthPurpose(str, enum.Enum):
    """Why the authorization was started; compares equal to its string value."""

    SIGNUP_LINK = "signup_link"  # link during signup: needs signup_draft_id
    LOGIN = "login"  # log in with a linked account
    ACCOUNT_LINK = "account_link"  # link from the account page: needs member_id


class OAuthFailureReason(str, enum.Enum):
    # Unknown, wrong provider, expired or already used: deliberately one reason.
    STATE_INVALID = "state_invalid"
    # The provider failed (timeout, 5xx, garbage, an error answer, a malformed callback).
    PROVIDER_ERROR = "provider_error"
    # The user cancelled at the provider (error=access_denied, or an empty code).
    DENIED = "denied"


@dataclass(frozen=True)
class OAuthCompletion:
    purpose: OAuthPurpose
    provider: OAuthProvider
    provider_user_id: str
    display_name: str | None  # the provider's nickname (or name), for "연동됨 (길동이)"
    signup_draft_id: int | None
    member_id: int | None


@dataclass(frozen=True)
class OAuthFailure:
    """The context fields are set when the state was valid (PROVIDER_ERROR, DENIED),
    so that the page can send the user back where they started; all None for STATE_INVALID."""

    reason: OAuthFailureReason
    purpose: OAuthPurpose | None = None
    signup_draft_id: int | None = None
    member_id: int | None = None


class SocialLinkConflict(ValueError):
    """Base class: the link cannot be made because of an existing one."""


class SocialAccountAlreadyLinked(SocialLinkConflict):
    """This Kakao/Naver account is already linked to a member (uq_sociallink_provider_user)."""


class MemberAlreadyLinked(SocialLinkConflict):
    """The member already has another account of this provider (uq_sociallink_member_provider)."""


# --- helpers ------------------------------------------------------------------------------


def _coerce_provider(provider: Any) -> OAuthProvider | None:
    if isinstance(provider, OAuthProvider):
        return provider
    if isinstance(provider, str):
        try:
            return OAuthProvider(provider)
        except ValueError:
            return None
    return None


def _valid_provider_user_id(value: Any) -> bool:
    return isinstance(value, str) and 0 < len(value) <= MAX_PROVIDER_USER_ID_LENGTH


def _display_name(nickname: str | None, name: str | None) -> str | None:
    shown = nickname or name
    return shown[:MAX_DISPLAY_NAME_LENGTH] if shown else None


# --- the authorization request ----------------------------------------------------------


def begin_oauth(
    provider: OAuthProvider,
    purpose: str,
    *,
    signup_draft_id: int | None = None,
    member_id: int | None = None,
    now: datetime | None = None,
) -> str:
    """Store a fresh state (its hash) and return the provider's authorize URL.

    "signup_link" needs signup_draft_id (and no member_id), "account_link" needs
    member_id (and no draft), "login" takes neither; anything else is a ValueError.
    May raise ServiceNotConfigured (real backend without client id/secret), and
    IntegrityError when the draft or member does not exist.
    """
    provider_value = _coerce_provider(provider)
    if provider_value is None:
        raise ValueError("unknown OAuth provider")
    try:
        purpose_value = OAuthPurpose(purpose)
    except ValueError:
        raise ValueError(f"unknown OAuth purpose: {purpose!r}") from None
    wanted = {
        OAuthPurpose.SIGNUP_LINK: (True, False),
        OAuthPurpose.LOGIN: (False, False),
        OAuthPurpose.ACCOUNT_LINK: (False, True),
    }[purpose_value]
    if (signup_draft_id is not None, member_id is not None) != wanted:
        raise ValueError(
            f"purpose {purpose_value.value!r} needs "
            f"{'a' if wanted[0] else 'no'} signup_draft_id and {'a' if wanted[1] else 'no'} member_id"
        )

    now = now or utcnow()
    client = get_oauth_client(provider_value)  # before the write: fails fast when not configured
    state = new_state()
    with unit_of_work(write=True) as session:
        # Requests never completed would otherwise pile up; deleting them here keeps the table small.
        session.exec(sa.delete(OAuthRequest).where(OAuthRequest.expires_at <= now))
        session.add(
            OAuthRequest(
                state_hash=auth.token_hash(state),
                provider=provider_value,
                purpose=purpose_value.value,
                signup_draft_id=signup_draft_id,
                member_id=member_id,
                created_at=now,
                expires_at=now + OAUTH_REQUEST_LIFETIME,
            )
        )
    return client.authorize_url(state)


def _spend_state(provider: OAuthProvider, state: str, now: datetime) -> OAuthRequest | None:
    """Mark the request used, atomically; its row if this call spent it, else None."""
    state_hash = auth.token_hash(state)
    with unit_of_work(write=True) as session:
        spent = session.exec(
            sa.update(OAuthRequest)
            .where(
                OAuthRequest.state_hash == state_hash,
                OAuthRequest.used_at.is_(None),
                OAuthRequest.expires_at > now,
                OAuthRequest.provider == provider,
            )
            .values(used_at=now)
        ).rowcount
        if spent != 1:
            return None
        return session.exec(select(OAuthRequest).where(OAuthRequest.state_hash == state_hash)).one()


def complete_oauth(
    provider: OAuthProvider,
    code: str,
    state: str,
    *,
    error: str | None = None,
    now: datetime | None = None,
) -> OAuthCompletion | OAuthFailure:
    """Finish the flow begun by ``begin_oauth``, from the callback's query parameters.

    Pass the callback's ``code``, ``state`` and ``error`` as received (missing ones
    as "" / None). The state is checked first, and spent whatever follows:

    - unknown, wrong provider, expired, already used, or garbage: STATE_INVALID;
    - ``error == "access_denied"`` or an empty ``code``: DENIED (the user cancelled);
    - any other ``error``, a malformed code, or an OAuthError from the provider
      (timeout, 5xx, garbage, error answer): PROVIDER_ERROR.

    No database transaction is held during the two network calls.
    """
    now = now or utcnow()
    provider_value = _coerce_provider(provider)
    if provider_value is None or not isinstance(state, str) or not 0 < len(state) <= MAX_STATE_LENGTH:
        return OAuthFailure(OAuthFailureReason.STATE_INVALID)
    request = _spend_state(provider_value, state, now)
    if request is None:
        return OAuthFailure(OAuthFailureReason.STATE_INVALID)

    purpose = OAuthPurpose(request.purpose)

    def failure(reason: OAuthFailureReason) -> OAuthFailure:
        return OAuthFailure(reason, purpose, request.signup_draft_id, request.member_id)

    if error is not None and error != "":
        return failure(
            OAuthFailureReason.DENIED if error == "access_denied" else OAuthFailureReason.PROVIDER_ERROR
        )
    if code is None or code == "":
        return failure(OAuthFailureReason.DENIED)
    if not isinstance(code, str) or len(code) > MAX_CODE_LENGTH:
        return failure(OAuthFailureReason.PROVIDER_ERROR)

    try:
        client = get_oauth_client(provider_value)
        profile = client.fetch_profile(client.exchange_code(code, state))
    except OAuthError as exc:
        # The message carries no code, token or personal data (see ports.errors).
        logger.warning("OAuth %s failed: %s", purpose.value, exc)
        return failure(OAuthFailureReason.PROVIDER_ERROR)
    if profile.provider is not provider_value or not _valid_provider_user_id(profile.provider_user_id):
        logger.warning("OAuth %s failed: unusable profile from %s", purpose.value, provider_value.value)
        return failure(OAuthFailureReason.PROVIDER_ERROR)
    return OAuthCompletion(
        purpose=purpose,
        provider=provider_value,
        provider_user_id=profile.provider_user_id,
        display_name=_display_name(profile.nickname, profile.name),
        signup_draft_id=request.signup_draft_id,
        member_id=request.member_id,
    )


def purge_expired_oauth_requests(now: datetime | None = None) -> int:
    """Delete the requests whose lifetime is over (used or not); returns how many."""
    now = now or utcnow()
    with unit_of_work(write=True) as session:
        return session.exec(sa.delete(OAuthRequest).where(OAuthRequest.expires_at <= now)).rowcount


# --- links and login ----------------------------------------------------------------------


def find_linked_member(provider: OAuthProvider, provider_user_id: str) -> int | None:
    """The member this provider account is linked to (whatever the member's status), or None."""
    provider_value = _coerce_provider(provider)
    if provider_value is None or not _valid_provider_user_id(provider_user_id):
        return None
    with unit_of_work() as session:
        return session.exec(
            select(SocialLink.member_id).where(
                SocialLink.provider == provider_value, SocialLink.provider_user_id == provider_user_id
            )
        ).first()


def login_with_social(
    provider: OAuthProvider,
    provider_user_id: str,
    *,
    previous_token: str | None = None,
    now: datetime | None = None,
) -> auth.LoginResult:
    """Open a session for the active member linked to this account, or LoginResult(token=None).

    Like a password login it ends ``previous_token`` and gives a new token. It
    is refused while the account is password-locked (``locked=True``: whoever
    is guessing the password must not get in through a linked account), and it
    never resets the lockout (a different credential). Audited as
    "login.social" with outcome "ok" / "not_linked" / "locked"; the detail is
    the provider name only.
    """
    now = now or utcnow()
    provider_value = _coerce_provider(provider)
    with unit_of_work(write=True) as session:
        linked = None
        if provider_value is not None and _valid_provider_user_id(provider_user_id):
            linked = session.exec(
                select(SocialLink.member_id, Member.locked_until)
                .join(Member, Member.id == SocialLink.member_id)
                .where(
                    SocialLink.provider == provider_value,
                    SocialLink.provider_user_id == provider_user_id,
                    Member.status == MemberStatus.ACTIVE,
                )
            ).first()
        detail = provider_value.value if provider_value is not None else None
        if linked is None:
            audit.record(
                session, action="login.social", outcome="not_linked",
                actor_type=audit.ACTOR_ANONYMOUS, detail=detail, now=now,
            )
            return auth.LoginResult(token=None)
        member_id, locked_until = linked
        if locked_until is not None and locked_until > now:
            audit.record(
                session, action="login.social", outcome="locked", actor_type=audit.ACTOR_ANONYMOUS,
                target_member_id=member_id, detail=detail, now=now,
            )
            return auth.LoginResult(token=None, locked=True)
        if previous_token:
            auth._end_by_token(session, previous_token, now)
        token = auth._open_session(session, now, member_id=member_id)
        audit.record(
            session, action="login.social", outcome="ok", actor_type=audit.ACTOR_MEMBER,
            actor_id=member_id, target_member_id=member_id, detail=detail, now=now,
        )
        return auth.LoginResult(token=token, member_id=member_id)


def _existing_conflict(
    session: Session, member_id: int, provider: OAuthProvider, provider_user_id: str
) -> SocialLinkConflict | None:
    owner = session.exec(
        select(SocialLink.member_id).where(
            SocialLink.provider == provider, SocialLink.provider_user_id == provider_user_id
        )
    ).first()
    if owner is not None:
        return SocialAccountAlreadyLinked(f"this {provider.value} account is already linked to a member")
    other = session.exec(
        select(SocialLink.id).where(SocialLink.member_id == member_id, SocialLink.provider == provider)
    ).first()
    if other is not None:
        return MemberAlreadyLinked(f"the member already has a linked {provider.value} account")
    return None


def link_to_member(
    session: Session, member_id: int, provider: OAuthProvider, provider_user_id: str, now: datetime
) -> None:
    """Link the provider account to the member, INSIDE the caller's unit of work (write=True).

    Signup creates the member and its link in one transaction. Raises
    SocialAccountAlreadyLinked (the provider account is linked to a member,
    this one included) or MemberAlreadyLinked (the member has another account
    of this provider), both ValueError. A SELECT checks first; the unique
    constraints are the final guard: the INSERT is flushed inside a SAVEPOINT, so
    a race lost at that point raises the same exceptions and leaves the
    caller's transaction usable. The caller must still be ready for
    IntegrityError at commit (the end of its ``with unit_of_work`` block),
    where the database may report a conflict late. Audited as "social.link".
    """
    provider_value = _coerce_provider(provider)
    if provider_value is None:
        raise ValueError("unknown OAuth provider")
    if not _valid_provider_user_id(provider_user_id):
        raise ValueError("provider_user_id must be 1 to 100 characters")
    conflict = _existing_conflict(session, member_id, provider_value, provider_user_id)  # autoflushes
    if conflict is not None:
        raise conflict
    try:
        with session.begin_nested():
            session.add(
                SocialLink(
                    member_id=member_id,
                    provider=provider_value,
                    provider_user_id=provider_user_id,
                    linked_at=now,
                )
            )
    except IntegrityError:
        conflict = _existing_conflict(session, member_id, provider_value, provider_user_id)
        if conflict is None:
            raise  # not a uniqueness problem (e.g. the member does not exist)
        raise conflict from None
    audit.record(
        session, action="social.link", outcome="ok", actor_type=audit.ACTOR_MEMBER,
        actor_id=member_id, target_member_id=member_id, detail=provider_value.value, now=now,
    )


def unlink_from_member(member_id: int, provider: OAuthProvider, *, now: datetime | None = None) -> bool:
    """Remove the member's link to this provider; False when there was none. Audited as "social.unlink"."""
    now = now or utcnow()
    provider_value = _coerce_provider(provider)
    if provider_value is None:
        raise ValueError("unknown OAuth provider")
    with unit_of_work(write=True) as session:
        removed = session.exec(
            sa.delete(SocialLink).where(SocialLink.member_id == member_id, SocialLink.provider == provider_value)
        ).rowcount
        audit.record(
            session, action="social.unlink", outcome="ok" if removed else "not_linked",
            actor_type=audit.ACTOR_MEMBER, actor_id=member_id, target_member_id=member_id,
            detail=provider_value.value, now=now,
        )
    return removed == 1


def linked_providers(member_id: int) -> dict[str, datetime]:
    """Which providers this member has linked, and when."""
    with unit_of_work() as session:
        rows = session.exec(select(SocialLink.provider, SocialLink.linked_at).where(SocialLink.member_id == member_id))
        return {provider.value: linked_at for provider, linked_at in rows}


def begin_account_link(member_id: int, session_token: str, provider: OAuthProvider, *,
                       now: datetime | None = None) -> str | None:
    """SNS 계정 연동, started from the member's own page: the provider's authorize URL, or None when this
    session's 10-minute password re-check (as for 정보수정) is not fresh. link_account checks it again."""
    now = now or utcnow()
    if not account.reauthenticated(member_id, session_token, now=now):
        with unit_of_work(write=True) as session:
            _record_link_refused(session, member_id, provider, now)
        return None
    return begin_oauth(provider, OAuthPurpose.ACCOUNT_LINK, member_id=member_id, now=now)


def _record_link_refused(session: Session, member_id: int, provider: Any, now: datetime) -> None:
    provider_value = _coerce_provider(provider)
    audit.record(
        session, action="social.link", outcome="reauth_required", actor_type=audit.ACTOR_MEMBER,
        actor_id=member_id, target_member_id=member_id,
        detail=provider_value.value if provider_value is not None else None, now=now,
    )


def link_account(member_id: int, session_token: str, provider: OAuthProvider, provider_user_id: str, *,
                 now: datetime | None = None) -> str | None:
    """SNS 계정 연동 from the member's own page: None when linked, otherwise the Korean reason.

    The session's password re-check must still be fresh when the provider sends the browser back
    (messages.SOCIAL_LINK_REAUTH_REQUIRED otherwise): a stolen session alone cannot add a way in."""
    now = now or utcnow()
    try:
        with unit_of_work(write=True) as session:
            if not account.reauthenticated_in(session, member_id, session_token, now):
                _record_link_refused(session, member_id, provider, now)
                return messages.SOCIAL_LINK_REAUTH_REQUIRED
            link_to_member(session, member_id, provider, provider_user_id, now)
    except SocialAccountAlreadyLinked:
        return messages.SOCIAL_ALREADY_LINKED
    except MemberAlreadyLinked:
        return messages.SOCIAL_MEMBER_ALREADY_LINKED
    except IntegrityError:
        return messages.SOCIAL_LINK_FAILED
    return None


def remove_all_links(session: Session, member_id: int, now: datetime, *, reason: str) -> int:
    """Removes every SNS link of the member INSIDE the caller's unit of work (비밀번호 재설정: whoever linked
    an account may have had the member's session; the member links again after logging in). Each removed
    link is audited as "social.unlink" with outcome ``reason``; returns how many were removed."""
    providers = session.exec(select(SocialLink.provider).where(SocialLink.member_id == member_id)).all()
    session.exec(sa.delete(SocialLink).where(SocialLink.member_id == member_id))
    for provider in providers:
        audit.record(
            session, action="social.unlink", outcome=reason, actor_type=audit.ACTOR_ANONYMOUS,
            target_member_id=member_id, detail=provider.value, now=now,
        )
    return len(providers)
