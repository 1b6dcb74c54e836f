"""Translations: every interface string has Dutch and English, and the language is chosen right."""

from __future__ import annotations

import runpy
from pathlib import Path

import pytest

from dialoog.i18n import _, detect_language, kind_label, set_language

SCRIPT = Path(__file__).resolve().parents[1] / "scripts" / "i18n.py"


def test_catalogues_are_complete_and_compiled(capsys: pytest.CaptureFixture) -> None:
    check = runpy.run_path(str(SCRIPT))["check"]
    assert check() == 0, capsys.readouterr().out


@pytest.mark.parametrize(
    ("explicit", "env", "expected"),
    [
        ("nl", {}, "nl"),
        (None, {"DIALOOG_LANG": "nl"}, "nl"),
        (None, {"LANG": "nl_NL.UTF-8"}, "nl"),
        (None, {"LANG": "nl_BE.UTF-8", "DIALOOG_LANG": "en"}, "en"),
        (None, {"LANG": "fr_FR.UTF-8"}, "en"),
        ("en", {"DIALOOG_LANG": "nl"}, "en"),
    ],
)
def test_language_choice(
    monkeypatch: pytest.MonkeyPatch, explicit: str | None, env: dict, expected: str
) -> None:
    for var in ("DIALOOG_LANG", "LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(var, raising=False)
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    assert detect_language(explicit) == expected


def test_dutch_and_english_labels() -> None:
    set_language("nl")
    try:
        assert kind_label("bottleneck") == "knelpunt"
        assert kind_label("quote") == "citaat"
        assert _("empty note: nothing to save") != "empty note: nothing to save"
    finally:
        set_language("en")
    assert kind_label("bottleneck") == "bottleneck"
