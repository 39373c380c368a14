"""The one source of "now". Services take `now` as a parameter so tests control time."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

KST = ZoneInfo("Asia/Seoul")


def utcnow() -> datetime:
    """Aware UTC; SQLModel's UTCDateTime columns refuse naive datetimes."""
    return datetime.now(UTC)


def today_kst(now: datetime | None = None) -> date:
    """The calendar day in Korea, for ages and expiry dates."""
    return (now or utcnow()).astimezone(KST).date()
