"""python manage.py load_demo_report — a published hearing report on the closed demo hearing.

Run by ``load_demo`` (idempotent). The closed Thai consultation ``sme-tax-principles`` gets
sections, comments (web, and a form letter sent by six people), replies, votes and positions,
an analysis run, and a report drafted by the Revenue Department's editor, answered issue by
issue and approved by the admin (a second person).
"""

from __future__ import annotations

import json
import random
from datetime import timedelta
from pathlib import Path

from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from analytics.services import analyze_now
from comments.services import comment_create, vote_cast
from consult.models import User
from reports import services
from reports.models import Decision, Report
from topics.management.commands.load_demo import DEMO_TOTP_SECRET, make_user
from topics.models import Consultation, Membership, Role, Section
from topics.services import position_set

DATA = Path(__file__).resolve().parents[2] / "demo_sme_tax.json"
SLUG = "sme-tax-principles"


class Command(BaseCommand):
    help = "Publish a hearing report on the closed demo consultation."

    def handle(self, *args, **options) -> None:
        consultation = Consultation.objects.filter(slug=SLUG).select_related("agency").first()
        if consultation is None:
            self.stdout.write(f"({SLUG} not loaded; no demo report.)")
            return
        if Report.objects.filter(consultation=consultation).exists():
            return
        data = json.loads(DATA.read_text(encoding="utf-8"))
        editor = make_user("editor-rd@example.org", "บรรณาธิการ สรรพากร")
        Membership.objects.get_or_create(user=editor, agency=consultation.agency, role=Role.EDITOR)
        if not Authenticator.objects.filter(user=editor, type=Authenticator.Type.TOTP).exists():
            TOTP.activate(editor, DEMO_TOTP_SECRET)  # the demo staff's shared second factor
        admin = User.objects.filter(is_superuser=True).order_by("id").first()
        if admin is None:
            admin = make_user("admin@example.org", "ผู้ดูแลระบบ", staff=True)
        self.hearing(consultation, data)
        run = analyze_now(consultation=consultation, requested_by=editor)
        report = services.report_create(actor=editor, consultation=consultation, run=run)
        responses = data["responses"]
        for issue in report.issues.select_related("report"):
            key = next((k for k in responses if k != "default" and issue.title.startswith(k)), "")
            decision, reasons, change = responses[key or "default"]
            section = (
                Section.objects.filter(consultation=consultation, number=key).first()
                if decision in (Decision.ACCEPTED, Decision.PARTLY)
                else None
            )
            services.issue_respond(
                actor=editor,
                issue=issue,
                decision=decision,
                reasons=reasons,
                change_section=section,
                change=change,
            )
        services.report_submit(actor=editor, report=report)
        services.report_publish(actor=admin, report=report)
        self.stdout.write(
            f"Published the hearing report of {SLUG} (v{report.version}, run {run.pk}); "
            "its editor: editor-rd@example.org (same password and second factor as the other staff)"
        )

    @transaction.atomic
    def hearing(self, consultation: Consultation, data: dict) -> None:
        """Comments, votes and positions, posted while the hearing was open (it is reopened
        for the moment of loading, then closed again at its own date)."""
        if Section.objects.filter(consultation=consultation).exists():
            return
        rng = random.Random(2567)
        closes = consultation.closes_at
        opens = consultation.opens_at
        Consultation.objects.filter(pk=consultation.pk).update(
            closes_at=timezone.now() + timedelta(hours=1)
        )
        consultation.refresh_from_db()
        sections = [
            Section.objects.create(consultation=consultation, position=i, **s)
            for i, s in enumerate(data["sections"])
        ]
        people = [make_user(f"sme{i:02d}@example.org", f"ผู้ประกอบการ {i + 1}") for i in range(24)]
        span = (closes - opens).total_seconds()
        comments = []
        items = list(data["comments"])
        for n, item in enumerate(items):
            comments.append(
                comment_create(
                    consultation=consultation,
                    author=people[n % len(people)],
                    body=item["text"],
                    stance=item["stance"],
                    section=sections[item["s"]] if item["s"] is not None else None,
                    created_at=opens + timedelta(seconds=span * (n + 1) / (len(items) + 8)),
                )
            )
        campaign = data["campaign"]
        for k in range(campaign["count"]):
            comments.append(
                comment_create(
                    consultation=consultation,
                    author=people[(len(items) + k) % len(people)],
                    body=campaign["text"],
                    stance=campaign["stance"],
                    section=sections[campaign["s"]],
                    created_at=opens + timedelta(seconds=span * (0.6 + k / 50)),
                )
            )
        comment_create(
            consultation=consultation,
            author=people[3],
            body="เห็นด้วยครับ ร้านผมจ่ายค่าโปรแกรมขายหน้าร้านเดือนละห้าร้อยบาท",
            stance="support",
            parent=comments[1],
            created_at=comments[1].created_at + timedelta(hours=5),
        )
        for person in people:
            for comment in rng.sample(comments, 14):
                if comment.author_id != person.pk:
                    vote_cast(comment=comment, user=person, value=rng.choice([1, 1, 1, -1, 0]))
        for i, person in enumerate(people):
            position_set(
                consultation=consultation,
                user=person,
                value=["support", "support", "oppose", "undecided"][i % 4],
            )
        Consultation.objects.filter(pk=consultation.pk).update(closes_at=closes)
