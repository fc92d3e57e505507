"""The permission matrix: every endpoint x every role x every consultation state.

Each row of ``ALLOWED`` says, for one endpoint, in which states each role succeeds; every other
(role, state) cell must be refused, with no effect in the database. A test runs one endpoint in
one state for all nine roles (each with a fresh consultation), and reports every wrong cell.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

import pytest
from asgiref.sync import async_to_sync
from channels.routing import URLRouter
from channels.testing import WebsocketCommunicator
from django.test import Client
from django.utils import timezone

from accounts.models import IdentityVerification
from comments.models import Comment, Vote
from comments.routing import websocket_urlpatterns
from comments.services import comment_create
from topics.models import Agency, Answer, Consultation, Position, Question

ROLES = [
    "anonymous",
    "unverified",
    "citizen",
    "verified_citizen",
    "editor",
    "other_editor",
    "analyst",
    "moderator",
    "agency_moderator",
    "staff_flag",
    "editor_no_second_factor",
    "admin",
]
STATES = ["draft", "upcoming", "open", "closed"]
ALL = set(STATES)
PUBLISHED = {"upcoming", "open", "closed"}
PARTICIPANTS = {
    "citizen",
    "verified_citizen",
    "editor",
    "other_editor",
    "analyst",
    "moderator",
    "agency_moderator",
    "staff_flag",
    "editor_no_second_factor",
    "admin",
}
AGENCY_STAFF = {"editor", "analyst", "admin"}
EDITORS = {"editor", "admin"}


def allowed(**cells: set[str]) -> dict[str, set[str]]:
    """role -> states; roles not named are refused everywhere."""
    return {role: cells.get(role, set()) for role in ROLES}


def everyone(states: set[str], roles=ROLES) -> dict[str, set[str]]:
    return {role: (states if role in roles else set()) for role in ROLES}


def view_rights() -> dict[str, set[str]]:
    rights = everyone(PUBLISHED)
    for role in AGENCY_STAFF:
        rights[role] = ALL
    return rights


ALLOWED: dict[str, dict[str, set[str]]] = {
    "page": view_rights(),
    "websocket": view_rights(),
    "comment": everyone({"open"}, PARTICIPANTS),
    "comment_needs_identity": allowed(verified_citizen={"open"}),
    "vote": everyone({"open"}, PARTICIPANTS),
    "vote_needs_identity": allowed(verified_citizen={"open"}),
    "position": everyone({"open"}, PARTICIPANTS),
    "answers": everyone({"open"}, PARTICIPANTS),
    "answers_csv": everyone(ALL, AGENCY_STAFF),
    "workspace_agency": everyone(ALL, AGENCY_STAFF),
    "workspace_manage": everyone(ALL, AGENCY_STAFF),
    "workspace_preview": everyone(ALL, AGENCY_STAFF),
    "workspace_create": everyone(ALL, EDITORS),
    "workspace_edit": everyone({"draft", "upcoming"}, EDITORS),
    "workspace_publish": everyone({"draft"}, EDITORS),
    "workspace_extend": everyone({"upcoming", "open"}, EDITORS),
    "workspace_close": everyone({"open"}, EDITORS),
    "perm_view_analysis": everyone(ALL, AGENCY_STAFF),
    "perm_moderate": everyone(ALL, {"moderator", "agency_moderator", "admin"}),
    # suspensions reach every agency: platform moderators and admins only
    "suspend": everyone(PUBLISHED, {"moderator", "admin"}),
    "lift_suspension": everyone(PUBLISHED, {"moderator", "admin"}),
    # the admin's own password form is never served: it sends everyone to allauth
    "admin_login_form": allowed(),
    "my_data_download": everyone(ALL, set(ROLES) - {"anonymous"}),
    "audit_log_admin": allowed(admin=ALL),
}


@dataclass
class Cell:
    role: str
    state: str
    user: object
    client: Client
    consultation: Consultation
    comment: Comment


@pytest.fixture
def other_agency(db):
    return Agency.objects.create(slug="doe", name_th="กรมพลังงาน", name_en="Dept of Energy")


@pytest.fixture
def people(make_user, make_staff, other_agency, admin_user):
    verified = make_user("verified_citizen")
    IdentityVerification.objects.create(user=verified, provider="thaid", id_hash="a" * 64)
    return _mark_sessions(
        {
            "anonymous": None,
            "unverified": make_user("unverified", verified=False),
            "citizen": make_user("citizen"),
            "verified_citizen": verified,
            "editor": make_staff("editor", "editor"),
            "other_editor": make_staff("other_editor", "editor", agency_obj=other_agency),
            "analyst": make_staff("analyst", "analyst"),
            "moderator": make_staff("moderator", "moderator", platform=True),
            "agency_moderator": make_staff("agency_moderator", "moderator"),
            # Django's is_staff flag (and a second factor) but no role in any agency
            "staff_flag": make_user("staff_flag", is_staff=True, mfa=True),
            "editor_no_second_factor": make_staff("editor_no_second_factor", "editor"),
            "admin": _consented(admin_user),
        }
    )


def _mark_sessions(people: dict) -> dict:
    """Each person as their session sees them: the second factor passed by everyone who has
    one, except the editor who signed in with the password only (the WebSocket and
    permission runners use these user objects directly)."""
    from accounts.selectors import has_mfa, mark_session_mfa

    for role, user in people.items():
        if user is not None:
            mark_session_mfa(user, role != "editor_no_second_factor" and has_mfa(user))
    return people


def _consented(user):
    from django.conf import settings

    from accounts.models import Consent

    Consent.objects.create(user=user, notice_version=settings.CONSENT_NOTICE_VERSION, language="th")
    return user


JSON = {"HTTP_ACCEPT": "application/json"}


def _status(response, ok: set[int]) -> tuple[bool, str]:
    return response.status_code in ok, f"HTTP {response.status_code}"


def run_page(c: Cell):
    return _status(c.client.get(c.consultation.get_absolute_url()), {200})


def run_websocket(c: Cell):
    async def go():
        comm = WebsocketCommunicator(
            URLRouter(websocket_urlpatterns), f"/ws/consultations/{c.consultation.pk}/"
        )
        if c.user is not None:
            comm.scope["user"] = c.user
        else:
            from django.contrib.auth.models import AnonymousUser

            comm.scope["user"] = AnonymousUser()
        connected, code = await comm.connect(timeout=5)
        await comm.disconnect()
        return connected, f"connected={connected} code={code}"

    return async_to_sync(go)()


def run_comment(c: Cell):
    before = Comment.objects.filter(consultation=c.consultation).count()
    response = c.client.post(
        f"/c/{c.consultation.slug}/comments/", {"body": "ความเห็น", "stance": "support"}, **JSON
    )
    created = Comment.objects.filter(consultation=c.consultation).count() - before
    if response.status_code == 201 and created == 1:
        return True, "created"
    assert created == 0, "refused but a comment was written"
    return False, f"HTTP {response.status_code}"


def run_vote(c: Cell):
    response = c.client.post(f"/comments/{c.comment.pk}/vote/", {"value": "1"}, **JSON)
    voted = Vote.objects.filter(comment=c.comment).exists()
    if response.status_code == 200 and voted:
        return True, "voted"
    assert not voted, "refused but a vote was written"
    return False, f"HTTP {response.status_code}"


def run_position(c: Cell):
    response = c.client.post(f"/c/{c.consultation.slug}/position/", {"value": "support"}, **JSON)
    taken = Position.objects.filter(consultation=c.consultation).exists()
    if response.status_code == 200 and taken:
        return True, "recorded"
    assert not taken, "refused but a position was written"
    return False, f"HTTP {response.status_code}"


def run_answers(c: Cell):
    question = Question.objects.create(consultation=c.consultation, kind="yes_no", prompt="?")
    response = c.client.post(
        f"/c/{c.consultation.slug}/answers/", {f"q{question.pk}": "yes"}, **JSON
    )
    answered = Answer.objects.filter(question=question).exists()
    if response.status_code == 200 and answered:
        return True, "recorded"
    assert not answered, "refused but an answer was written"
    return False, f"HTTP {response.status_code}"


def _refusal(c: Cell, *, of_consultation: bool = True) -> set[int]:
    """A draft the person may not see is "not found" (404) whoever asks, so status codes do not
    reveal draft slugs; a published consultation asks for a login or refuses (403)."""
    if c.role == "editor_no_second_factor":
        return {302}  # sent to the second-factor step first
    if of_consultation and c.state == "draft" and c.role not in AGENCY_STAFF:
        return {404}
    return {302} if c.user is None else {403}


def _workspace_get(path: str) -> Callable[[Cell], tuple[bool, str]]:
    def run(c: Cell):
        response = c.client.get(path.format(slug=c.consultation.slug, agency="pcd"))
        if response.status_code == 200:
            return True, "200"
        expected = _refusal(c, of_consultation="{slug}" in path)
        assert response.status_code in expected, f"refusal was HTTP {response.status_code}"
        return False, f"HTTP {response.status_code}"

    return run


def _workspace_post(action: str, data: Callable[[Consultation], dict], changed) -> Callable:
    def run(c: Cell):
        before = Consultation.objects.get(pk=c.consultation.pk)
        response = c.client.post(f"/workspace/c/{c.consultation.slug}/{action}/", data(before))
        after = Consultation.objects.get(pk=c.consultation.pk)
        if changed(before, after):
            assert response.status_code == 302
            return True, "changed"
        expected = _refusal(c)
        assert response.status_code in expected, f"refusal was HTTP {response.status_code}"
        return False, f"HTTP {response.status_code}"

    return run


def _local(dt) -> str:
    return timezone.localtime(dt).strftime("%Y-%m-%dT%H:%M")


run_workspace_publish = _workspace_post(
    "publish", lambda c: {}, lambda b, a: b.published_at is None and a.published_at is not None
)
run_workspace_extend = _workspace_post(
    "extend",
    lambda c: {"closes_at": _local(c.closes_at + timedelta(days=7)), "reason": "More time"},
    lambda b, a: a.closes_at > b.closes_at,
)
run_workspace_close = _workspace_post(
    "close", lambda c: {"reason": "Law withdrawn"}, lambda b, a: a.closes_at < b.closes_at
)


def _perm(name: str):
    def run(c: Cell):
        from django.contrib.auth.models import AnonymousUser

        user = c.user or AnonymousUser()
        return user.has_perm(name, c.consultation), "perm"

    return run


def run_my_data(c: Cell):
    response = c.client.get("/me/data/download/")
    if response.status_code == 200:
        assert response["Content-Type"].startswith("application/json")
        return True, "200"
    assert response.status_code == 302
    return False, "HTTP 302"


def _suspend_target(c: Cell) -> Comment:
    from consult.models import User

    author = User.objects.create_user(
        username=f"author-{c.consultation.pk}@example.org",
        email=f"author-{c.consultation.pk}@example.org",
        password="x",
    )
    return comment_create(
        consultation=c.consultation, author=author, body="ความเห็นของผู้เขียน", channel="offline"
    )


def run_suspend(c: Cell):
    from moderation.models import Suspension

    if c.state == "draft":  # nobody comments on a draft
        return False, "no comments"
    comment = _suspend_target(c)
    response = c.client.post(
        f"/moderation/comments/{comment.pk}/suspend/",
        {"suspend-days": "3", "suspend-reason": "spam", "suspend-note": ""},
    )
    made = Suspension.objects.filter(user=comment.author).exists()
    if made:
        return True, "suspended"
    return False, f"HTTP {response.status_code}"


def run_lift_suspension(c: Cell):
    from moderation.models import Suspension

    if c.state == "draft":
        return False, "no comments"
    comment = _suspend_target(c)
    suspension = Suspension.objects.create(
        user=comment.author,
        until=timezone.now() + timedelta(days=3),
        reason="spam",
        created_at=timezone.now(),
    )
    response = c.client.post(f"/moderation/comments/{comment.pk}/lift/")
    suspension.refresh_from_db()
    if suspension.lifted_at is not None:
        return True, "lifted"
    return False, f"HTTP {response.status_code}"


def run_admin_login_form(c: Cell):
    response = c.client.get("/admin/login/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/")
    fresh = Client()
    fresh.post("/admin/login/", {"username": "admin@example.org", "password": "password"})
    return "_auth_user_id" in fresh.session, f"HTTP {response.status_code}"


def run_audit_admin(c: Cell):
    response = c.client.get("/admin/accounts/auditentry/")
    return response.status_code == 200, f"HTTP {response.status_code}"


RUNNERS: dict[str, Callable[[Cell], tuple[bool, str]]] = {
    "page": run_page,
    "websocket": run_websocket,
    "comment": run_comment,
    "comment_needs_identity": run_comment,
    "vote": run_vote,
    "vote_needs_identity": run_vote,
    "position": run_position,
    "answers": run_answers,
    "answers_csv": _workspace_get("/workspace/c/{slug}/answers.csv"),
    "workspace_agency": _workspace_get("/workspace/a/{agency}/"),
    "workspace_manage": _workspace_get("/workspace/c/{slug}/"),
    "workspace_preview": _workspace_get("/workspace/c/{slug}/preview/"),
    "workspace_create": _workspace_get("/workspace/a/{agency}/new/"),
    "workspace_edit": _workspace_get("/workspace/c/{slug}/edit/"),
    "workspace_publish": run_workspace_publish,
    "workspace_extend": run_workspace_extend,
    "workspace_close": run_workspace_close,
    "perm_view_analysis": _perm("topics.view_analysis"),
    "perm_moderate": _perm("topics.moderate"),
    "my_data_download": run_my_data,
    "audit_log_admin": run_audit_admin,
    "suspend": run_suspend,
    "lift_suspension": run_lift_suspension,
    "admin_login_form": run_admin_login_form,
}


def test_every_endpoint_has_a_row_and_every_row_names_every_role():
    assert set(RUNNERS) == set(ALLOWED)
    for row in ALLOWED.values():
        assert set(row) == set(ROLES)


def check(endpoint: str, state: str, people, make_consultation) -> None:
    wrong = []
    for role in ROLES:
        user = people[role]
        extra = {}
        if endpoint.endswith("_needs_identity"):
            extra["min_assurance"] = 3
        consultation = make_consultation(state, **extra)
        comment = comment_create(
            consultation=consultation, author=None, body="ตัวอย่าง", channel="offline"
        )
        client = Client()
        if user is not None:
            client.force_login(user, second_factor=role != "editor_no_second_factor")
        ok, detail = RUNNERS[endpoint](Cell(role, state, user, client, consultation, comment))
        expected = state in ALLOWED[endpoint][role]
        if ok != expected:
            wrong.append(f"{role}: expected {'allowed' if expected else 'refused'}, got {detail}")
    assert not wrong, f"{endpoint} / {state}:\n" + "\n".join(wrong)


@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("endpoint", sorted(set(ALLOWED) - {"websocket"}))
def test_permission_matrix(endpoint, state, people, make_consultation):
    check(endpoint, state, people, make_consultation)


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("state", STATES)
def test_permission_matrix_websocket_connect(state, people, make_consultation):
    check("websocket", state, people, make_consultation)
