"""python manage.py load_demo — demo consultations, comments, votes and logins (idempotent).

Loads a Thai draft act with sections, comments, replies and votes, an upcoming and a closed
consultation (with its published hearing report, when the reports app is installed), and the four real Polis conversations from ``DEMO_DATA_DIR/polis`` (CC BY 4.0).
"""

from __future__ import annotations

import functools
import json
import random
from datetime import timedelta
from pathlib import Path

from allauth.account.models import EmailAddress
from django.apps import apps
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from comments.models import Channel, Comment
from comments.services import comment_create, vote_cast
from consult.models import User
from topics.models import Agency, Consultation, Section
from topics.services import position_set

DEMO_DIR = Path(__file__).resolve().parents[2] / "demo"
PASSWORD = "consult-demo-2569"
DEMO_TOTP_SECRET = "JBSWY3DPEHPK3PXP"  # demo data only; real staff set up their own
DISPLAY_NAMES = [
    "สมชาย ใจดี",
    "มาลี เชียงใหม่",
    "ธนพล ชาวนา",
    "อรุณี SME",
    "ครูวิภา",
    "หมอปรีชา",
    "นิพนธ์ สหกรณ์",
    "กานดา ส่งออก",
    "วีระ ลำพูน",
    "ดร.สุนีย์",
]
POLIS = {
    "15-per-hour-seattle": "other",
    "brexit-consensus": "participation",
    "canadian-electoral-reform": "participation",
    "scoop-hivemind.biodiversity": "agriculture",
}


@functools.cache
def _hashed(password: str) -> str:
    return make_password(password)


def make_user(
    email: str, display_name: str, *, staff: bool = False, password: str | None = PASSWORD
) -> User:
    user, created = User.objects.get_or_create(
        username=email, defaults={"email": email, "display_name": display_name}
    )
    if created:
        if password:
            user.password = _hashed(password)
        else:
            user.set_unusable_password()
        user.is_staff = user.is_superuser = staff
        user.save()
        EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    return user


