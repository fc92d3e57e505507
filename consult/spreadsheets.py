"""CSV exports that spreadsheet programs open safely: streamed, UTF-8 with a byte-order mark
(so Excel reads Thai), and cells that could run as formulas prefixed with a quote."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator, Sequence

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value: object) -> str:
    """A cell a spreadsheet shows as text instead of running it as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def stream_csv(
    header: Sequence[str], rows: Iterable[Sequence[object]], *, every: int = 500
) -> Iterator[str]:
    """Yield the CSV text in chunks of ``every`` rows, starting with the byte-order mark."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)

    def flush() -> str:
        text = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        return text

    yield "\ufeff"
    writer.writerow(header)
    for n, row in enumerate(rows, start=1):
        writer.writerow(row)
        if n % every == 0:
            yield flush()
    yield flush()
