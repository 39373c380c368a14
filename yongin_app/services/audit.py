"""Audit records. Callers pass codes and IDs only: never a resident number, password or free text typed by a user."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session

from yongin_app.clock import utcnow
from yongin_app.models import AuditLog

ACTOR_MEMBER = "member"
ACTOR_STAFF = "staff"
ACTOR_ANONYMOUS = "anonymous"
ACTOR_SYSTEM = "system"


def record(
    session: Session,
    *,
    action: str,
    outcome: str,
    actor_type: str,
    actor_id: int | None = None,
    target_member_id: int | None = None,
    detail: str | None = None,
    now: datetime | None = None,
) -> AuditLog:
    entry = AuditLog(
        occurred_at=now or utcnow(),
        actor_type=actor_type,
        actor_id=actor_id,
        action=action,
        target_member_id=target_member_id,
        outcome=outcome,
        detail=detail,
    )
    session.add(entry)
    return entry
