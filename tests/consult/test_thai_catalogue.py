"""The Thai message catalogue is well formed: what ``msgfmt --check`` checks (one plural
form, as its header says; the same placeholders as the English), and the compiled catalogue
in the repository is the one built from it."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

PO = Path(__file__).resolve().parents[2] / "locale" / "th" / "LC_MESSAGES" / "django.po"


def test_one_plural_form_as_the_header_says():
    text = PO.read_text(encoding="utf-8")
    assert '"Plural-Forms: nplurals=1; plural=0;\\n"' in text
    assert "msgstr[1]" not in text


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="needs gettext's msgfmt")
def test_msgfmt_finds_no_error_and_the_compiled_catalogue_is_current(tmp_path):
    out = tmp_path / "django.mo"
    result = subprocess.run(
        ["msgfmt", "--check-format", "--check-domain", "-o", str(out), str(PO)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert out.read_bytes() == PO.with_suffix(".mo").read_bytes(), "run `make messages`"


def test_placeholders_survive_translation():
    text = PO.read_text(encoding="utf-8")
    placeholder = re.compile(r"%\(\w+\)[sd]|%[sd]|\{\w*\}")
    entry = re.compile(r'^msgid "(.*)"\n(?:msgid_plural ".*"\n)?msgstr(?:\[0\])? "(.+)"$', re.M)
    checked = 0
    for msgid, msgstr in entry.findall(text):
        assert sorted(placeholder.findall(msgid)) == sorted(placeholder.findall(msgstr)), msgid
        checked += 1
    assert checked > 100
