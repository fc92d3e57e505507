"""Speed and memory of the comment analytics pipeline on large synthetic consultations.

    .venv/bin/python bench/themes_speed.py                      # 100k en, 100k th, 1M en
    .venv/bin/python bench/themes_speed.py --sizes en:20000,th:20000
    .venv/bin/python bench/themes_speed.py --engines            # Thai segmenters compared

Every size runs in a fresh process, so the peak RSS reported is that run's own
(``resource.getrusage(RUSAGE_SELF).ru_maxrss``, the input corpus included).

Corpora (built deterministically, seed 0):
- English: clauses of real public comments (the Polis conversations in /work/shared/data and
  the hand-written ``bench/data/labelled_en.tsv``) recombined 2-5 per comment, with words
  dropped, typos, openers and names, so that nearly every comment is distinct; plus 5% of
  comments from 3 mail-merge form letters (name, place, section and verb swapped).
- Thai: 1-3 real Wisesight messages per comment, each cut to a random span (so segmentation
  meets new strings, not a cache), plus ``labelled_th.tsv`` lines and 5% of comments from 2
  mail-merge form letters.

Targets: 100k English <= 30 s, 100k Thai <= 60 s, 1M English <= 300 s and <= 4 GB peak RSS.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import re
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
DATA = Path(os.environ.get("DEMO_DATA_DIR", ROOT.parent / "shared" / "data"))

TARGETS = {("en", 100_000): 30.0, ("th", 100_000): 60.0, ("en", 1_000_000): 300.0}
MEMORY_TARGET_MB = 4096

FIRST_NAMES = (
    "John Mary Ann Peter Lisa Tom Kate Somchai Malee Niran Ploy Arthit Wanida Chai".split()
)
LAST_NAMES = "Smith Jones Lee Brown Wong Dee Srisuk Chaiyo Kaewmanee Boonmee Tan Park".split()
OPENERS = [
    "",
    "",
    "",
    "I think ",
    "Honestly, ",
    "As a parent, ",
    "As a farmer, ",
    "In my opinion ",
    "Please note: ",
    "I am worried that ",
    "My view: ",
    "To the committee: ",
]
TH_OPENERS = [
    "",
    "",
    "",
    "ขอเสนอว่า ",
    "ส่วนตัวคิดว่า ",
    "ในฐานะเกษตรกร ",
    "เรียนคณะกรรมการ ",
    "ขอฝากว่า ",
]

EN_LETTERS = [
    "I am writing to oppose the changes in section {s}. The proposal will hurt small businesses "
    "and families in {place}. Please {verb} this section and hold proper public hearings before "
    "any vote. Sincerely, {name}",
    "As a resident of {place} I support stronger rules on air pollution. Our children deserve "
    "clean air and the government must {verb} the standards this year. Regards, {name}",
    "Dear committee, the fees in section {s} are unfair to low income households. I urge you "
    "to {verb} them and to publish the impact assessment. Thank you, {name}",
]
TH_LETTERS = [
    "เรียนคณะกรรมการ ข้าพเจ้า{name} ชาวจังหวัด{place} ขอคัดค้านมาตรา {s} เพราะจะกระทบเกษตรกรรายย่อย "
    "ขอให้{verb}และจัดรับฟังความคิดเห็นอย่างทั่วถึงก่อนบังคับใช้",
    "ข้าพเจ้า{name} สนับสนุนร่างกฎหมายฉบับนี้ ขอให้รัฐ{verb}มาตรฐานคุณภาพอากาศโดยเร็ว เพื่อสุขภาพของเด็กใน{place}",
]
PLACES = ["Chiang Mai", "Lampang", "Nan", "Bangkok", "Khon Kaen", "Tak", "Rayong"]
TH_PLACES = ["เชียงใหม่", "ลำปาง", "น่าน", "ขอนแก่น", "ระยอง", "ตาก", "แพร่"]
VERBS = ["reconsider", "withdraw", "amend", "review", "revise"]
TH_VERBS = ["ทบทวน", "แก้ไข", "ยกเลิก", "ปรับปรุง", "เร่งรัด"]
TH_NAMES = ["สมชาย", "มาลี", "นิรันดร์", "พลอย", "อาทิตย์", "วนิดา", "ชัย", "สมศรี"]


def _english_clauses() -> list[str]:
    """Clauses of real comments: sentences cut at punctuation and at and/but/because/so."""
    texts: list[str] = []
    for path in sorted((DATA / "polis").glob("*/comments.csv")):
        with path.open(encoding="utf-8") as fh:
            texts += [row["comment-body"].strip() for row in csv.DictReader(fh)]
    with (ROOT / "bench" / "data" / "labelled_en.tsv").open(encoding="utf-8") as fh:
        texts += [line.rstrip("\n").split("\t", 1)[1] for line in fh]
    clauses: list[str] = []
    for text in texts:
        for part in re.split(r"[.!?;,:]\s+|\s+(?=(?:and|but|because|so|which|while)\s)", text):
            if len(part.split()) >= 3:
                clauses.append(part.strip(" .,;:!?"))
    return clauses


def _thai_messages() -> list[str]:
    lines: list[str] = []
    for name in ("pos", "neu", "neg", "q"):
        lines += (DATA / "wisesight" / f"{name}.txt").read_text(encoding="utf-8").splitlines()
    with (ROOT / "bench" / "data" / "labelled_th.tsv").open(encoding="utf-8") as fh:
        lines += [line.rstrip("\n").split("\t", 1)[1] for line in fh]
    return [line for line in lines if line.strip()]


def _typo(word: str, rng: random.Random) -> str:
    if len(word) < 4:
        return word
    i = rng.randrange(1, len(word) - 1)
    return word[:i] + rng.choice("aeiounrst") + word[i + 1 :]


def english_corpus(n: int, seed: int = 0) -> list[str]:
    rng = random.Random(seed)
    pool = _english_clauses()
    out: list[str] = []
    for i in range(n):
        if rng.random() < 0.05:
            out.append(_letter(rng.choice(EN_LETTERS), rng, thai=False))
            continue
        clauses = []
        for clause in rng.sample(pool, rng.choice((2, 2, 3, 3, 4, 5))):
            words = [
                _typo(w, rng) if r > 0.97 else w
                for w in clause.split()
                if (r := rng.random()) >= 0.08
            ]
            clauses.append(" ".join(words))
        text = rng.choice(OPENERS) + ". ".join(clauses) + "."
        if rng.random() < 0.1:
            text += f" - {rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}{i % 97}"
        out.append(text)
    return out


def thai_corpus(n: int, seed: int = 0) -> list[str]:
    rng = random.Random(seed)
    pool = _thai_messages()
    out: list[str] = []
    for _ in range(n):
        if rng.random() < 0.05:
            out.append(_letter(rng.choice(TH_LETTERS), rng, thai=True))
            continue
        parts: list[str] = []
        for msg in rng.sample(pool, rng.choice((1, 1, 2, 3))):
            if len(msg) > 30 and rng.random() < 0.6:
                a = rng.randrange(0, len(msg) // 3)
                b = rng.randrange(a + 10, len(msg) + 1)
                msg = msg[a:b]
            parts.append(msg)
        out.append(rng.choice(TH_OPENERS) + " ".join(parts))
    return out


def _letter(template: str, rng: random.Random, *, thai: bool) -> str:
    if thai:
        return template.format(
            name=rng.choice(TH_NAMES) + " " + rng.choice(TH_NAMES),
            place=rng.choice(TH_PLACES),
            s=rng.choice((12, 14, 40)),
            verb=rng.choice(TH_VERBS),
        )
    return template.format(
        name=f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}",
        place=rng.choice(PLACES),
        s=rng.choice((12, 14, 40)),
        verb=rng.choice(VERBS),
    )


def run_one(lang: str, n: int) -> dict[str, object]:
    """Build one corpus and time the pipeline on it (in this process)."""
    from analytics.campaigns import find_campaigns
    from analytics.themes import ThemeInput, find_themes

    texts = english_corpus(n) if lang == "en" else thai_corpus(n)
    ids = [f"c{i}" for i in range(n)]
    rss_input = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    cpu0 = _cpu()
    t0 = time.perf_counter()
    campaigns = find_campaigns(ids, texts)
    t1 = time.perf_counter()
    items = [ThemeInput(id=i, text=t) for i, t in zip(ids, texts, strict=True)]
    result = find_themes(items, campaigns=campaigns)
    t2 = time.perf_counter()
    cpu = _cpu() - cpu0
    in_campaigns = sum(c.size for c in campaigns)
    return {
        "lang": lang,
        "n": n,
        "campaigns_s": round(t1 - t0, 1),
        "themes_s": round(t2 - t1, 1),
        "total_s": round(t2 - t0, 1),
        "cpu_s": round(cpu, 1),
        "stages": result.params.get("seconds", {}),
        "load": round(os.getloadavg()[0], 1),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        "worker_rss_mb": round(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024),
        "input_rss_mb": round(rss_input),
        "n_campaigns": len(campaigns),
        "in_campaigns": in_campaigns,
        "n_themes": result.n_themes_chosen,
        "unassigned": len(result.unassigned_ids),
    }


def _cpu() -> float:
    """CPU seconds of this process and of its finished worker processes."""
    total = 0.0
    for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN):
        usage = resource.getrusage(who)
        total += usage.ru_utime + usage.ru_stime
    return total


def compare_engines() -> None:
    """Thai segmentation of every Wisesight message: nlpO3 vs PyThaiNLP newmm, one core."""
    import nlpo3
    from pythainlp.tokenize import word_tokenize

    from analytics import text as text_mod  # sets the offline environment first

    text_mod.engine()
    lines = _thai_messages()
    runs = [r for line in lines for r in re.findall(r"[\u0E01-\u0E4E]+", text_mod.normalize(line))]
    word_tokenize("ทดสอบ", engine="newmm")  # load the dictionary before timing
    t = time.perf_counter()
    a = [word_tokenize(r, engine="newmm") for r in runs]
    newmm_s = time.perf_counter() - t
    t = time.perf_counter()
    b = [nlpo3.segment(r, text_mod._NLPO3_DICT_NAME) for r in runs]
    nlpo3_s = time.perf_counter() - t
    same = sum(x == y for x, y in zip(a, b, strict=True)) / len(runs)
    chars = sum(map(len, runs))
    print(f"{len(lines):,} Wisesight messages, {len(runs):,} Thai runs, {chars:,} characters")
    print(f"{'engine':<8} {'seconds':>8} {'chars/s':>12}")
    print(f"{'newmm':<8} {newmm_s:8.2f} {chars / newmm_s:12,.0f}")
    print(f"{'nlpo3':<8} {nlpo3_s:8.2f} {chars / nlpo3_s:12,.0f}")
    print(f"speed-up {newmm_s / nlpo3_s:.1f}x; identical segmentation on {same:.1%} of runs")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--sizes",
        default="en:100000,th:100000,en:1000000",
        help="comma-separated lang:n pairs, lang in en/th",
    )
    parser.add_argument("--engines", action="store_true", help="compare Thai segmenters only")
    parser.add_argument("--one", help=argparse.SUPPRESS)  # internal: run one size, print JSON
    args = parser.parse_args()
    if args.engines:
        compare_engines()
        return
    if args.one:
        lang, n = args.one.split(":")
        print(json.dumps(run_one(lang, int(n))))
        return
    header = (
        f"{'lang':<4} {'comments':>10} {'campaigns s':>11} {'themes s':>9} {'total s':>8} "
        f"{'cpu s':>7} {'target s':>8} {'peak MB':>8} {'worker MB':>9} {'campaigns':>9} {'in them':>8} "
        f"{'themes':>6} {'unassigned':>10} {'load':>5}"
    )
    print(header, flush=True)
    print("-" * len(header), flush=True)
    stages: list[str] = []
    for spec in args.sizes.split(","):
        lang, n = spec.split(":")
        proc = subprocess.run(
            [sys.executable, __file__, "--one", f"{lang}:{int(n)}"],
            capture_output=True,
            text=True,
            check=True,
        )
        r = json.loads(proc.stdout.strip().splitlines()[-1])
        target = TARGETS.get((r["lang"], r["n"]))
        flag = "" if target is None or r["total_s"] <= target else "  MISSED"
        if r["n"] >= 1_000_000 and r["peak_rss_mb"] > MEMORY_TARGET_MB:
            flag += "  MEMORY"
        print(
            f"{r['lang']:<4} {r['n']:>10,} {r['campaigns_s']:>11} {r['themes_s']:>9} "
            f"{r['total_s']:>8} {r['cpu_s']:>7} {target or '-':>8} {r['peak_rss_mb']:>8} "
            f"{r['worker_rss_mb']:>9} "
            f"{r['n_campaigns']:>9} {r['in_campaigns']:>8} {r['n_themes']:>6} "
            f"{r['unassigned']:>10} {r['load']:>5}{flag}",
            flush=True,
        )
        stages.append(
            f"{r['lang']} {r['n']:,}: "
            + ", ".join(f"{name} {sec:.1f}" for name, sec in r["stages"].items())
        )
    print("\nthemes stages (wall seconds):")
    for line in stages:
        print("  " + line)
    print("cpu s: user + system time of the process and its worker processes, all threads;")
    print("peak MB: peak RSS of the process (corpus included); worker MB: largest worker's")
    print("peak RSS (forked: mostly pages shared with the parent).")
    print("load: 1-minute load average at the end of the run.")


if __name__ == "__main__":
    main()
