"""Rate-limit counters under parallel hits (issue 14): every hit counts exactly once, in the app's database
(SQLite, or PostgreSQL with YONGIN_TEST_POSTGRES_URL) and in Redis (with YONGIN_TEST_REDIS_URL), so the
limits hold across several workers."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import timedelta

import pytest
import redis
from limits.storage import RedisStorage

from tests.unit.concurrency.parallel import results
from yongin_app.domain.rate_limits import Limit
from yongin_app.services import rate_limits

PARALLEL = 40
FIVE_A_MINUTE = Limit("test-five", 5, timedelta(minutes=1), "test key")


def _exact_count(storage) -> None:
    counts = results([lambda: storage.incr("yongin/race", 60) for _ in range(PARALLEL)])
    # Each hit saw its own count: none lost, none doubled.
    assert sorted(counts) == list(range(1, PARALLEL + 1))
    assert storage.get("yongin/race") == PARALLEL


def _exactly_five_allowed() -> None:
    decisions = results([lambda: rate_limits.acquire((FIVE_A_MINUTE, "one key")) for _ in range(PARALLEL)])
    assert sum(decision.allowed for decision in decisions) == FIVE_A_MINUTE.amount
    refused = [decision for decision in decisions if not decision.allowed]
    assert all(decision.limit == FIVE_A_MINUTE and decision.retry_at is not None for decision in refused)


def test_parallel_hits_count_exactly_in_the_database(database):
    _exact_count(rate_limits.DatabaseStorage())


def test_parallel_sends_allow_exactly_the_amount_in_the_database(database):
    _exactly_five_allowed()


REDIS_URL = os.environ.get("YONGIN_TEST_REDIS_URL", "").strip()


@pytest.fixture
def redis_storage() -> Iterator[RedisStorage]:
    if not REDIS_URL:
        pytest.skip("YONGIN_TEST_REDIS_URL is not set")
    client = redis.Redis.from_url(REDIS_URL)
    client.flushdb()  # the test database only (YONGIN_TEST_REDIS_URL names it)
    storage = rate_limits.make_storage(REDIS_URL)
    assert isinstance(storage, RedisStorage)
    rate_limits.use_storage(storage)
    try:
        yield storage
    finally:
        rate_limits.use_storage(None)
        client.flushdb()
        client.close()


def test_parallel_hits_count_exactly_in_redis(redis_storage):
    _exact_count(redis_storage)


def test_parallel_sends_allow_exactly_the_amount_in_redis(redis_storage):
    _exactly_five_allowed()


def test_redis_counters_expire_with_their_window_and_hold_hashed_keys(redis_storage):
    decision = rate_limits.acquire((FIVE_A_MINUTE, "010-1234-5678"))
    assert decision.allowed
    client = redis.Redis.from_url(REDIS_URL)
    try:
        keys = [key.decode() for key in client.keys("*")]
        assert len(keys) == 1 and "5678" not in keys[0] and rate_limits.key_of("010-1234-5678") in keys[0]
        assert 0 < client.ttl(keys[0]) <= 60
    finally:
        client.close()
    rate_limits.clear_all()
    assert rate_limits.check((FIVE_A_MINUTE, "010-1234-5678")).allowed
