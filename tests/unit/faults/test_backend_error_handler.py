"""The backend exception handler (yongin_app/states/errors.py): what the member sees and what is logged
when an event handler raises."""

from __future__ import annotations

import ast
import logging
import re
from pathlib import Path
from types import SimpleNamespace

import pytest
import reflex as rx
import sqlalchemy.exc as sa_exc
from reflex.app import default_frontend_exception_handler

from yongin_app.states import errors

PERSONAL = ("gildong90", "홍길동", "010-1234-5678", "1234567", "gildong@example.com")
STATEMENT = "INSERT INTO member (login_id, name, mobile, email) VALUES (%(login_id)s, %(name)s, %(mobile)s, %(email)s)"
PARAMS = {"login_id": "gildong90", "name": "홍길동", "mobile": "010-1234-5678", "email": "gildong@example.com"}


class _DriverError(Exception):
    """Stands in for the driver's exception class (psycopg/sqlite3) that SQLAlchemy wraps."""


def _db_errors() -> list[Exception]:
    orig = _DriverError("server closed the connection unexpectedly; key (login_id)=(gildong90)")
    return [
        sa_exc.OperationalError(STATEMENT, PARAMS, orig),
        sa_exc.InterfaceError(STATEMENT, PARAMS, orig),
        sa_exc.DBAPIError(STATEMENT, PARAMS, orig),
        sa_exc.TimeoutError("QueuePool limit of size 5 overflow 10 reached"),
    ]


def _raised_in_a_state(exception: Exception) -> Exception:
    """Raises the exception from an event handler whose code lives in yongin_app/states/, as Reflex
    would run it, and returns it with its traceback."""
    source = "class SignupInfoState:\n    def submit(self, exc):\n        raise exc\n"
    namespace: dict = {}
    exec(compile(source, str(Path(errors.__file__).with_name("signup_info_example.py")), "exec"), namespace)
    try:
        namespace["SignupInfoState"]().submit(exception)
    except Exception as raised:  # noqa: BLE001
        return raised
    raise AssertionError("not raised")


def _js(specs: list) -> str:
    """The JavaScript the returned events run, with \\uXXXX escapes decoded."""
    text = " ".join(str(arg[1]) for spec in specs for arg in spec.args)
    return re.sub(r"\\u([0-9a-fA-F]{4})", lambda m: chr(int(m.group(1), 16)), text)


@pytest.mark.parametrize("exception", _db_errors(), ids=lambda e: type(e).__name__)
def test_a_database_error_gets_the_korean_retry_message(exception, caplog):
    caplog.set_level(logging.DEBUG)
    specs = errors.backend_exception_handler(_raised_in_a_state(exception))

    assert all(isinstance(spec, rx.event.EventSpec) for spec in specs)
    js = _js(specs)
    assert errors.DB_UNAVAILABLE_TITLE in js and errors.DB_UNAVAILABLE_BODY in js
    assert "다시 시도해 주세요" in errors.DB_UNAVAILABLE_BODY  # retryable
    assert '"error"' in js and "window.alert" in js  # an error toast, an alert where no toaster
    assert "'role', 'alert'" in js  # and the announcement for screen readers
    assert "An error occurred" not in js and "Contact the website administrator" not in js
    assert errors.GENERIC_ERROR_TITLE not in js
    for secret in PERSONAL:
        assert secret not in js


@pytest.mark.parametrize("exception", _db_errors(), ids=lambda e: type(e).__name__)
def test_the_log_line_names_the_class_and_the_handler_only(exception, caplog):
    caplog.set_level(logging.DEBUG)
    errors.backend_exception_handler(_raised_in_a_state(exception))

    records = [r for r in caplog.records if r.name == errors.__name__]
    assert len(records) == 1
    record = records[0]
    line = record.getMessage()
    assert "handler=SignupInfoState.submit" in line
    assert f"{type(exception).__module__}.{type(exception).__qualname__}" in line
    assert record.exc_info is None and record.exc_text is None  # no traceback with the SQL parameters
    for secret in PERSONAL:
        assert secret not in caplog.text
    assert "INSERT INTO" not in caplog.text


def test_any_other_error_gets_a_generic_korean_message_without_its_text(caplog):
    caplog.set_level(logging.DEBUG)
    exception = _raised_in_a_state(ValueError("홍길동 010-1234-5678 gildong90 1234567"))

    js = _js(errors.backend_exception_handler(exception))

    assert errors.GENERIC_ERROR_TITLE in js and errors.GENERIC_ERROR_BODY in js
    assert errors.DB_UNAVAILABLE_TITLE not in js
    for secret in PERSONAL:
        assert secret not in js and secret not in caplog.text
    assert "handler=SignupInfoState.submit error=builtins.ValueError" in caplog.text


def test_a_database_error_behind_another_exception_still_counts_as_one(caplog):
    try:
        try:
            raise _db_errors()[0]
        except sa_exc.OperationalError as db_error:
            raise RuntimeError("card issuance failed for 홍길동") from db_error
    except RuntimeError as wrapped:
        exception = wrapped
    js = _js(errors.backend_exception_handler(exception))
    assert errors.DB_UNAVAILABLE_TITLE in js
    assert "홍길동" not in caplog.text
    assert "handler=unknown" in caplog.text  # not raised through a page or state


def test_reflex_accepts_the_handler():
    """Reflex checks the handler's signature when the app starts; this is the same check."""
    app_like = SimpleNamespace(frontend_exception_handler=default_frontend_exception_handler,
                               backend_exception_handler=errors.backend_exception_handler)
    rx.App._validate_exception_handlers(app_like)


def test_the_app_uses_the_handler():
    source = Path(errors.__file__).resolve().parent.parent.joinpath("yongin_app.py").read_text(encoding="utf-8")
    calls = [node for node in ast.walk(ast.parse(source))
             if isinstance(node, ast.Call) and ast.unparse(node.func) == "rx.App"]
    assert len(calls) == 1
    keywords = {k.arg: ast.unparse(k.value) for k in calls[0].keywords}
    assert keywords.get("backend_exception_handler") == "backend_exception_handler"
    assert "from yongin_app.states.errors import backend_exception_handler" in source
