"""A bad environment value stops start-up with a message naming the variable."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def run_check(**env: str) -> subprocess.CompletedProcess:
    base = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "REDIS_URL", "SECRET_KEY", "DEBUG"}
    }
    base.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=base,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize(
    ("env", "variable"),
    [
        ({"DEBUG": "maybe"}, "DEBUG"),
        ({"DEBUG": "0"}, "SECRET_KEY"),
        ({"DEBUG": "1", "DATABASE_URL": "mysql://x@y/z"}, "DATABASE_URL"),
        ({"DEBUG": "1", "DATABASE_URL": "postgres://"}, "DATABASE_URL"),
        ({"DEBUG": "1", "REDIS_URL": "http://localhost:6379"}, "REDIS_URL"),
        ({"DEBUG": "1", "COMMENTS_PAGE_SIZE": "many"}, "COMMENTS_PAGE_SIZE"),
    ],
)
def test_bad_value_fails_at_start_naming_the_variable(env, variable):
    result = run_check(**env)
    assert result.returncode != 0
    assert variable in result.stderr


def test_production_settings_start_with_a_secret_key():
    result = run_check(DEBUG="0", SECRET_KEY="x" * 50, ALLOWED_HOSTS="consult.example.go.th")
    assert result.returncode == 0, result.stderr
