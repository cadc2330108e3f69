"""HTTP range responses (RFC 9110 §14) so a browser can seek inside a multi-gigabyte recording."""

from __future__ import annotations

import re

from django.http import HttpResponse, StreamingHttpResponse
from django.utils.http import content_disposition_header

from fazhi.evidence.storage import CHUNK, open_stored

_RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")


def parse_range(header: str, size: int) -> tuple[int, int] | None | bool:
    """(first, last) inclusive; None when absent or ignorable (serve it all); False when unsatisfiable."""
    if not header:
        return None
    header = header.strip()
    if "," in header:  # multiple ranges: allowed to answer with the whole file
        return None
    m = _RANGE.match(header)
    if not m or (not m.group(1) and not m.group(2)):
        return None
    first, last = m.group(1), m.group(2)
    if first:
        start = int(first)
        end = min(int(last), size - 1) if last else size - 1
        if start >= size or (last and int(last) < start):
            return False
        return start, end
    suffix = int(last)
    if suffix == 0:
        return False
    return max(size - suffix, 0), size - 1


def _iter(name: str, start: int, length: int):
    with open_stored(name) as fh:
        fh.seek(start)
        left = length
        while left > 0:
            chunk = fh.read(min(CHUNK, left))
            if not chunk:
                break
            left -= len(chunk)
            yield chunk


def ranged_file_response(request, *, storage_name: str, size: int, content_type: str, filename: str,
                         attachment: bool):
    r = parse_range(request.headers.get("Range", ""), size)
    if r is False:
        response = HttpResponse(status=416)
        response["Content-Range"] = f"bytes */{size}"
        return response
    start, end = r if r else (0, size - 1)
    length = end - start + 1 if size else 0
    response = StreamingHttpResponse(_iter(storage_name, start, length) if request.method != "HEAD" else iter(()),
                                     status=206 if r else 200, content_type=content_type)
    response["Content-Length"] = str(length)
    response["Accept-Ranges"] = "bytes"
    if r:
        response["Content-Range"] = f"bytes {start}-{end}/{size}"
    response["Content-Disposition"] = content_disposition_header(attachment, filename)
    response["Cache-Control"] = "private, no-store"
    if content_type != "application/pdf":  # Chromium's PDF viewer refuses sandboxed documents
        # Opened directly, the file is shown but nothing inside it can run.
        response["Content-Security-Policy"] = "sandbox; default-src 'none'; media-src 'self'; img-src 'self'"
    return response
