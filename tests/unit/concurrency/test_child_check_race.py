"""자격확인 failures of one member counted in parallel (issue 14, finding 10): every failure counts, the
tenth locks, and no check runs past the lock, on SQLite and PostgreSQL alike."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlmodel import select

from tests.unit.concurrency.parallel import results
from tests.unit.services.test_multichild import REGISTRY, _member
from yongin_app.db import unit_of_work
from yongin_app.domain import policy
from yongin_app.models import AuditLog, Member
from yongin_app.services import messages, multichild

NOW = datetime(2026, 11, 30, 1, 0, tzinfo=UTC)
PARALLEL = 16


def test_parallel_failed_checks_count_exactly_and_lock_at_the_limit(database, monkeypatch):
    monkeypatch.setenv("YONGIN_SANDBOX_OUTAGE_DELAY_SECONDS", "0")
    parent = _member("P1")
    _member("C1", login_id="gilsoon")
    assert multichild.start_children(parent, consent=True, rrn_back=REGISTRY["P1"].rrn_back, now=NOW).ok
    row_id = multichild.child_rows(parent, now=NOW)[0].row_id

    outcomes = results([
        (lambda n=n: multichild.verify_row(parent, row_id, f"guess{n}", "홍길순", now=NOW))
        for n in range(PARALLEL)
    ])

    said = [o.message for o in outcomes]
    assert said.count(messages.CHILD_ROW_NO_MATCH) == policy.MULTICHILD_ROW_CHECK_LIMIT
    assert said.count(messages.CHILD_ROW_LOCKED) == PARALLEL - policy.MULTICHILD_ROW_CHECK_LIMIT
    with unit_of_work() as session:
        member = session.get(Member, parent)
        assert member.child_check_failures == 0
        assert member.child_check_locked_until == NOW + policy.MULTICHILD_ROW_CHECK_LOCK
        counted = session.exec(select(AuditLog).where(AuditLog.action == "multichild.child_check")).all()
    assert len(counted) == policy.MULTICHILD_ROW_CHECK_LIMIT
    assert multichild.verify_row(parent, row_id, "gilsoon", "홍길순", now=NOW).message == messages.CHILD_ROW_LOCKED
