"""What the member sees when an event handler fails on the server (issue 8), instead of Reflex's English
"An error occurred." toast with the exception text.

A database that is away (connection refused or cut, locked past the busy timeout, pool exhausted) gets a
Korean message that says to try again; anything else gets a generic Korean message. Either way the
message is a visible error toast (it stays until closed, and falls back to a browser alert where the
toaster is missing) and is also put in a role="alert" live region, so screen readers announce it at once.

The log line names the exception class and the event handler, nothing else: a database exception's text
carries the SQL parameters (names, phone numbers, IDs), so neither it nor the traceback is logged here.

No ``from __future__ import annotations`` here: Reflex checks the handler's annotations by evaluating
them in its own module, so they must be real objects.
"""

import json
import logging
from pathlib import Path
from types import TracebackType

import reflex as rx
import sqlalchemy.exc as sa_exc
from reflex.event import EventSpec

log = logging.getLogger(__name__)

# The texts (kept here, not in yongin_app/texts.py, which belongs to the page owners).
DB_UNAVAILABLE_TITLE = "일시적으로 데이터베이스에 연결할 수 없습니다."
DB_UNAVAILABLE_BODY = "요청을 처리하지 못했습니다. 잠시 후 다시 시도해 주세요."
GENERIC_ERROR_TITLE = "요청을 처리하는 중에 오류가 발생했습니다."
GENERIC_ERROR_BODY = "잠시 후 다시 시도해 주세요. 문제가 계속되면 도서관에 문의해 주세요."

TOAST_ID = "backend_error"  # one toast at a time: a repeated failure replaces it instead of stacking
TOAST_DURATION_MS = 30_000
LIVE_REGION_ID = "backend-error-alert"

# Exceptions that mean "the database is not answering": retrying later can succeed.
DATABASE_ERRORS: tuple[type[BaseException], ...] = (
    sa_exc.DBAPIError,  # OperationalError, InterfaceError, ... (the driver's own errors, wrapped)
    sa_exc.DisconnectionError,
    sa_exc.TimeoutError,  # no pooled connection became free in time
)

_APP_DIR = Path(__file__).resolve().parent.parent  # yongin_app/
_HANDLER_DIRS = (_APP_DIR / "pages", _APP_DIR / "states")


def is_database_error(exception: BaseException) -> bool:
    """The exception, or one it was raised from or during, is a database error."""
    seen: set[int] = set()
    current: BaseException | None = exception
    while current is not None and id(current) not in seen:
        if isinstance(current, DATABASE_ERRORS):
            return True
        seen.add(id(current))
        current = current.__cause__ or current.__context__
    return False


def handler_name(traceback: TracebackType | None) -> str:
    """The qualified name of the event handler the exception came through (the outermost frame in the
    app's pages or states), or "unknown"."""
    while traceback is not None:
        code = traceback.tb_frame.f_code
        if any(Path(code.co_filename).resolve().is_relative_to(folder) for folder in _HANDLER_DIRS):
            return code.co_qualname
        traceback = traceback.tb_next
    return "unknown"


def _exception_class(exception: BaseException) -> str:
    cls = type(exception)
    return f"{cls.__module__}.{cls.__qualname__}"


def _announce(title: str, body: str) -> EventSpec:
    """Puts the message in a role="alert" region (made once, visually hidden) for screen readers."""
    text = json.dumps(f"{title} {body}", ensure_ascii=False)
    region = json.dumps(LIVE_REGION_ID)
    script = (
        "(() => {"
        f"let region = document.getElementById({region});"
        "if (!region) {"
        "region = document.createElement('div');"
        f"region.id = {region};"
        "region.setAttribute('role', 'alert');"
        "region.style.cssText = 'position:absolute;width:1px;height:1px;margin:-1px;padding:0;"
        "overflow:hidden;clip:rect(0,0,0,0);white-space:nowrap;border:0';"
        "document.body.appendChild(region);"
        "}"
        "region.textContent = '';"
        f"window.setTimeout(() => {{ region.textContent = {text}; }}, 100);"
        "})()"
    )
    return rx.call_script(script)


def backend_exception_handler(exception: Exception) -> list[EventSpec]:
    """rx.App(backend_exception_handler=...): a Korean error toast and announcement; a log line without
    personal data."""
    database = is_database_error(exception)
    log.error(
        "event handler failed: handler=%s error=%s%s",
        handler_name(exception.__traceback__),
        _exception_class(exception),
        " (database unavailable)" if database else "",
    )
    title, body = (DB_UNAVAILABLE_TITLE, DB_UNAVAILABLE_BODY) if database else (GENERIC_ERROR_TITLE, GENERIC_ERROR_BODY)
    return [
        rx.toast.error(
            title,
            description=body,
            id=TOAST_ID,
            duration=TOAST_DURATION_MS,
            close_button=True,
            position="top-center",
            fallback_to_alert=True,
        ),
        _announce(title, body),
    ]
