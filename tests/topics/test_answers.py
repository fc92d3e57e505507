"""Answers to the agency's questions: submitting and changing them (all or nothing), who may
answer, the results and the CSV export for staff, and the person's own data."""

from __future__ import annotations

import csv
import io
import json

import pytest

from accounts.services import account_delete
from consult.errors import ServiceError
from topics.models import Answer, Question
from topics.services import AnswersRefused, answers_submit

JSON = {"HTTP_ACCEPT": "application/json"}


def add_questions(consultation) -> dict[str, Question]:
    specs = [
        ("yes_no", "ควรห้ามเผาในที่โล่งหรือไม่", ""),
        ("choice", "ใครควรรับผิดชอบ", "รัฐ\nเอกชน\n=SUM(A1:A9)"),
        ("scale", "เห็นด้วยเพียงใด", ""),
        ("text", "ข้อเสนอเพิ่มเติม", ""),
    ]
    return {
        kind: Question.objects.create(
            consultation=consultation, position=i, kind=kind, prompt=prompt, choices=choices
        )
        for i, (kind, prompt, choices) in enumerate(specs)
    }


@pytest.fixture(autouse=True)
def english():
    """Service messages in English whatever the default language (pages stay Thai)."""
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.fixture
def questions(consultation) -> dict[str, Question]:
    return add_questions(consultation)


def form(questions, **values: str) -> dict[str, str]:
    return {f"q{questions[kind].pk}": value for kind, value in values.items()}


def stored(user) -> dict[str, str]:
    return {a.question.kind: a.value for a in Answer.objects.filter(user=user)}


# --- the service ------------------------------------------------------------------------------


def test_submit_then_change_keeps_one_answer_per_question(alice, consultation, questions):
    q = questions
    saved = answers_submit(
        consultation=consultation,
        user=alice,
        data={q["yes_no"].pk: "yes", q["choice"].pk: "เอกชน", q["scale"].pk: "4"},
    )
    assert [a.question.kind for a in saved] == ["yes_no", "choice", "scale"]
    answers_submit(
        consultation=consultation,
        user=alice,
        data={q["yes_no"].pk: "no", q["text"].pk: "  ควรมีบทลงโทษ\r\nที่ชัดเจน  "},
    )
    assert stored(alice) == {
        "yes_no": "no",
        "choice": "เอกชน",
        "scale": "4",
        "text": "ควรมีบทลงโทษ\nที่ชัดเจน",
    }
    assert Answer.objects.filter(user=alice).count() == 4
    # An empty value takes an answer back.
    answers_submit(consultation=consultation, user=alice, data={q["text"].pk: ""})
    assert "text" not in stored(alice)


@pytest.mark.parametrize(
    ("kind", "value", "message"),
    [
        ("yes_no", "maybe", "Answer yes or no."),
        ("choice", "ใครก็ได้", "Choose one of the choices given."),
        ("scale", "6", "Choose a number from 1 to 5."),
        ("scale", "0", "Choose a number from 1 to 5."),
        ("text", "ก" * 2001, "An answer can be at most 2,000 characters (yours has 2,001)."),
    ],
)
def test_a_bad_answer_saves_nothing_and_names_the_question(
    alice, consultation, questions, kind, value, message
):
    answers_submit(consultation=consultation, user=alice, data={questions["scale"].pk: "2"})
    data = {
        questions["yes_no"].pk: "yes",
        questions["text"].pk: "ข้อความที่ดี",
        questions[kind].pk: value,
    }
    with pytest.raises(AnswersRefused) as refused:
        answers_submit(consultation=consultation, user=alice, data=data)
    assert refused.value.errors == {questions[kind].pk: message}
    assert stored(alice) == {"scale": "2"}  # nothing half-saved, the earlier answer untouched


def test_text_of_exactly_2000_characters_is_accepted(alice, consultation, questions):
    answers_submit(consultation=consultation, user=alice, data={questions["text"].pk: "ข" * 2000})
    assert len(stored(alice)["text"]) == 2000


def test_questions_of_another_consultation_are_refused(
    alice, consultation, questions, make_consultation
):
    other = add_questions(make_consultation("open"))
    with pytest.raises(AnswersRefused) as refused:
        answers_submit(
            consultation=consultation,
            user=alice,
            data={questions["yes_no"].pk: "yes", other["yes_no"].pk: "no"},
        )
    assert list(refused.value.errors) == [other["yes_no"].pk]
    assert not Answer.objects.exists()


@pytest.mark.parametrize("phase", ["upcoming", "closed"])
def test_answers_only_while_open(alice, make_consultation, phase):
    c = make_consultation(phase)
    q = add_questions(c)
    with pytest.raises(ServiceError, match="not open"):
        answers_submit(consultation=c, user=alice, data={q["yes_no"].pk: "yes"})
    assert not Answer.objects.exists()


def test_nothing_to_save_is_refused(alice, consultation, questions):
    with pytest.raises(ServiceError, match="at least one"):
        answers_submit(consultation=consultation, user=alice, data={questions["text"].pk: " "})


