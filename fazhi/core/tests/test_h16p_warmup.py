"""A worker's start-up work (issue 16): every view imported and every template compiled before the first
request — the first request of each recycled worker took ≈ 1 s — and no database access, so it may run
in gunicorn's master with --preload."""

import logging

from django.template import engines

from fazhi.core.warmup import warm


def test_warm_up_imports_every_view_and_compiles_every_template_without_the_database(caplog):
    # no django_db mark: any query here fails the test
    with caplog.at_level(logging.WARNING, logger="fazhi.core.warmup"):
        warm()
    assert not caplog.records, [r.getMessage() for r in caplog.records]
    cached = engines["django"].engine.template_loaders[0]
    names = {t.origin.template_name for t in cached.get_template_cache.values() if hasattr(t, "origin")}
    assert {"base.html", "core/todo.html", "reports/_county_body.html", "field/intake.html"} <= names