class Command(BaseCommand):
    help = "Load demo consultations (Thai and English), comments, votes and logins."

    def handle(self, *args, **options) -> None:
        rng = random.Random(2569)
        admin = make_user("admin@example.org", "ผู้ดูแลระบบ", staff=True)
        citizens = [
            make_user(f"citizen{i}@example.org", name) for i, name in enumerate(DISPLAY_NAMES)
        ]
        voters = [make_user(f"voter{i:02d}@example.org", "", password=None) for i in range(40)]
        self.load_clean_air(rng, citizens, voters)
        load_moderation_demo()
        self.load_small_ones()
        self.load_polis()
        staff = self.load_staff(admin)
        if apps.is_installed("reports"):  # the app above: named, never imported
            call_command("load_demo_report", stdout=self.stdout)
        self.stdout.write(
            "\nDemo logins (password for all: %s)\n"
            "  citizen:   citizen0@example.org  (สมชาย ใจดี; citizen1..9 also work)\n"
            "  admin:     %s  (Django admin at /admin/)\n" % (PASSWORD, admin.email)
        )
        for email, what in staff:
            self.stdout.write(f"  {what:<10} {email}\n")
        self.stdout.write(
            "Staff sign in with a second factor. Demo only: every staff login shares the TOTP\n"
            f"secret {DEMO_TOTP_SECRET} (add it to an authenticator app, or print a code with\n"
            '  python manage.py shell -c "from allauth.mfa.totp.internal.auth import *; import time; '
            f"print(format_hotp_value(hotp_value('{DEMO_TOTP_SECRET}', int(time.time())//30)))\")\n"
        )

    def load_staff(self, admin: User) -> list[tuple[str, str]]:
        """An editor and an analyst of the Pollution Control Department, a platform moderator;
        all staff (the admin too) get the demo TOTP secret so the second factor can be tried."""
        from allauth.mfa.models import Authenticator
        from allauth.mfa.totp.internal.auth import TOTP

        from topics.models import Membership, Role

        pcd = Agency.objects.filter(slug="pcd").first()
        people = [
            ("editor@example.org", "บรรณาธิการ คพ.", Role.EDITOR, pcd, "editor:"),
            ("analyst@example.org", "นักวิเคราะห์ คพ.", Role.ANALYST, pcd, "analyst:"),
            ("moderator@example.org", "ผู้ดูแลการสนทนา", Role.MODERATOR, None, "moderator:"),
        ]
        listed = []
        for email, name, role, agency, label in people:
            if role != Role.MODERATOR and agency is None:
                continue
            user = make_user(email, name)
            Membership.objects.get_or_create(user=user, agency=agency, role=role)
            listed.append((email, label))
        for user in User.objects.filter(
            username__in=[admin.username] + [email for email, _label in listed]
        ):
            if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
                TOTP.activate(user, DEMO_TOTP_SECRET)
        return listed

    @transaction.atomic
    def load_clean_air(self, rng: random.Random, citizens: list[User], voters: list[User]) -> None:
        data = json.loads((DEMO_DIR / "clean_air_act.json").read_text(encoding="utf-8"))
        if Consultation.objects.filter(slug=data["slug"]).exists():
            return
        agency, _ = Agency.objects.get_or_create(
            slug=data["agency"]["slug"], defaults=data["agency"]
        )
        now = timezone.now()
        opens = now - timedelta(days=data["opens_days_ago"])
        consultation = Consultation.objects.create(
            agency=agency,
            slug=data["slug"],
            title=data["title"],
            summary=data["summary"],
            body=data["body"],
            language="th",
            kind=data["kind"],
            category=data["category"],
            opens_at=opens,
            closes_at=opens + timedelta(days=data["days"]),
            published_at=opens - timedelta(days=1),
        )
        sections = [
            Section.objects.create(consultation=consultation, position=i, **s)
            for i, s in enumerate(data["sections"])
        ]
        span = (now - opens).total_seconds()
        for n, item in enumerate(data["comments"]):
            when = opens + timedelta(
                seconds=span * (n + rng.random()) / (len(data["comments"]) + 1)
            )
            comment = comment_create(
                consultation=consultation,
                author=citizens[item["who"]],
                body=item["text"],
                stance=item["stance"],
                section=sections[item["section"]] if item["section"] is not None else None,
                created_at=when,
            )
            self.vote(rng, comment, voters, item.get("votes", [3, 1, 1]))
            for k, reply in enumerate(item.get("replies", [])):
                r = comment_create(
                    consultation=consultation,
                    author=citizens[reply["who"]],
                    body=reply["text"],
                    stance=reply["stance"],
                    parent=comment,
                    created_at=when + timedelta(hours=3 * (k + 1)),
                )
                self.vote(rng, r, voters, [rng.randint(2, 9), rng.randint(0, 3), rng.randint(0, 2)])
        for i, person in enumerate(citizens + voters[:20]):
            position_set(
                consultation=consultation,
                user=person,
                value=["support", "support", "oppose", "undecided", "support"][i % 5],
            )
        self.stdout.write(f"Loaded {consultation.slug}: {consultation.comments.count()} comments")

    def vote(
        self, rng: random.Random, comment: Comment, voters: list[User], counts: list[int]
    ) -> None:
        others = [v for v in voters if v.pk != comment.author_id]  # no vote on one's own
        pool = rng.sample(others, min(len(others), sum(counts)))
        values = [1] * counts[0] + [-1] * counts[1] + [0] * counts[2]
        for voter, value in zip(pool, values, strict=False):
            vote_cast(comment=comment, user=voter, value=value)

    @transaction.atomic
    def load_small_ones(self) -> None:
        now = timezone.now()
        moe, _ = Agency.objects.get_or_create(
            slug="moe", defaults={"name_th": "กระทรวงศึกษาธิการ", "name_en": "Ministry of Education"}
        )
        if not Consultation.objects.filter(slug="school-meals").exists():
            Consultation.objects.create(
                agency=moe,
                slug="school-meals",
                title="ร่างระเบียบกระทรวงศึกษาธิการว่าด้วยอาหารกลางวันในโรงเรียน พ.ศ. ....",
                summary="ปรับปรุงมาตรฐานโภชนาการและงบประมาณอาหารกลางวันนักเรียน ชั้นอนุบาลถึงมัธยมศึกษาตอนต้น",
                kind="subordinate",
                category="education",
                language="th",
                opens_at=now + timedelta(days=3),
                closes_at=now + timedelta(days=18),
                published_at=now - timedelta(days=1),
            )
        if not Consultation.objects.filter(slug="sme-tax-principles").exists():
            rd, _ = Agency.objects.get_or_create(
                slug="rd", defaults={"name_th": "กรมสรรพากร", "name_en": "Revenue Department"}
            )
            c = Consultation.objects.create(
                agency=rd,
                slug="sme-tax-principles",
                title="หลักการร่างกฎหมายลดหย่อนภาษีสำหรับวิสาหกิจขนาดกลางและขนาดย่อม",
                summary="หลักการให้สิทธิประโยชน์ทางภาษีแก่ SME ที่ลงทุนในเทคโนโลยีดิจิทัลและการฝึกอบรมพนักงาน",
                kind="principles",
                category="sme",
                language="th",
                opens_at=now - timedelta(days=40),
                closes_at=now - timedelta(days=25),
                published_at=now - timedelta(days=41),
            )
            for text, stance in [
                ("ควรรวมค่าใช้จ่ายซอฟต์แวร์บัญชีแบบรายเดือนให้หักได้สองเท่าด้วย", "suggestion"),
                ("เห็นด้วย ร้านค้าเล็ก ๆ จะได้กล้าลงทุนระบบชำระเงินออนไลน์", "support"),
                ("เงื่อนไขยื่นเอกสารยุ่งยากเกินไปสำหรับกิจการที่ไม่มีนักบัญชี", "oppose"),
            ]:
                comment_create(
                    consultation=c,
                    author=None,
                    author_name="เวทีรับฟัง ขอนแก่น",
                    body=text,
                    stance=stance,
                    channel=Channel.OFFLINE,
                    created_at=now - timedelta(days=30),
                )

    def load_polis(self) -> None:
        root = Path(getattr(settings, "DEMO_DATA_DIR", "")) / "polis"
        if not root.is_dir():
            self.stdout.write(f"(Polis sample data not found at {root}; skipped.)")
            return
        for folder, category in POLIS.items():
            slug = folder.replace(".", "-")
            if Consultation.objects.filter(slug=slug).exists() or not (root / folder).is_dir():
                continue
            call_command("import_polis", str(root / folder), slug=slug, stdout=self.stdout)
            Consultation.objects.filter(slug=slug).update(category=category)


