"""Building and running the app leaves the checkout as it was: Reflex rewrites `.gitignore` and
`reflex.lock/package.json` at every start, so what is committed is exactly the form it writes."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import STATUS_BEFORE_SERVER, AppServer, checkout_status


def test_starting_the_app_leaves_git_status_as_it_was(app_server: AppServer) -> None:
    before, after = STATUS_BEFORE_SERVER[0], checkout_status()
    if before is None or after is None:
        pytest.skip("not a git checkout")
    assert after == before, f"the app's start changed the checkout:\nbefore:\n{before}\nafter:\n{after}"
