"""The state manager the app's rxconfig.py gives Reflex in each mode (built in a fresh process: Reflex
reads its configuration and environment once per process)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from reflex_base.constants import Expiration

ROOT = Path(__file__).resolve().parents[2]
_PROBE = """
import json
from reflex.istate.manager import StateManager
manager = StateManager.create()
print(json.dumps({"kind": type(manager).__name__, "oplock": getattr(manager, "_oplock_enabled", False),
                  "hold_ms": getattr(manager, "oplock_hold_time_ms", 0),
                  "lock_ms": getattr(manager, "lock_expiration", 0)}))
"""


def _state_manager(redis_url: str) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("REFLEX_", "YONGIN_"))}
    env.update(YONGIN_DATA_DIR=os.environ.get("YONGIN_DATA_DIR", str(ROOT / "data")), YONGIN_REDIS_URL=redis_url)
    done = subprocess.run([sys.executable, "-c", _PROBE], cwd=ROOT, env=env, capture_output=True, text=True,
                          check=True, timeout=120)
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_scaled_mode_holds_the_tab_lock_with_a_full_event_budget_after_the_hold():
    manager = _state_manager("redis://127.0.0.1:1/0")  # built, never connected
    assert manager["kind"] == "StateManagerRedis" and manager["oplock"]
    # An event still running when the hold ends must finish before the lock expires, or Reflex drops every
    # change of the hold (docs/upstream/oplock-lease-expiry.md): as long as Reflex allows one event alone.
    assert manager["lock_ms"] - manager["hold_ms"] >= Expiration.LOCK


def test_embedded_mode_keeps_the_tab_states_in_memory():
    assert _state_manager("")["kind"] == "StateManagerMemory"
