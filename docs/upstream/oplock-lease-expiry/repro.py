"""Reflex 0.10.1, StateManagerRedis with REFLEX_OPLOCK_ENABLED=true: an event that is still running when
the lease's hold time ends, and ends after the lock's expiration counted from the lease's start, makes the
lease's flush fail, and every change made under the lease is lost (the client already got their deltas).

Run against any Redis (keyspace notifications are switched on by Reflex):
    REDIS_URL=redis://127.0.0.1:6379/15 REFLEX_OPLOCK_ENABLED=true python repro.py
    REDIS_URL=redis://127.0.0.1:6379/15 REFLEX_OPLOCK_ENABLED=false python repro.py
"""

import asyncio
import os
import uuid

import reflex as rx
from redis.asyncio import Redis
from reflex.istate.manager.redis import StateManagerRedis

LOCK_EXPIRATION_MS = 1000
HOLD_TIME_MS = 500  # what REFLEX_OPLOCK_HOLD_TIME defaults to: half the lock expiration


class CounterState(rx.State):
    count: int = 0


async def main() -> None:
    manager = StateManagerRedis(redis=Redis.from_url(os.environ["REDIS_URL"]), lock_expiration=LOCK_EXPIRATION_MS,
                                lock_warning_threshold=LOCK_EXPIRATION_MS // 2,
                                oplock_hold_time_ms=HOLD_TIME_MS)
    token = rx.BaseStateToken(ident=str(uuid.uuid4()), cls=CounterState)
    await manager._ensure_lock_task_subscribed()  # as a running app is: leases are only taken once subscribed

    # Event 1 (short): starts the lease.
    async with manager.modify_state(token) as root:
        (await root.get_state(CounterState)).count = 1
    # Event 2 starts just before the hold time ends and lasts 0.6 s: shorter than the lock expiration,
    # but it ends 1.05 s after the lease (and its Redis lock) began.
    await asyncio.sleep(0.45)
    async with manager.modify_state(token) as root:
        (await root.get_state(CounterState)).count = 2
        await asyncio.sleep(0.6)  # a slow handler: a password hash, an outside service
    await asyncio.sleep(0.5)  # let the lease's flush run

    async with manager.modify_state(token) as root:
        count = (await root.get_state(CounterState)).count
    print(f"oplock={manager._oplock_enabled}: count after the events = {count} (expected 2)")
    await manager.close()


if __name__ == "__main__":
    asyncio.run(main())
