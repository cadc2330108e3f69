import io
import zipfile

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from docx import Document

from fazhi.decisions import demo as decisions_demo
from fazhi.decisions.documents import archive_zip
from fazhi.decisions.models import Decision, DecisionStatus
from fazhi.decisions.selectors import annual_stats

pytestmark = pytest.mark.django_db

KEYS = {"decisions", "by_category", "with_legality_review", "with_collective_discussion", "with_public_participation",
        "counsel_opinions", "litigation_cases", "reconsideration_cases", "counsel", "opinions_by_subject",
        "head_appearance_rate", "litigation_outcomes", "avg_opinion_days"}


@pytest.fixture
def loaded(demo):
    decisions_demo.load(demo)
    decisions_demo.load(demo)  # idempotent
    return demo


def test_demo_gives_the_seed_township_2024(loaded):
    stats = annual_stats(loaded.litou, 2024)
    assert set(stats) == KEYS
    assert stats["decisions"] == 5
    assert stats["by_category"]["大额资金使用"] == 1 and sum(stats["by_category"].values()) == 5
    assert stats["with_legality_review"] == 5 and stats["with_collective_discussion"] == 4
    assert stats["with_public_participation"] == 2
    assert stats["counsel"] == {"name": "陈律师", "firm": "湖南蓝山正和律师事务所"}
    assert stats["counsel_opinions"] == 5
    assert stats["opinions_by_subject"]["矛盾纠纷"] == 2 and stats["opinions_by_subject"]["重大决策"] == 1
    assert stats["litigation_cases"] == 1 and stats["reconsideration_cases"] == 1
    assert stats["head_appearance_rate"] == 100
    assert stats["litigation_outcomes"]["维持/驳回请求"] == 2
    assert isinstance(stats["avg_opinion_days"], float) and 3 <= stats["avg_opinion_days"] <= 7
    assert Decision.objects.filter(township=loaded.litou, year=2024, status=DecisionStatus.IMPLEMENTATION).count() == 2


def test_empty_year_and_constant_queries(loaded):
    with CaptureQueriesContext(connection) as few:
        empty = annual_stats(loaded.litou, 2019)
    with CaptureQueriesContext(connection) as many:
        annual_stats(loaded.litou, 2024)
    assert len(few) == len(many) <= 10
    assert empty["decisions"] == 0 and empty["counsel"] is None and empty["head_appearance_rate"] is None
    assert empty["avg_opinion_days"] is None and empty["by_category"]["重大行政决策"] == 0
    assert annual_stats(loaded.demo2, 2024)["decisions"] == 1


def test_archive_bundle_has_index_minutes_and_every_attachment(loaded):
    d = Decision.objects.get(township=loaded.litou, title__startswith="犁头瑶族乡农村人居环境")
    zf = zipfile.ZipFile(io.BytesIO(archive_zip(d)))
    names = zf.namelist()
    assert names[0] == "00_卷内目录.docx"
    assert any(n.startswith("会议纪要/") for n in names)
    files = [n for n in names if n.startswith("附件/")]
    assert len(files) == d.attachments.count() >= 4
    index = Document(io.BytesIO(zf.read("00_卷内目录.docx")))
    cells = {c.text for t in index.tables for r in t.rows for c in r.cells}
    assert all(a.sha256 in cells for a in d.attachments.all())
    assert "合法性审查" in cells and "犁政档-2024-001" in "\n".join(p.text for p in index.paragraphs)
    att = d.attachments.first()
    import hashlib

    member = next(n for n in files if n.endswith(att.original_name))
    assert hashlib.sha256(zf.read(member)).hexdigest() == att.sha256
