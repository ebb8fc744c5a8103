"""Every setting is defined once, commented, and documented once in docs/settings.md."""

from __future__ import annotations

import ast
import re

import crawler.settings as project_settings
from tests import ROOT

SETTINGS_SOURCE = (ROOT / "crawler" / "settings.py").read_text(encoding="utf-8")
DOC = (ROOT / "docs" / "settings.md").read_text(encoding="utf-8")
NEWS_SETTINGS = sorted(k for k in vars(project_settings) if k.startswith("NEWS_"))
ALL_SETTINGS = sorted(k for k in vars(project_settings) if k.isupper())
_ROW_RE = re.compile(r"^\| `([A-Z][A-Z0-9_]*)` \| (.*?) \| (.+) \|$")


def table() -> list[str]:
    """The lines of the doc's settings table: its header and every row after it, up to the
    first line that is not a table row (a blank line ends a Markdown table)."""
    lines = DOC.splitlines()
    start = lines.index("| setting | default | meaning |")
    assert lines[start + 1] == "|---|---|---|"
    end = start + 2
    while end < len(lines) and lines[end].startswith("|"):
        end += 1
    return lines[start + 2 : end]


def rows() -> dict[str, tuple[str, str]]:
    """Setting name -> (default cell, meaning cell) of every table row."""
    found: dict[str, tuple[str, str]] = {}
    for line in table():
        match = _ROW_RE.match(line)
        assert match, f"not a settings row: {line}"
        name, default, meaning = match.groups()
        assert name not in found, f"{name} listed twice"
        found[name] = (default, meaning)
    return found


def test_there_are_project_settings() -> None:
    assert len(NEWS_SETTINGS) >= 10


def test_each_setting_is_assigned_once_with_a_comment() -> None:
    for name in NEWS_SETTINGS:
        lines = re.findall(rf"^{name}\b.*$", SETTINGS_SOURCE, flags=re.MULTILINE)
        assert len(lines) == 1, f"{name} assigned {len(lines)} times"
        assert "  # " in lines[0], f"{name} has no one-line comment"


def test_no_setting_is_assigned_twice() -> None:
    """A second assignment silently replaces the first (two EXTENSIONS dicts lost one)."""
    names = re.findall(r"^([A-Z][A-Z0-9_]*)\s*(?::[^=]+)?=", SETTINGS_SOURCE, flags=re.MULTILINE)
    assert sorted(n for n in set(names) if names.count(n) > 1) == []


def test_every_setting_is_in_the_table_once() -> None:
    """Also a rendering check: a row after a blank line is plain text, not in ``table()``."""
    assert sorted(rows()) == ALL_SETTINGS


def test_no_setting_row_outside_the_table() -> None:
    outside = [line for line in DOC.splitlines() if _ROW_RE.match(line)]
    assert len(outside) == len(table())


def test_defaults_in_the_table_are_the_defaults() -> None:
    """A default written as a Python value must equal the setting; only dicts of components
    may be described instead, and every other setting must show its value."""
    for name, (default, meaning) in rows().items():
        value = getattr(project_settings, name)
        if default == "components":
            assert isinstance(value, dict), f"{name}: give its default value"
            continue
        match = re.fullmatch(r"`([^`]+)`", default)
        assert match, f"{name}: default {default!r} is not a `value`"
        assert ast.literal_eval(match.group(1)) == value, f"{name}: {default} != {value!r}"
        assert meaning.strip(), name


def test_no_other_module_defines_news_settings_defaults() -> None:
    for path in (ROOT / "crawler").rglob("*.py"):
        if path.name == "settings.py":
            continue
        text = path.read_text(encoding="utf-8")
        assert not re.search(r'getint\("NEWS_\w+",\s*\d', text), path
