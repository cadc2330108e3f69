"""The report built from the real modules' demo data (犁头瑶族乡, 2024): the seed's figures. A module
whose demo does not load is left out of the checks (and named in the output)."""

import io

from django.db import transaction
from docx import Document

from fazhi.reports import documents, selectors, sources


def load_demo_tolerantly():
    from fazhi.core.demo import app_loaders, ensure_regions, ensure_users

    ctx = ensure_users(ensure_regions())
    failed, loaded = {}, set()
    for app, load in app_loaders():
        name = app.rsplit(".", 1)[-1]
        try:
            with transaction.atomic():
                load(ctx)
        except Exception as e:  # noqa: BLE001 — reported in the assertion messages below
            failed[name] = repr(e)[:200]
        else:
            loaded.add(name)
    return ctx, failed, loaded


def test_report_from_the_real_demo(db):
    ctx, failed, loaded = load_demo_tolerantly()
    report = selectors.township_report(ctx.litou, 2024)
    text = "\n".join(p.text for p in Document(io.BytesIO(documents.render_docx(report))).paragraphs)
    f = report.figures
    assert report.title == "2024年犁头瑶族乡法治政府建设工作总结"
    usable = {m.key for m in sources.MODULES if m.key in loaded}
    for module in set(sources.MODULE_KEYS) - usable:
        print(f"skipped {module}: {failed.get(module, 'no demo')}")
    if "mediation" in usable:
        assert "全年排查调处矛盾纠纷62起，化解61起，成功率98%" in text
    if "education" in usable:
        assert "集中主题宣传10次" in text
        assert max(f["education.center_group_sessions"].value or 0, f["education.study_sessions"].value or 0) >= 10
        assert f["education.audience"].value >= 100
        assert f["education.posters"].value >= 100
        assert f["education.leaflets"].value >= 2000
        assert f"受众{f['education.audience'].value}人次" in text
    if "enforcement" in usable:
        assert f["enforcement.certified_officers"].value == 4
        assert "持有执法证件的干部仅4人" in text
    if "organization" in usable:
        assert "雷斌" in text
        assert "三、下一步工作安排\n（一）" in text
    if "decisions" in usable:
        assert "“三重一大”" in text
    print(text)


def test_every_app_with_a_demo_is_loaded():
    """core.demo lists the loaders by hand: an app with a demo module must be in the list."""
    import importlib.util

    from django.conf import settings

    from fazhi.core.demo import app_loaders

    for kind in ("demo", "demo_current"):
        listed = [app for app, _ in app_loaders(kind)]
        present = [app for app in settings.FAZHI_APPS if app != "fazhi.core"
                   and importlib.util.find_spec(f"{app}.{kind}") is not None]
        assert listed == present, kind
