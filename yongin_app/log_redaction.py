"""Keeps secrets out of every log line the process writes.

Reflex logs whole events it cannot deliver (an unknown handler after a deploy, a connection without
a tab ID): the event's payload (a form may carry a 주민등록번호 뒷자리), its router data (the
handshake's ``Cookie`` header) and the tab ID. A log record factory rewrites every record of every
logger (Reflex's, Granian's, the app's), whatever handler later prints it, before any handler sees
it; tracebacks are formatted and redacted up front too.
"""

from __future__ import annotations

import logging
import re
import traceback
from typing import Any

REDACTED = "[redacted]"

# Values that follow these keys are dropped whole, up to the end of the value (a quoted string,
# or a {...} / [...] block with its nesting).
_SECRET_KEYS = re.compile(
    r"""(?ix)
    (?P<key>['"]?(?:payload|cookie|set-cookie|authorization|router_data|headers|vars|event\s+data|
                    (?:session|staff|draft|check|tab)_?(?:token|key)|token|password|rrn\w*)['"]?)
    (?P<sep>\s*[:=]\s*)
    """
)
# A tab ID (UUID), a random token or a hash (32+ URL-safe characters), and runs of 6+ digits
# (resident numbers, phone and card numbers) wherever they stand.
_UUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")
_LONG_TOKEN = re.compile(r"(?<![A-Za-z0-9_\-])[A-Za-z0-9_\-]{32,}(?![A-Za-z0-9_\-])")
_DIGIT_RUN = re.compile(r"(?<!\d)\d{6,}(?!\d)")
_CLOSING = {"{": "}", "[": "]", "(": ")"}
_WORD = re.compile(r"[^\s,;&)}\]]*")  # an unquoted value runs up to a separator


def _value_end(text: str, start: int) -> int:
    """Where the value that begins at ``start`` ends: a quoted string, a bracketed block, or a word."""
    if start >= len(text):
        return start
    first = text[start]
    if first in "'\"":
        index = start + 1
        while index < len(text) and text[index] != first:
            index += 2 if text[index] == "\\" else 1
        return min(index + 1, len(text))
    if first in _CLOSING:
        depth, index, quote = 0, start, ""
        while index < len(text):
            char = text[index]
            if quote:
                if char == "\\":
                    index += 1
                elif char == quote:
                    quote = ""
            elif char in "'\"":
                quote = char
            elif char in _CLOSING:
                depth += 1
            elif char in _CLOSING.values():
                depth -= 1
                if depth == 0:
                    return index + 1
            index += 1
        return len(text)
    match = _WORD.match(text, start)
    return match.end() if match else start


def redact(text: str) -> str:
    """``text`` with every secret value replaced by [redacted]."""
    out: list[str] = []
    position = 0
    for match in _SECRET_KEYS.finditer(text):
        if match.start() < position:
            continue
        value_start = match.end()
        out.append(text[position:value_start])
        out.append(REDACTED)
        position = max(_value_end(text, value_start), value_start)
    out.append(text[position:])
    text = "".join(out)
    text = _UUID.sub(REDACTED, text)
    text = _LONG_TOKEN.sub(REDACTED, text)
    return _DIGIT_RUN.sub(REDACTED, text)


class _RedactingRecordFactory:
    """Wraps the process's log record factory; redacts the message, its arguments and any traceback."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner

    def __call__(self, *args: Any, **kwargs: Any) -> logging.LogRecord:
        record = self.inner(*args, **kwargs)
        try:
            message = record.getMessage()
        except Exception:  # a malformed format string: keep only its template
            message = str(record.msg)
        if record.exc_info:
            message = f"{message}\n{''.join(traceback.format_exception(*record.exc_info)).rstrip()}"
            record.exc_info = None
            record.exc_text = None
        if record.stack_info:
            message = f"{message}\n{record.stack_info}"
            record.stack_info = None
        record.msg = redact(message)
        record.args = None
        return record


def install() -> None:
    """Idempotent: every record made in this process from now on is redacted."""
    factory = logging.getLogRecordFactory()
    if not isinstance(factory, _RedactingRecordFactory):
        logging.setLogRecordFactory(_RedactingRecordFactory(factory))