# --- the page ---------------------------------------------------------------------------------


def test_form_shows_current_answers_and_posts_with_a_redirect(
    client, alice, consultation, questions
):
    client.force_login(alice)
    url = f"/c/{consultation.slug}/answers/"
    response = client.post(url, form(questions, yes_no="yes", scale="3", text="<b>ต้องมี</b>"))
    assert response.status_code == 302 and response["Location"].endswith("#questions")
    page = client.get(response["Location"]).content.decode()
    assert f'name="q{questions["yes_no"].pk}" value="yes" checked' in page
    assert f'name="q{questions["scale"].pk}" value="3" checked' in page
    assert "&lt;b&gt;ต้องมี&lt;/b&gt;</textarea>" in page and "<b>ต้องมี" not in page
    assert stored(alice)["text"] == "<b>ต้องมี</b>"


def test_form_with_an_error_shows_it_and_keeps_what_was_typed(
    client, alice, consultation, questions
):
    client.force_login(alice)
    data = form(questions, yes_no="yes", scale="9", text="ข้อความยาวที่ไม่อยากเสีย")
    response = client.post(f"/c/{consultation.slug}/answers/", data)
    assert response.status_code == 400
    page = response.content.decode()
    assert "Choose a number from 1 to 5." in page or "เลือกตัวเลข" in page
    assert "ข้อความยาวที่ไม่อยากเสีย</textarea>" in page
    assert not Answer.objects.exists()
    json_response = client.post(f"/c/{consultation.slug}/answers/", data, **JSON)
    assert json_response.status_code == 400
    assert list(json_response.json()["errors"]) == [str(questions["scale"].pk)]


def test_anonymous_visitors_are_sent_to_sign_in_and_see_no_form(client, consultation, questions):
    page = client.get(consultation.get_absolute_url()).content.decode()
    assert "ควรห้ามเผาในที่โล่งหรือไม่" in page
    assert f'action="/c/{consultation.slug}/answers/"' not in page
    response = client.post(f"/c/{consultation.slug}/answers/", form(questions, yes_no="yes"))
    assert response.status_code == 302
    assert (
        client.post(
            f"/c/{consultation.slug}/answers/", form(questions, yes_no="yes"), **JSON
        ).status_code
        == 403
    )
    assert not Answer.objects.exists()


def test_unverified_people_cannot_answer(client, carol, consultation, questions):
    client.force_login(carol)
    response = client.post(
        f"/c/{consultation.slug}/answers/", form(questions, yes_no="yes"), **JSON
    )
    assert response.status_code == 403
    assert not Answer.objects.exists()


def test_consent_comes_first(client, make_user, consultation, questions):
    dora = make_user("dora", consented=False)
    client.force_login(dora)
    url = f"/c/{consultation.slug}/answers/"
    response = client.post(url, form(questions, yes_no="yes"))
    assert response.status_code == 302 and response["Location"].startswith("/me/consent/")
    assert client.post(url, form(questions, yes_no="yes"), **JSON).status_code == 403
    assert not Answer.objects.exists()


def test_closed_consultation_shows_answers_but_takes_none(client, alice, make_consultation):
    closed = make_consultation("closed")
    q = add_questions(closed)
    Answer.objects.create(question=q["yes_no"], user=alice, value="no")
    client.force_login(alice)
    page = client.get(closed.get_absolute_url()).content.decode()
    assert f'action="/c/{closed.slug}/answers/"' not in page
    response = client.post(f"/c/{closed.slug}/answers/", {f"q{q['yes_no'].pk}": "yes"}, **JSON)
    assert response.status_code == 403
    assert Answer.objects.get().value == "no"


def test_identity_level_consultation_refuses_an_e_mail_account(client, alice, make_consultation):
    c = make_consultation("open", min_assurance=3)
    q = add_questions(c)
    client.force_login(alice)
    assert (
        client.post(f"/c/{c.slug}/answers/", {f"q{q['yes_no'].pk}": "yes"}, **JSON).status_code
        == 403
    )
    assert not Answer.objects.exists()


def test_answers_share_the_position_rate_limit(client, alice, consultation, questions, settings):
    settings.RATE_LIMITS = {"vote": {"user": "2/60", "ip": "100/60"}}
    client.force_login(alice)
    url = f"/c/{consultation.slug}/answers/"
    codes = [client.post(url, form(questions, scale=str(n)), **JSON).status_code for n in (1, 2, 3)]
    assert codes == [200, 200, 429]
    assert stored(alice) == {"scale": "2"}


# --- results for staff ------------------------------------------------------------------------


@pytest.fixture
def answered(consultation, questions, make_user):
    people = [make_user(f"p{i}") for i in range(5)]
    values = [
        ("yes", "รัฐ", "5", "ขอให้มีเวลาปรับตัว"),
        ("yes", "รัฐ", "4", "<script>alert(1)</script>"),
        ("no", "เอกชน", "5", "-2+3"),
        ("yes", "=SUM(A1:A9)", "1", "@cmd"),
        ("yes", "", "", ""),
    ]
    for person, (yn, choice, scale, text) in zip(people, values, strict=True):
        answers_submit(
            consultation=consultation,
            user=person,
            data={
                questions["yes_no"].pk: yn,
                questions["choice"].pk: choice,
                questions["scale"].pk: scale,
                questions["text"].pk: text,
            },
        )
    return people


