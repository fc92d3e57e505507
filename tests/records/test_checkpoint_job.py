"""The periodic checkpoint job and the standalone verifier's receipt command."""

from __future__ import annotations

import contextlib
import io
import json

from comments.services import comment_create
from consult import periodic
from records import selectors, services, tasks, verify
from records.models import Checkpoint


def test_the_job_is_registered_and_signs_only_when_the_log_grew(alice, consultation, client):
    assert "records.checkpoint" in [job.name for job in periodic.jobs()]
    assert client.get("/records/checkpoint").status_code == 404  # nothing signed yet
    assert tasks.sign_checkpoint.call() == 0  # an empty log: nothing to sign
    comment_create(consultation=consultation, author=alice, body="หนึ่ง")
    assert tasks.sign_checkpoint.call() == 1
    assert tasks.sign_checkpoint.call() == 1
    assert Checkpoint.objects.count() == 1
    listed = client.get("/records/checkpoints.json").json()
    assert [c["size"] for c in listed["checkpoints"]] == [1]
    assert listed["origin"] == "test.example/records"


def test_the_standalone_verifier_checks_a_downloaded_receipt(alice, consultation, tmp_path):
    comment_create(consultation=consultation, author=alice, body="ใบรับ")
    services.checkpoint_sign()
    receipt = selectors.receipt(index=0, viewer=alice)
    (tmp_path / "key.txt").write_text(services.verifier_key_line())
    (tmp_path / "r.json").write_text(json.dumps(receipt, ensure_ascii=False))
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        ok = verify.main(["receipt", "--key", str(tmp_path / "key.txt"), str(tmp_path / "r.json")])
    assert ok == 0 and "entry 0" in out.getvalue()
    receipt["inclusion_proof"] = []
    receipt["leaf_hash"] = ""
    receipt["entry"] = receipt["entry"].replace("comment.created", "comment.hidden")
    (tmp_path / "r.json").write_text(json.dumps(receipt, ensure_ascii=False))
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        bad = verify.main(["receipt", "--key", str(tmp_path / "key.txt"), str(tmp_path / "r.json")])
    assert bad == 1 and "FAILED" in err.getvalue()


def test_the_verifier_runs_without_django(tmp_path):
    import subprocess
    import sys
    from pathlib import Path

    script = Path(verify.__file__)
    code = (
        "import runpy, sys\n"
        f"runpy.run_path({str(script)!r}, run_name='standalone')\n"
        "assert not [m for m in sys.modules if m.split('.')[0] in ('django', 'records')]\n"
    )
    done = subprocess.run([sys.executable, "-I", "-c", code], cwd=tmp_path, capture_output=True)
    assert done.returncode == 0, done.stderr.decode()
    done = subprocess.run(
        [sys.executable, "-I", str(script), "receipt", "--key", "missing.txt", "r.json"],
        cwd=tmp_path,
        capture_output=True,
    )
    assert done.returncode == 1 and b"cannot read" in done.stderr


def test_without_a_signing_key_pages_still_work(alice, consultation, client, settings, tmp_path):
    settings.RECORDS_SIGNING_KEY = ""
    settings.RECORDS_SIGNING_KEY_FILE = tmp_path / "none.key"
    comment_create(consultation=consultation, author=alice, body="ยังไม่มีกุญแจ")
    assert client.get("/records/key").status_code == 503
    assert client.get("/records/receipt/0/").status_code == 200
    assert client.get("/records/").status_code == 200
    assert list(selectors.check_all()) == []
