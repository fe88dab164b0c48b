"""CSV downloads: one response shape for every export, streamed, safe to open in a spreadsheet."""

import csv
from collections.abc import Iterable, Iterator

from django.http import StreamingHttpResponse
from django.utils import timezone


def csv_safe(value: str) -> str:
    """Neutralise spreadsheet formulas in values people typed (CSV injection)."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


class _Echo:
    """The file csv.writer writes to: each line goes straight back to the response."""

    def write(self, line: str) -> str:
        return line


def csv_response(name: str, header: list[str], rows: Iterable[list]) -> StreamingHttpResponse:
    """An attachment named `<name>-<today>.csv`, written while it is sent, so that a big table never
    sits in memory. Text cells go through csv_safe."""
    response = StreamingHttpResponse(_lines(header, rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="{name}-{timezone.localdate():%Y-%m-%d}.csv"'
    )
    return response


def _lines(header: list[str], rows: Iterable[list]) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield writer.writerow(header)
    for row in rows:
        yield writer.writerow([csv_safe(cell) if isinstance(cell, str) else cell for cell in row])