@transaction.atomic
def load_moderation_demo() -> None:
    """A platform moderator, and a few held and reported comments in the Thai demo."""
    from moderation.models import Flag
    from moderation.services import flag_create
    from topics.models import Membership

    moderator = make_user("moderator@example.org", "ผู้ดูแลการรับฟัง")
    Membership.objects.get_or_create(user=moderator, agency=None, role="moderator")
    consultation = Consultation.objects.filter(language="th", comments__isnull=False).first()
    if consultation is None or Flag.objects.filter(comment__consultation=consultation).exists():
        return
    now = timezone.now()
    people = [make_user(f"demo-mod{i}@example.org", f"ผู้ร่วมแสดงความเห็น {i}") for i in range(6)]
    for i, text in enumerate(
        [
            "ไอ้ควาย ข้าราชการโง่ ร่างนี้ห่วยแตก",
            "สนใจสินค้าลดราคา คลิก bit.ly/abc123 และ tinyurl.com/xyz789 ด่วน",
            "พวกมึงมันเหี้ย ออกกฎหมายแบบนี้",
        ]
    ):
        comment_create(
            consultation=consultation,
            author=people[i],
            body=text,
            created_at=now - timedelta(hours=5 - i),
        )
    target = (
        Comment.objects.filter(consultation=consultation, status="published", parent__isnull=True)
        .order_by("id")
        .first()
    )
    for person, reason in zip(people[3:5], ["off_topic", "misinformation"], strict=True):
        if target is not None and target.author_id != person.pk:
            flag_create(comment=target, user=person, reason=reason)
