"""For tests about something else that send several codes for one person within a test: each send
stands for a visit far apart from the others, so the send counters are forgotten first. The limits
themselves are tested in tests/unit/services/test_rate_limits.py."""

from __future__ import annotations

from yongin_app.services import rate_limits


def forget_send_limits() -> None:
    rate_limits.clear_all()
