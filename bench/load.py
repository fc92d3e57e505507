"""Load for the cluster benchmarks: seeded people with sessions, and clients that post comments
and votes the way a browser behind a proxy would (a request that fails on one process is sent
to the other; a 503 or a dropped connection is retried with the same token)."""

from __future__ import annotations

import json
import random
import string
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from dataclasses import dataclass, field

from bench.cluster import Cluster

SEED = r"""
import json
from datetime import timedelta
from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.utils import timezone
from accounts.models import Consent
from consult.models import User
from topics.models import Agency, Consultation

now = timezone.now()
agency, _ = Agency.objects.get_or_create(
    slug="bench", defaults={"name_th": "หน่วยงานทดสอบ", "name_en": "Bench agency"})
c, _ = Consultation.objects.get_or_create(
    slug="bench-live", defaults=dict(agency=agency, title="ร่างทดสอบภาระ", summary="s",
    kind="draft_act", category="health", opens_at=now - timedelta(days=1),
    closes_at=now + timedelta(days=20), published_at=now - timedelta(days=2)))
out = {"consultation": c.pk, "slug": c.slug, "sessions": []}
for i in range(N_USERS):
    email = f"bench{i}@example.org"
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create_user(username=email, email=email, password=None,
                                        display_name=f"Bench {i}")
        EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
        Consent.objects.create(user=user, notice_version=settings.CONSENT_NOTICE_VERSION,
                               language="th")
    s = SessionStore()
    s[SESSION_KEY] = str(user.pk)
    s[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    s[HASH_SESSION_KEY] = user.get_session_auth_hash()
    s.create()
    out["sessions"].append(s.session_key)
print("SEED" + json.dumps(out))
"""

LETTERS = string.ascii_letters

LOAD_ENV = {
    "RATE_COMMENT_USER": "100000/60",
    "RATE_COMMENT_IP": "1000000/60",
    "RATE_VOTE_USER": "100000/60",
    "RATE_VOTE_IP": "1000000/60",
    "ANALYTICS_AUTO_RUN_NEW_COMMENTS": "0",
}


def seed(cluster: Cluster, users: int) -> dict:
    out = cluster.manage("shell", "-c", SEED.replace("N_USERS", str(users)))
    return json.loads(out[out.index("SEED") + 4 :].strip().splitlines()[0])


@dataclass
class Person:
    session: str
    csrf: str = "benchcsrftoken0123456789abcdefAB"  # any 32 letters: cookie = header

    @property
    def cookie(self) -> str:
        return f"sessionid={self.session}; csrftoken={self.csrf}"


@dataclass
class Tally:
    acknowledged: dict[str, int] = field(default_factory=dict)  # token -> comment id
    statuses: Counter = field(default_factory=Counter)
    errors: Counter = field(default_factory=Counter)
    attempts_per_post: Counter = field(default_factory=Counter)
    refused: Counter = field(default_factory=Counter)
    lock: threading.Lock = field(default_factory=threading.Lock)
    events: list[tuple[float, int]] = field(default_factory=list)  # (time, status or 0)


def _post(url: str, person: Person, data: dict, timeout: float = 10) -> tuple[int, str]:
    body = urllib.parse.urlencode(data).encode()
    request = urllib.request.Request(
        url,
        data=body,
        headers={
            "Cookie": person.cookie,
            "X-CSRFToken": person.csrf,
            "Accept": "application/json",
            "Referer": url,
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            return response.status, response.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode(errors="replace")


def _reason(body: str) -> str:
    try:
        errors = json.loads(body).get("errors", {})
        return ",".join(
            e.get("code") or e.get("message", "?")[:50] for v in errors.values() for e in v
        )
    except (ValueError, AttributeError):
        return body[:40]


def post_comments(
    cluster: Cluster,
    people: list[Person],
    slug: str,
    *,
    rate: float,
    seconds: float,
    tally: Tally,
    marker: str,
    threads: int = 24,
) -> None:
    """Post ``rate`` comments a second for ``seconds``; each is retried with its token until
    acknowledged (as a browser's script would), on the other process when one is down."""
    deadline = time.monotonic() + seconds
    interval = threads / rate
    n_servers = cluster.n_asgi

    def client(k: int) -> None:
        rng = random.Random(k)
        next_at = time.monotonic() + rng.random() * interval
        while True:
            now = time.monotonic()
            if now >= deadline:
                return
            time.sleep(max(0.0, next_at - now))
            next_at += interval
            person = people[rng.randrange(len(people))]
            # Letters only: digit runs could be masked as phone or ID numbers by screening.
            token = "".join(rng.choice(LETTERS) for _ in range(24))
            data = {
                "body": f"{marker} {token} ความเห็นทดสอบภาระ",
                "stance": rng.choice(["support", "oppose", "neutral"]),
                "token": token,
            }
            server = rng.randrange(n_servers)
            for attempt in range(1, 40):
                url = cluster.url(server) + f"/c/{slug}/comments/"
                try:
                    status, body = _post(url, person, data)
                except OSError as exc:  # refused, reset, timed out: the proxy tries another
                    status, body = 0, type(exc).__name__
                with tally.lock:
                    tally.statuses[status] += 1
                    tally.events.append((time.monotonic(), status))
                    if status == 0:
                        tally.errors[body] += 1
                if status == 201:
                    with tally.lock:
                        tally.acknowledged[token] = json.loads(body)["id"]
                        tally.attempts_per_post[attempt] += 1
                    break
                if status in (400, 403, 429):
                    with tally.lock:
                        tally.refused[_reason(body)] += 1
                    break  # refused for good (flooding, duplicate): not a lost post
                server = (server + 1) % n_servers
                time.sleep(0.5 if status else 0.2)

    workers = [threading.Thread(target=client, args=(k,), daemon=True) for k in range(threads)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()


def count_in_database(cluster: Cluster, marker: str, acknowledged: dict[str, int]) -> dict:
    """Acknowledged posts missing from the database (by id and by token), and tokens stored
    more than once."""
    import psycopg

    with psycopg.connect(cluster.database_url) as conn:
        rows = conn.execute(
            "SELECT id, body FROM comments_comment WHERE body LIKE %s", (marker + " %",)
        ).fetchall()
        ids = {
            pk
            for (pk,) in conn.execute(
                "SELECT id FROM comments_comment WHERE id = ANY(%s)", (list(acknowledged.values()),)
            ).fetchall()
        }
    tokens = Counter(body.split()[1] for _pk, body in rows)
    missing = {t for t, pk in acknowledged.items() if pk not in ids or t not in tokens}
    return {"lost": len(missing), "duplicated": sum(n - 1 for n in tokens.values())}
