"""Every project setting is defined once, commented, and documented in the README."""

from __future__ import annotations

import re

import crawler.settings as project_settings
from tests import ROOT

SETTINGS_SOURCE = (ROOT / "crawler" / "settings.py").read_text(encoding="utf-8")
README = (ROOT / "README.md").read_text(encoding="utf-8")
NEWS_SETTINGS = sorted(k for k in vars(project_settings) if k.startswith("NEWS_"))


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


def test_each_setting_is_in_the_readme() -> None:
    missing = [name for name in NEWS_SETTINGS if f"`{name}`" not in README]
    assert not missing, f"README does not document: {missing}"


def test_no_other_module_defines_news_settings_defaults() -> None:
    for path in (ROOT / "crawler").rglob("*.py"):
        if path.name == "settings.py":
            continue
        text = path.read_text(encoding="utf-8")
        assert not re.search(r'getint\("NEWS_\w+",\s*\d', text), path
