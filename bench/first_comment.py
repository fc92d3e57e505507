"""The first-time path and the consultation page's weight, measured in a real browser.

    .venv/bin/python bench/first_comment.py                 # this checkout
    .venv/bin/python bench/first_comment.py --rev main~5    # an older commit, for "before"
    .venv/bin/python bench/first_comment.py --port 8121 --skip-weight

A fresh SQLite database with the demo data (``manage.py load_demo``) is made in a temporary
directory and served by Daphne on 127.0.0.1 (``--port``, default 8121), with e-mail printed
to the server's log, where the script reads the verification code or link. With ``--rev`` the
code of that commit is exported (``git archive``) and served with this checkout's virtualenv.

1. First-time path, on a phone (390 x 844, touch), with JavaScript: a new visitor arrives on a
   section of the demo's open draft act and ends with their first comment published. The
   script follows whatever the pages offer (a visitor's comment form that leads to sign-up, or
   the older "sign in first" path through sign-up, e-mail link, sign-in and the consent
   page). It counts pages loaded, taps (clicks and ticks), fields typed, e-mails opened, and
   the page time from arrival to the published comment (scripted, so no human reading time).
2. Page weight: the consultation page loaded cold (no cache) by a visitor; bytes on the wire
   and decoded, per kind (HTML, CSS, JS, fonts, other), then the load time under two emulated
   slow connections (Chrome DevTools protocol throttling, cache disabled): WebPageTest's
   "3G Slow" (400 ms RTT, 400 kbit/s) and Chrome DevTools' "Slow 3G" preset (2,000 ms
   latency, 400 kbit/s). Median of ``--runs`` loads.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from playwright.sync_api import Page, sync_playwright

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
CONSULTATION = "/c/clean-air-act/"
TEXT = "ขอให้ติดตั้งเครื่องวัดฝุ่นหน้าโรงเรียนทุกแห่ง และแจ้งค่าฝุ่นทุกชั่วโมง"
PASSWORD = "a long pass phrase 42"
# (name, round-trip latency ms, download and upload bytes/s)
PROFILES = [
    ("WebPageTest 3G Slow (400 ms, 400 kbit/s)", 400, 400_000 / 8),
    ("DevTools Slow 3G (2000 ms, 400 kbit/s)", 2000, 500_000 / 8 * 0.8),
]


@dataclass
class Server:
    source: Path
    port: int
    work: Path
    log: Path = field(init=False)
    process: subprocess.Popen | None = None

    def env(self) -> dict[str, str]:
        env = dict(os.environ)
        env.update(
            DEBUG="1",
            DATABASE_URL=f"sqlite:///{self.work / 'bench.sqlite3'}",
            EMAIL_BACKEND="django.core.mail.backends.console.EmailBackend",
            PYTHONDONTWRITEBYTECODE="1",
        )
        env.pop("REDIS_URL", None)
        return env

    def start(self) -> None:
        python = str(ROOT / ".venv" / "bin" / "python")
        for command in (["migrate", "--noinput"], ["load_demo"]):
            subprocess.run(
                [python, "manage.py", *command],
                cwd=self.source,
                env=self.env(),
                check=True,
                stdout=subprocess.DEVNULL,
            )
        self.log = self.work / "server.log"
        self.process = subprocess.Popen(
            [
                str(ROOT / ".venv" / "bin" / "daphne"),
                "-b",
                "127.0.0.1",
                "-p",
                str(self.port),
                "consult.asgi:application",
            ],
            cwd=self.source,
            env=self.env(),
            stdout=self.log.open("w"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + 30
        while "Listening on" not in self.log.read_text():
            if time.monotonic() > deadline or self.process.poll() is not None:
                raise SystemExit(f"the server did not start:\n{self.log.read_text()[-2000:]}")
            time.sleep(0.2)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(timeout=10)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def mail_text(self) -> str:
        return self.log.read_text()


@dataclass
class Path_:
    pages: int = 0
    taps: int = 0
    fields: int = 0
    emails: int = 0
    comment_typed: int = 0
    steps: list[str] = field(default_factory=list)


def first_time_path(page: Page, server: Server, email: str) -> tuple[Path_, float]:
    count = Path_()
    page.on("framenavigated", lambda frame: _navigated(count, frame, page))

    def tap(selector: str, what: str) -> None:
        count.taps += 1
        count.steps.append(f"tap {what}")
        page.locator(selector).first.click()
        page.wait_for_load_state()

    def tick(selector: str, what: str) -> None:
        count.taps += 1
        count.steps.append(f"tick {what}")
        page.locator(selector).first.check()

    def type_(selector: str, value: str, what: str) -> None:
        count.fields += 1
        count.steps.append(f"type {what}")
        page.locator(selector).first.fill(value)

    start = time.perf_counter()
    page.goto(server.url + CONSULTATION)
    page.locator('a[href*="?section="]').first.wait_for(state="attached")
    section_link = page.locator('.tabs a[href*="section="]').nth(2)
    tap_target = section_link.get_attribute("href") or ""
    count.taps += 1
    count.steps.append("tap a section")
    section_link.click()
    page.wait_for_load_state()
    section = re.search(r"section=(\d+)", page.url)
    assert section, page.url
    on_section = re.compile(
        rf"{re.escape(server.url + CONSULTATION)}\?(.*&)?section={section.group(1)}\b"
    )

    def write_comment() -> None:
        count.comment_typed += 1
        type_("#id_body", TEXT, "the comment")
        tick('#comment-form input[name="stance"][value="suggestion"]', "a stance")

    visitor_form = page.locator("form.visitor-form").count() > 0
    if visitor_form:
        write_comment()
        tick("#id_consent", "consent at the form")
        tap('#comment-form button[type="submit"]', "continue to sign-up")
    else:
        tap('#comments a[href*="/accounts/login/"]', "sign in")
        tap('main a[href*="/accounts/signup/"]', "sign up")
    type_("#id_email", email, "e-mail")
    type_("#id_password1", PASSWORD, "password")
    type_("#id_password2", PASSWORD, "password again")
    tap('main form button[type="submit"]', "sign up")
    mail = _wait_mail(server, email)
    count.emails += 1
    code = re.search(r"^\s*(\d{6}|[A-Z0-9]{4}-[A-Z0-9]{4})\s*$", mail, re.MULTILINE)
    if code and page.locator("#id_code").count():
        type_("#id_code", code.group(1), "the code from the e-mail")
        tap('main form:has(#id_code) button[type="submit"]:not([form])', "confirm")
    else:
        link = re.search(r"(http://\S+/accounts/confirm-email/\S+)", mail)
        assert link, mail[-1500:]
        count.steps.append("open the link in the e-mail")
        page.goto(link.group(1))
        tap('main form button[type="submit"]', "confirm")
    if page.locator("#id_login").count():
        type_("#id_login", email, "e-mail again")
        type_("#id_password", PASSWORD, "password again")
        tap('main form button[type="submit"]', "sign in")
    if not on_section.match(page.url):
        count.taps += 2
        count.steps.append("find the consultation and the section again (2 taps)")
        page.goto(server.url + CONSULTATION + tap_target.split("#")[0].lstrip("/"))
        page.wait_for_load_state()
    if page.locator("#consent-needed a").count():
        tap("#consent-needed a", "read the notice")
        tick('input[name="agree"]', "consent")
        tap('main form button[type="submit"]', "I agree")
    if page.locator("#id_body").input_value() != TEXT:
        write_comment()
    if page.locator("#id_consent").count() and not page.locator("#id_consent").is_checked():
        tick("#id_consent", "consent at the form")
    count.taps += 1
    count.steps.append("tap publish")
    page.locator('#comment-form button[type="submit"]').click()
    page.locator(".comment-body", has_text=TEXT).first.wait_for()
    elapsed = time.perf_counter() - start
    return count, elapsed


def _navigated(count: Path_, frame, page: Page) -> None:
    if frame == page.main_frame:
        count.pages += 1


def _wait_mail(server: Server, email: str, timeout: float = 10) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        text = server.mail_text()
        at = text.rfind(f"To: {email}")
        if at >= 0:
            return text[at:]
        time.sleep(0.1)
    raise SystemExit(f"no e-mail to {email} in the server log")


KINDS = {"document": "HTML", "stylesheet": "CSS", "script": "JS", "font": "fonts"}


def page_weight(browser, server: Server) -> dict[str, tuple[int, int]]:
    context = browser.new_context(**PHONE)
    page = context.new_page()
    sizes: dict[str, list[int]] = {}
    page.on(
        "requestfinished",
        lambda request: _size(sizes, request),
    )
    page.goto(server.url + CONSULTATION, wait_until="load")
    page.wait_for_timeout(500)
    context.close()
    return {kind: (values[0], values[1]) for kind, values in sizes.items()}


def _size(sizes: dict[str, list[int]], request) -> None:
    if request.url.startswith("ws"):
        return
    kind = KINDS.get(request.resource_type, "other")
    response = request.response()
    wire = request.sizes()["responseBodySize"] + request.sizes()["responseHeadersSize"]
    body = len(response.body()) if response is not None else 0
    entry = sizes.setdefault(kind, [0, 0])
    entry[0] += wire
    entry[1] += body


def slow_load(browser, server: Server, latency: int, throughput: float, runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        context = browser.new_context(**PHONE)
        page = context.new_page()
        cdp = context.new_cdp_session(page)
        cdp.send("Network.enable")
        cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
        cdp.send(
            "Network.emulateNetworkConditions",
            {
                "offline": False,
                "latency": latency,
                "downloadThroughput": throughput,
                "uploadThroughput": throughput,
            },
        )
        start = time.perf_counter()
        page.goto(server.url + CONSULTATION, wait_until="load", timeout=120_000)
        times.append(time.perf_counter() - start)
        context.close()
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rev", help="measure the code of this commit (git archive)")
    parser.add_argument("--port", type=int, default=8121)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--skip-weight", action="store_true")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="bench-first-comment-"))
    source = ROOT
    if args.rev:
        source = work / "src"
        source.mkdir()
        archive = subprocess.run(
            ["git", "archive", args.rev], cwd=ROOT, check=True, capture_output=True
        ).stdout
        subprocess.run(["tar", "-x", "-C", str(source)], input=archive, check=True)
    server = Server(source=source, port=args.port, work=work)
    print(f"load average: {Path('/proc/loadavg').read_text().split()[:3]}")
    print(f"code: {args.rev or 'this checkout'}")
    try:
        server.start()
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            context = browser.new_context(**PHONE)
            count, elapsed = first_time_path(context.new_page(), server, "new.person@example.org")
            context.close()
            print("\nFirst-time path on a phone (390 px, JavaScript on)")
            print(f"{'pages loaded':<34}{count.pages:>8}")
            print(f"{'taps (clicks and ticks)':<34}{count.taps:>8}")
            print(f"{'fields typed':<34}{count.fields:>8}")
            print(f"{'times the comment was typed':<34}{count.comment_typed:>8}")
            print(f"{'e-mails opened':<34}{count.emails:>8}")
            print(f"{'page time, arrival to published':<34}{elapsed:>7.1f}s")
            print("steps: " + "; ".join(count.steps))
            if not args.skip_weight:
                weight = page_weight(browser, server)
                print(f"\nConsultation page {CONSULTATION}, first load, cold cache")
                print(f"{'kind':<10}{'on the wire KB':>16}{'decoded KB':>12}")
                for kind in ("HTML", "CSS", "JS", "fonts", "other"):
                    wire, body = weight.get(kind, (0, 0))
                    print(f"{kind:<10}{wire / 1024:>16.1f}{body / 1024:>12.1f}")
                total = sum(w for w, _ in weight.values())
                counted = sum(weight.get(k, (0, 0))[0] for k in ("HTML", "CSS", "JS", "fonts"))
                print(f"{'total':<10}{total / 1024:>16.1f}")
                verdict = "pass" if counted <= 150 * 1024 else "FAIL"
                print(
                    f"HTML+CSS+JS+fonts on the wire: {counted / 1024:.1f} KB (target 150): {verdict}"
                )
                print(f"\n{'connection':<44}{'load median s':>14}{'max s':>8}  target 3 s")
                for name, latency, throughput in PROFILES:
                    times = slow_load(browser, server, latency, throughput, args.runs)
                    median = statistics.median(times)
                    print(
                        f"{name:<44}{median:>14.2f}{max(times):>8.2f}  "
                        f"{'pass' if median <= 3 else 'FAIL'}"
                    )
            browser.close()
    finally:
        server.stop()
        print(f"load average: {Path('/proc/loadavg').read_text().split()[:3]}")
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
