"""analyze SLUG --json: every published comment once, hidden ones out, opinion groups from
votes, vote threshold, determinism, runs kept; and the real Polis conversations end to end."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone, translation
from sklearn.metrics import adjusted_rand_score

from analytics.models import AnalysisRun, RunComment, RunStatus
from comments.models import Comment, Status, Vote
from comments.polis_export import read_polis_export
from comments.services import comment_create, comment_set_status

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    """Messages are checked in English (the platform's default language is Thai)."""
    with translation.override("en"):
        yield


TEXTS = [
    "ห้ามเผาไร่อ้อยในช่วงฤดูแล้งเพราะฝุ่นควันทำให้เด็กป่วย",
    "โรงงานที่ปล่อยมลพิษควรจ่ายค่าธรรมเนียมตามปริมาณที่ปล่อย",
    "Air quality sensors should be installed in every school",
    "Fine the factories that pollute the river and the air",
    "ควรมีเงินชดเชยให้เกษตรกรที่เลิกเผาและซื้อเครื่องจักร",
    "Publish hourly PM2.5 readings for every district online",
    "เห็นด้วยค่ะ",
    "+1",
    "Farmers need machines, not fines, to stop burning fields",
    "ข้อมูลคุณภาพอากาศต้องเปิดเผยทุกชั่วโมง",
    "Schools should close on days when PM2.5 is dangerous",
    "ภาษีรถยนต์เก่าควรสูงขึ้นเพื่อลดควันดำ",
]


def seed(consultation, *, hidden: bool = True) -> dict:
    """Comments (one hidden), two planted voting blocs and a few light voters."""
    comments = [
        comment_create(consultation=consultation, author=None, author_name="x", body=t)
        for t in TEXTS
    ]
    comments[2].external_id = "EXT-2"
    comments[2].save(update_fields=["external_id"])
    now = timezone.now()
    votes = []
    for p in range(30):
        bloc = 1 if p < 15 else -1
        for j, comment in enumerate(comments[:10]):
            value = bloc if j < 5 else -bloc
            votes.append((f"v{p}", comment, value))
    for p in range(5):  # under the threshold: 3 votes each
        for comment in comments[:3]:
            votes.append((f"light{p}", comment, 1))
    Vote.objects.bulk_create(
        Vote(
            consultation=consultation,
            comment=c,
            external_voter=voter,
            value=value,
            created_at=now,
            updated_at=now,
        )
        for voter, c, value in votes
    )
    hidden_comment = comments[11]
    if hidden:
        comment_set_status(comment=hidden_comment, status=Status.HIDDEN, reason="test")
    return {"comments": comments, "hidden": hidden_comment}


def analyze(slug: str, tmp_path: Path, *args: str) -> dict:
    out = tmp_path / f"{slug}-{len(list(tmp_path.iterdir()))}.json"
    call_command("analyze", slug, "--json", str(out), *args)
    return json.loads(out.read_text(encoding="utf-8"))


def test_every_published_comment_appears_exactly_once(consultation, tmp_path):
    data = seed(consultation)
    doc = analyze(consultation.slug, tmp_path)
    placed = [cid for theme in doc["themes"] for cid in theme["comment_ids"]]
    placed += doc["unassigned_ids"]
    published = [
        c.public_id for c in Comment.objects.filter(consultation=consultation, status="published")
    ]
    assert sorted(placed) == sorted(published)  # each once, none missing
    assert len(placed) == len(set(placed)) == len(TEXTS) - 1
    assert data["hidden"].public_id not in placed
    assert "EXT-2" in placed  # the external id stands for an imported comment
    assert doc["consultation"] == consultation.slug
    run = AnalysisRun.objects.get(pk=doc["run"])
    assert run.status == RunStatus.DONE and run.n_comments == len(TEXTS) - 1
    assert RunComment.objects.filter(run=run).count() == len(TEXTS) - 1
    for theme in doc["themes"]:
        assert set(theme) >= {
            "id",
            "label",
            "terms",
            "size",
            "share",
            "stance",
            "comment_ids",
            "representative_ids",
        }
        assert theme["size"] == len(theme["comment_ids"])
        assert set(theme["representative_ids"]) <= set(theme["comment_ids"])


def test_opinion_groups_threshold_hidden_votes_and_shape(consultation, tmp_path):
    data = seed(consultation)
    doc = analyze(consultation.slug, tmp_path)
    opinion = doc["opinion_groups"]
    participants = opinion["participants"]
    assert set(participants) == {f"v{p}" for p in range(30)}  # light voters left out
    assert all(isinstance(g, int) for g in participants.values())
    # the two planted blocs are the two groups
    assert len({participants[f"v{p}"] for p in range(15)}) == 1
    assert len({participants[f"v{p}"] for p in range(15, 30)}) == 1
    assert participants["v0"] != participants["v20"]
    hidden_id = data["hidden"].public_id
    mentioned = [r["comment_id"] for g in opinion["groups"] for r in g["representative"]]
    mentioned += [c["comment_id"] for c in opinion["consensus"]]
    assert hidden_id not in mentioned
    for group in opinion["groups"]:
        assert set(group) == {"id", "size", "representative"}
        for r in group["representative"]:
            assert set(r) == {"comment_id", "direction"} and r["direction"] in ("agree", "disagree")
    assert sum(g["size"] for g in opinion["groups"]) == len(participants)


def test_threshold_is_configurable(consultation, tmp_path):
    seed(consultation, hidden=False)
    doc = analyze(consultation.slug, tmp_path, "--min-votes", "3")
    assert {f"light{p}" for p in range(5)} <= set(doc["opinion_groups"]["participants"])


def test_same_input_same_output_and_runs_are_kept(consultation, tmp_path):
    seed(consultation)
    first = analyze(consultation.slug, tmp_path)
    second = analyze(consultation.slug, tmp_path)
    assert first["run"] != second["run"]
    for key in ("themes", "unassigned_ids", "campaigns", "opinion_groups"):
        assert first[key] == second[key]
    older = AnalysisRun.objects.get(pk=first["run"])
    assert older.status == RunStatus.DONE and older.results["themes"]  # not overwritten


def test_campaigns_are_listed_with_their_members(consultation, tmp_path):
    letter = (
        "I strongly oppose section five of this draft because it takes away the right of "
        "farmers in {} province to manage their own land and burn crop waste safely"
    )
    for province in ["Chiang Mai", "Lampang", "Nan", "Phrae", "Lamphun"]:
        comment_create(consultation=consultation, author=None, body=letter.format(province))
    comment_create(consultation=consultation, author=None, body="Something else entirely here")
    doc = analyze(consultation.slug, tmp_path)
    assert len(doc["campaigns"]) == 1
    campaign = doc["campaigns"][0]
    assert set(campaign) == {"id", "size", "representative_id", "comment_ids"}
    assert campaign["size"] == 5 and campaign["representative_id"] in campaign["comment_ids"]


def test_themes_option_and_errors(consultation, tmp_path):
    seed(consultation)
    doc = analyze(consultation.slug, tmp_path, "--themes", "2")
    assert len(doc["themes"]) <= 2
    with pytest.raises(CommandError, match="between 1 and"):
        call_command("analyze", consultation.slug, "--themes", "0")
    with pytest.raises(CommandError, match="No consultation"):
        call_command("analyze", "no-such-slug")


POLIS = Path("/work/shared/data/polis")
CONVERSATIONS = sorted(p.name for p in POLIS.iterdir()) if POLIS.is_dir() else []


@pytest.mark.xdist_group("polis-analyze")
@pytest.mark.parametrize("folder", CONVERSATIONS)
def test_polis_conversation_imports_and_clusters_like_polis(folder, tmp_path, capsys):
    slug = folder.replace(".", "-")
    call_command("import_polis", str(POLIS / folder), slug=slug)
    doc = analyze(slug, tmp_path)
    export = read_polis_export(POLIS / folder)
    ours = doc["opinion_groups"]["participants"]
    # only participants with 7+ votes on visible comments, all of them voters of the export
    visible = {c.external_id for c in export.comments if c.moderated != -1}
    counts: dict[str, int] = {}
    for v in export.votes:
        if v.comment_id in visible:
            counts[v.voter_id] = counts.get(v.voter_id, 0) + 1
    assert set(ours) == {p for p, n in counts.items() if n >= 7}
    hidden = {c.external_id for c in export.comments if c.moderated == -1}
    placed = {cid for t in doc["themes"] for cid in t["comment_ids"]} | set(doc["unassigned_ids"])
    assert placed == visible and not placed & hidden
    common = [p for p in ours if p in export.groups]
    ari = adjusted_rand_score([export.groups[p] for p in common], [ours[p] for p in common])
    with capsys.disabled():
        print(
            f"\n{folder}: {len(ours)} grouped, {len(doc['opinion_groups']['groups'])} groups, ARI {ari:.3f} vs Polis"
        )
    assert ari > 0.5
