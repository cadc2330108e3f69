"""Work every worker process would otherwise do on its first requests, done when it starts.

A gunicorn worker is replaced after max-requests (so no worker keeps a memory peak); without this, the
first request of each new worker imported every view module through the URLconf (≈ 1 s at bench size)
and compiled each template on first use, and the requests queued behind it waited too. No database
access here: with `--preload` this runs once in the master, before the workers are forked."""

from __future__ import annotations

import logging
from pathlib import Path

log = logging.getLogger(__name__)


def warm() -> None:
    from django.template import TemplateSyntaxError, engines
    from django.template.utils import get_app_template_dirs
    from django.urls import get_resolver

    resolver = get_resolver()
    resolver.url_patterns  # noqa: B018 - imports every view module
    resolver.reverse_dict  # noqa: B018 - and builds the reverse() table
    for engine in engines.all():
        dirs = [*map(Path, engine.dirs), *get_app_template_dirs("templates")]
        for root in dirs:
            for path in sorted(Path(root).rglob("*")):
                if path.suffix not in {".html", ".txt", ".js", ".xml"} or not path.is_file():
                    continue
                try:
                    engine.get_template(path.relative_to(root).as_posix())
                except (TemplateSyntaxError, UnicodeDecodeError, LookupError) as e:  # never stops a worker
                    log.warning("warm-up: template %s not compiled: %s", path, e)
