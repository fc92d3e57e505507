"""Public endpoints of the record (anyone may call them) and the receipt pages."""

from __future__ import annotations

import json
from datetime import datetime

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ImproperlyConfigured
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from records import selectors, verify
from records.kinds import kind_label
from records.services import origin, verifier_key_line

MAX_RECEIPT_BYTES = 200_000


def _text(body: str) -> HttpResponse:
    response = HttpResponse(body, content_type="text/plain; charset=utf-8")
    response["Access-Control-Allow-Origin"] = "*"
    return response


def _json(data, status: int = 200) -> JsonResponse:
    response = JsonResponse(data, status=status, json_dumps_params={"ensure_ascii": False})
    response["Access-Control-Allow-Origin"] = "*"
    return response


def _bad(message: str) -> JsonResponse:
    return _json({"error": message}, status=400)


def _int(request: HttpRequest, name: str, default: int | None = None) -> int:
    raw = request.GET.get(name)
    if raw is None or raw == "":
        if default is None:
            raise ValueError(_("Give %(name)s (a whole number).") % {"name": name})
        return default
    if not raw.isdigit() or len(raw) > 18:
        raise ValueError(_("%(name)s must be a whole number.") % {"name": name})
    return int(raw)


@require_GET
def key(request: HttpRequest) -> HttpResponse:
    try:
        return _text(verifier_key_line() + "\n")
    except ImproperlyConfigured:
        return HttpResponse(
            _("No signing key is configured yet."),
            status=503,
            content_type="text/plain; charset=utf-8",
        )


@require_GET
def checkpoint(request: HttpRequest, size: int | None = None) -> HttpResponse:
    cp = selectors.latest_checkpoint() if size is None else selectors.checkpoint_at(size)
    if cp is None:
        return HttpResponse(
            _("No checkpoint of that size."), status=404, content_type="text/plain; charset=utf-8"
        )
    return _text(cp.note)


@require_GET
def checkpoint_list(request: HttpRequest) -> JsonResponse:
    try:
        before = _int(request, "before", 0) or None
    except ValueError as exc:
        return _bad(str(exc))
    items = selectors.checkpoints(before=before)
    return _json(
        {
            "origin": origin(),
            "checkpoints": [
                {"size": c.size, "time": c.created_at.isoformat(), "note": c.note} for c in items
            ],
        }
    )


@require_GET
def inclusion(request: HttpRequest) -> JsonResponse:
    try:
        index = _int(request, "index")
        latest = selectors.latest_checkpoint()
        size = _int(request, "size", latest.size if latest else 0)
    except ValueError as exc:
        return _bad(str(exc))
    if not 0 <= index < size or size > selectors.tree_size():
        return _bad(_("The entry is not inside a tree of that size (yet)."))
    proof = selectors.inclusion_proof(index=index, size=size)
    return _json({"index": index, "tree_size": size, "proof": selectors.b64(proof)})


@require_GET
def consistency(request: HttpRequest) -> JsonResponse:
    try:
        first = _int(request, "first")
        second = _int(request, "second")
    except ValueError as exc:
        return _bad(str(exc))
    if not 0 < first <= second or second > selectors.tree_size():
        return _bad(_("Sizes must satisfy 0 < first <= second <= the size of the log."))
    proof = selectors.consistency_proof(first=first, second=second)
    return _json({"first": first, "second": second, "proof": selectors.b64(proof)})


@require_GET
def entries(request: HttpRequest) -> HttpResponse:
    """One line per entry (the exact bytes each leaf hashes), at most 10,000 per request."""
    try:
        start = _int(request, "start", 0)
        end = _int(request, "end", start + selectors.MAX_PAGE)
    except ValueError as exc:
        return _bad(str(exc))
    lines = selectors.entry_lines(start=start, end=end)
    return _text("".join(line + "\n" for line in lines))


@require_GET
def contents(request: HttpRequest) -> HttpResponse:
    """Salt and content of the public entries (JSON lines), to recompute each commitment."""
    try:
        start = _int(request, "start", 0)
        end = _int(request, "end", start + selectors.MAX_PAGE)
    except ValueError as exc:
        return _bad(str(exc))
    items = selectors.public_contents(start=start, end=end)
    body = "".join(json.dumps(i, ensure_ascii=False, sort_keys=True) + "\n" for i in items)
    response = HttpResponse(body, content_type="application/jsonl; charset=utf-8")
    response["Access-Control-Allow-Origin"] = "*"
    return response


def receipt(request: HttpRequest, index: int) -> HttpResponse:
    data = selectors.receipt(index=index, viewer=request.user)
    if data is None:
        raise Http404
    as_json = json.dumps(data, ensure_ascii=False, indent=2)
    return render(
        request,
        "records/receipt.html",
        {
            "r": data,
            "label": kind_label(data["kind"]),
            "created": datetime.fromisoformat(data["time"]),
            "receipt_json": as_json,
            "pending": data["checkpoint"] is None,
        },
    )


def receipt_download(request: HttpRequest, index: int) -> HttpResponse:
    data = selectors.receipt(index=index, viewer=request.user)
    if data is None:
        raise Http404
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=2),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="receipt-{index}.json"'
    return response


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    entries = selectors.receipts_of(request.user)
    for entry in entries:
        entry.label = kind_label(entry.kind)
    return render(request, "records/mine.html", {"entries": entries})


@login_required
def comment_receipt(request: HttpRequest, pk: int) -> HttpResponse:
    """The receipt for the latest version of one's own comment."""
    entry = selectors.receipt_for(
        kinds=("comment.created", "comment.edited"), subject=f"comment:{pk}", user=request.user
    )
    if entry is None:
        raise Http404
    return redirect("records:receipt", index=entry.index)


@login_required
def vote_receipt(request: HttpRequest, pk: int) -> HttpResponse:
    """The receipt for one's latest vote on a comment."""
    entry = selectors.receipt_for(kinds=("vote.cast",), subject=f"comment:{pk}", user=request.user)
    if entry is None:
        raise Http404
    return redirect("records:receipt", index=entry.index)


def home(request: HttpRequest) -> HttpResponse:
    """What the record is and what a receipt proves; paste a receipt to check it."""
    result = error = None
    pasted = ""
    if request.method == "POST":
        pasted = request.POST.get("receipt", "")
        try:
            if len(pasted.encode()) > MAX_RECEIPT_BYTES:
                raise verify.VerificationError(_("That receipt is too large."))
            try:
                data = json.loads(pasted)
                if not isinstance(data, dict):
                    raise ValueError
            except ValueError:
                raise verify.VerificationError(
                    _("Paste the whole receipt (the JSON file you downloaded).")
                ) from None
            verifier = verify.Verifier.parse(verifier_key_line())
            try:
                checkpoint = verify.check_receipt(data, verifier)
            except (KeyError, TypeError, ValueError) as exc:
                raise verify.VerificationError(_("The receipt is incomplete.")) from exc
            result = {
                "index": data["index"],
                "size": checkpoint.size if checkpoint else None,
                "content": data.get("content") is not None,
            }
        except verify.VerificationError as exc:
            error = str(exc)
    try:
        key_line = verifier_key_line()
    except ImproperlyConfigured:
        key_line = ""
    latest = selectors.latest_checkpoint()
    return render(
        request,
        "records/home.html",
        {
            "result": result,
            "error": error,
            "pasted": pasted,
            "key_line": key_line,
            "latest": latest,
            "size": selectors.tree_size(),
        },
        status=400 if error else 200,
    )
