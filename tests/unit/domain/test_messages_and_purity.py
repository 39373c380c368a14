"""Messages live in one place and are Korean; the domain modules stay pure."""

from __future__ import annotations

import ast
import re
import sys
from importlib import import_module
from pathlib import Path

import pytest

from yongin_app.domain import messages, policy

MESSAGE_NAMES = [name for name in vars(messages) if name.isupper() and not name.startswith("_")]
HANGUL = re.compile(r"[가-힣]")


def test_there_are_messages() -> None:
    assert len(MESSAGE_NAMES) >= 30


@pytest.mark.parametrize("name", MESSAGE_NAMES)
def test_each_message_is_a_korean_sentence(name: str) -> None:
    text = getattr(messages, name)
    assert isinstance(text, str)
    assert HANGUL.search(text)
    assert text.endswith(".")
    assert "{" not in text  # no unformatted placeholder left


def test_messages_are_distinct() -> None:
    texts = [getattr(messages, name) for name in MESSAGE_NAMES]
    assert len(texts) == len(set(texts))


def test_messages_follow_the_policy_numbers() -> None:
    assert f"{policy.LOGIN_ID_MIN_LENGTH}~{policy.LOGIN_ID_MAX_LENGTH}자" in messages.LOGIN_ID_LENGTH
    assert f"{policy.PASSWORD_MAX_LENGTH}자" in messages.PASSWORD_TOO_LONG
    assert f"{policy.PASSWORD_MIN_LENGTH_TWO_KINDS}자" in messages.PASSWORD_COMPOSITION
    assert f"{policy.PASSWORD_MIN_LENGTH_THREE_KINDS}자" in messages.PASSWORD_COMPOSITION
    assert f"만 {policy.MULTICHILD_YOUNGEST_MAX_AGE}세" in messages.MULTICHILD_YOUNGEST_TOO_OLD


DOMAIN_MODULES = ["messages", "validators", "age", "rrn", "multichild", "masking", "client_ip", "rate_limits"]


@pytest.mark.parametrize("module", DOMAIN_MODULES)
def test_domain_modules_import_only_the_standard_library_and_the_domain(module: str) -> None:
    path = Path(import_module(f"yongin_app.domain.{module}").__file__ or "")
    tree = ast.parse(path.read_text(encoding="utf-8"))
    imported: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            imported.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            imported.add(node.module)
    for name in imported:
        top = name.split(".")[0]
        assert top in sys.stdlib_module_names or name.startswith("yongin_app.domain"), name
