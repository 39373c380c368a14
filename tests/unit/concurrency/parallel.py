"""Run real service calls in threads, lined up by a barrier, so they hit the database together.

Each thread calls the service as the app would: the service opens its own session, so each call has
its own connection and transaction (SQLite file or PostgreSQL). No mocks, no sleeps.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from typing import Any

JOIN_TIMEOUT_SECONDS = 30.0


def run_together(calls: Sequence[Callable[[], Any]]) -> list[Any]:
    """Starts every call at the same moment; returns each call's result, or the exception it raised."""
    barrier = threading.Barrier(len(calls))
    outcomes: list[Any] = [None] * len(calls)

    def run(index: int, call: Callable[[], Any]) -> None:
        try:
            barrier.wait(JOIN_TIMEOUT_SECONDS)
            outcomes[index] = call()
        except BaseException as exc:  # noqa: BLE001 - reported to the test, never swallowed
            outcomes[index] = exc

    threads = [threading.Thread(target=run, args=(i, call), daemon=True) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(JOIN_TIMEOUT_SECONDS)
    stuck = sum(thread.is_alive() for thread in threads)
    assert not stuck, f"{stuck} parallel calls did not finish in {JOIN_TIMEOUT_SECONDS} s (deadlock?)"
    return outcomes


def results(calls: Sequence[Callable[[], Any]]) -> list[Any]:
    """run_together, failing the test if any call raised instead of answering."""
    outcomes = run_together(calls)
    raised = [o for o in outcomes if isinstance(o, BaseException)]
    assert not raised, f"{len(raised)} of {len(outcomes)} calls raised: {raised[:3]!r}"
    return outcomes
