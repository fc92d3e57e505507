"""Server time of the public API on a large consultation, beside the page's post in one run.

Uses the data of ``bench/page_speed.py`` (100,000 comments and 1,000,000 votes; ``--quick``:
5,000 / 50,000), loading it when it is not there yet. Requests go through Django's test
``Client`` in this process (server time, no network), DEBUG off.

    .venv/bin/python bench/api_bench.py
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/consult_bench .venv/bin/python bench/api_bench.py

Scenarios: list comments (first page, and page 50 following the cursors, anonymous), one
consultation, counts; then posting a comment through the page (JSON) and through the API
(personal token), alternating one of each so both see the same data and the same load.
Targets: list comments p95 <= 30 ms; API post p95 within 20 % of the page's.
"""

from __future__ import annotations

import argparse
import contextlib
import itertools
import os
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("RATE_API_READ_IP", "1000000/60")  # the limiter runs; out of reach

import page_speed as ps  # noqa: E402  (sets up Django)
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402

from api.models import ApiToken  # noqa: E402
from api.services import token_create  # noqa: E402

API = "/api/v1"
LIST_TARGET_MS = 30.0
POST_RATIO_TARGET = 1.20


def read_scenarios(loaded: ps.Loaded) -> list[ps.Scenario]:
    slug = loaded.consultation.slug
    client = Client(**ps.HOST)
    cursor = None
    for _ in range(ps.DEEP_PAGE - 1):
        body = client.get(f"{API}/consultations/{slug}/comments", {"cursor": cursor or ""}).json()
        cursor = body["next"]
    deep = {"cursor": cursor}
    return [
        ps.Scenario(
            "API list comments (first page)",
            LIST_TARGET_MS,
            lambda i: client.get(f"{API}/consultations/{slug}/comments"),
            200,
        ),
        ps.Scenario(
            "API list comments (agreed)",
            LIST_TARGET_MS,
            lambda i: client.get(f"{API}/consultations/{slug}/comments", {"sort": "agreed"}),
            200,
        ),
        ps.Scenario(
            f"API list comments (page {ps.DEEP_PAGE})",
            LIST_TARGET_MS,
            lambda i: client.get(f"{API}/consultations/{slug}/comments", deep),
            200,
        ),
        ps.Scenario(
            "API consultation", None, lambda i: client.get(f"{API}/consultations/{slug}"), 200
        ),
        ps.Scenario(
            "API counts", None, lambda i: client.get(f"{API}/consultations/{slug}/counts"), 200
        ),
    ]


def post_scenarios(loaded: ps.Loaded, n: int, warmup: int) -> tuple[list[ps.Scenario], ps.Writes]:
    """The page's JSON post (from page_speed) and the API's, each from its own people."""
    page_scenarios, writes = ps.write_scenarios(loaded, n, warmup)
    page_post = next(s for s in page_scenarios if s.name == "post comment (JSON)")
    slug = loaded.consultation.slug
    rng = random.Random(ps.SEED + 7)
    people = loaded.people[-(n + warmup) :]
    tokens = [token_create(user=u, name="bench", scope="write", days=1)[1] for u in people]
    clients = [
        Client(
            **ps.HOST,
            REMOTE_ADDR=f"10.9.{k // 256 % 256}.{k % 256}",
            HTTP_AUTHORIZATION=f"Bearer {t}",
        )
        for k, t in enumerate(tokens)
    ]
    bodies = [ps.make_body(rng) for _ in range(len(clients))]
    number = itertools.count()

    def api_post(_i: int):  # noqa: ANN202
        k = next(number) % len(clients)
        return clients[k].post(
            f"{API}/consultations/{slug}/comments",
            {"body": bodies[k], "stance": "neutral"},
            content_type="application/json",
        )

    return [
        ps.Scenario("page post comment (JSON)", None, page_post.request, 201),
        ps.Scenario("API post comment (token)", None, api_post, 201),
    ], writes


def alternate(pair: list[ps.Scenario], n: int, warmup: int) -> list[ps.Result]:
    """Measure two scenarios one request each in turn, so both see the same conditions."""
    results = [ps.Result(s.name, s.target) for s in pair]
    for i in range(warmup):
        for s in pair:
            ps.check(s, s.request(i))
    for i in range(n):
        for s, r in zip(pair, results, strict=True):
            one = ps.measure(
                ps.Scenario(s.name, s.target, lambda _j, s=s, i=i: s.request(i), s.expect), 1, 0
            )
            r.samples += one.samples
            r.db += one.db
            r.cpu += one.cpu
            r.queries += one.queries
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--n", type=int, default=None)
    parser.add_argument("--warmup", type=int, default=20)
    args = parser.parse_args()
    size = ps.QUICK if args.quick else ps.FULL
    n = args.n or (50 if args.quick else 200)
    call_command("migrate", verbosity=0, interactive=False)
    loaded = ps.load_or_reuse(size, reload=False)
    print(f"database: {ps.database_version()} ({connection.settings_dict['NAME']})")
    for line in ps.describe_data(loaded):
        print(f"  {line}")
    load_before = os.getloadavg()[0]
    results: list[ps.Result] = []
    with contextlib.ExitStack() as stack:
        stack.enter_context(ps.ServerLoop())
        stack.callback(ps.log_out_everyone)
        for scenario in read_scenarios(loaded):
            results.append(ps.measure(scenario, n, args.warmup))
            print(f"  {scenario.name}: p95 {results[-1].p95:.1f} ms", flush=True)
        pair, writes = post_scenarios(loaded, n, args.warmup)
        stack.callback(ps.undo_writes, loaded, writes)
        stack.callback(lambda: ApiToken.objects.filter(name="bench").delete())
        page, api = alternate(pair, n, args.warmup)
        results += [page, api]
    print(
        f"\nload average {load_before:.1f} at the start, {os.getloadavg()[0]:.1f} at the end"
        f" ({os.cpu_count()} CPUs)"
    )
    ps.print_table(results)
    ratio = api.p95 / page.p95 if page.p95 else float("inf")
    median_ratio = api.p50 / page.p50 if page.p50 else float("inf")
    print(
        f"\nAPI post / page post: p95 {ratio:.2f}, median {median_ratio:.2f} "
        f"(target <= {POST_RATIO_TARGET:.2f}): {'pass' if ratio <= POST_RATIO_TARGET else 'FAIL'}"
    )


if __name__ == "__main__":
    main()