def test_results_count_every_option(client, make_staff, consultation, questions, answered):
    from topics.selectors import answer_results

    results = {r.question.kind: r for r in answer_results(consultation)}
    assert [(o.label, o.count, o.percent) for o in results["yes_no"].options] == [
        ("Yes", 4, 80),
        ("No", 1, 20),
    ]
    assert [(o.label, o.count) for o in results["choice"].options] == [
        ("รัฐ", 2),
        ("เอกชน", 1),
        ("=SUM(A1:A9)", 1),
    ]
    assert [o.count for o in results["scale"].options] == [1, 0, 0, 1, 2]
    assert results["scale"].total == 4 and results["text"].total == 4
    assert sorted(results["text"].texts) == sorted(
        ["ขอให้มีเวลาปรับตัว", "<script>alert(1)</script>", "-2+3", "@cmd"]
    )

    analyst = make_staff("analyst", "analyst")
    client.force_login(analyst)
    page = client.get(f"/workspace/c/{consultation.slug}/").content.decode()
    assert 'id="answers"' in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "<script>alert" not in page
    assert f"/workspace/c/{consultation.slug}/answers.csv" in page


def test_csv_export_one_row_per_answer_without_formulas_or_people(
    client, make_staff, consultation, questions, answered
):
    editor = make_staff("editor", "editor")
    client.force_login(editor)
    response = client.get(f"/workspace/c/{consultation.slug}/answers.csv")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == ["question_id", "question", "answer", "created", "participant"]
    body = rows[1:]
    assert len(body) == Answer.objects.count() == 17
    answers = {row[2] for row in body}
    assert "'=SUM(A1:A9)" in answers and "'-2+3" in answers and "'@cmd" in answers
    assert not any(cell[:1] in "=+-@" for row in body for cell in row[1:3] if cell)
    assert {row[4] for row in body} == {"1", "2", "3", "4", "5"}
    emails = [p.email for p in answered]
    assert not any(e in text for e in emails)
    assert not any(str(p.pk) == row[4] and p.pk > 5 for p in answered for row in body)


def test_results_and_export_are_for_agency_staff_only(
    client, alice, make_staff, consultation, answered
):
    client.force_login(alice)
    assert client.get(f"/workspace/c/{consultation.slug}/answers.csv").status_code == 403
    moderator = make_staff("moderator", "moderator", platform=True)
    client.force_login(moderator)
    assert client.get(f"/workspace/c/{consultation.slug}/answers.csv").status_code == 403
    editor_without_mfa = make_staff("editor", "editor", mfa=False)
    client.force_login(editor_without_mfa)
    response = client.get(f"/workspace/c/{consultation.slug}/answers.csv")
    assert response.status_code == 302 and response["Location"] == "/accounts/2fa/"


# --- the person's own data --------------------------------------------------------------------


def test_download_my_data_includes_answers(client, alice, consultation, questions):
    answers_submit(
        consultation=consultation,
        user=alice,
        data={questions["yes_no"].pk: "yes", questions["text"].pk: "ความเห็นของอลิซ"},
    )
    client.force_login(alice)
    data = json.loads(client.get("/me/data/download/").content)
    assert [(a["question"], a["value"]) for a in data["answers"]] == [
        ("ควรห้ามเผาในที่โล่งหรือไม่", "yes"),
        ("ข้อเสนอเพิ่มเติม", "ความเห็นของอลิซ"),
    ]
    assert data["answers"][0]["consultation"] == consultation.slug


@pytest.mark.parametrize("remove", [False, True])
def test_deleting_the_account_leaves_no_answer_linked(make_user, make_consultation, remove):
    dora = make_user("dora")
    duty = make_consultation("open")
    by_consent = make_consultation("open", legal_basis="consent")
    qd, qc = add_questions(duty), add_questions(by_consent)
    for c, q in ((duty, qd), (by_consent, qc)):
        answers_submit(
            consultation=c,
            user=dora,
            data={q["yes_no"].pk: "yes", q["text"].pk: "ข้อความส่วนตัวของดาว"},
        )
    pk = dora.pk
    result = account_delete(user=dora, remove_comments=remove)
    assert not Answer.objects.filter(user_id=pk).exists()
    # Structured answers stay as anonymous counts everywhere.
    assert Answer.objects.filter(question__kind="yes_no", user=None).count() == 2
    texts = Answer.objects.filter(question__kind="text")
    # Free text is removed where the person asked and the law allows (consent), like comments.
    if remove:
        assert list(texts.values_list("question__consultation", flat=True)) == [duty.pk]
        assert result["answers_removed"] == 1
    else:
        assert texts.count() == 2 and result["answers_removed"] == 0
    assert set(texts.values_list("user", flat=True)) == {None}
