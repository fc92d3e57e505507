"""Supply chain: ``make audit`` checks the pinned lock with pip-audit (it needs the network, so
it is not part of the tests or CI), and bleach, frozen upstream, is imported by exactly one
module (moderation/sanitize.py), where a switch to nh3 would happen."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SOURCES = ["accounts", "analytics", "comments", "consult", "moderation", "topics", "bench"]


def test_make_audit_runs_pip_audit_on_the_lock():
    result = subprocess.run(
        ["make", "-n", "audit"], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert re.search(r"pip_audit .*--requirement requirements\.lock", result.stdout)


def test_bleach_is_imported_only_by_the_sanitising_module():
    importers = set()
    for folder in SOURCES:
        for path in (ROOT / folder).rglob("*.py"):
            text = path.read_text(encoding="utf-8")
            if re.search(r"^\s*(import bleach|from bleach\b)", text, re.M):
                importers.add(str(path.relative_to(ROOT)))
    assert importers == {"moderation/sanitize.py"}
