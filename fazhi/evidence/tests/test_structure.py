"""The whole file is checked, not only its first bytes: a header in front of something else is refused,
and archives are refused whatever their name (README: 压缩包不能作为证据)."""

from __future__ import annotations

import io
import zipfile

import pytest

from fazhi.evidence.models import Blob, EvidenceFile
from fazhi.evidence.sniff import ContentRefused, check

from .conftest import MP4_HEAD, mp4_bytes

ELF = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 8 + b"\x02\x00\x3e\x00" + b"\x90" * 3000
PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 9 + b"\xff\xda\x00\x02" + b"\x55" * 5000 + b"\xff\xd9"


def _png(extra: bytes = b"") -> bytes:
    import struct
    import zlib

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(b"\x00\xff\x00\x00")) + chunk(b"IEND", b"") + extra)


def _docx(**extra_parts) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("_rels/.rels", "<Relationships/>")
        z.writestr("word/document.xml", "<w:document/>" * 200)
        for name, data in extra_parts.items():
            z.writestr(name.replace("__", "/").replace("_dot_", "."), data)
    return buf.getvalue()


def _refused(ingest, data, filename, match="不符|不能作为证据"):
    with pytest.raises(ContentRefused, match=match):
        ingest(data, filename=filename)
    assert not EvidenceFile.objects.exists() and not Blob.objects.exists()


def test_an_mp4_header_followed_by_an_executable_is_refused(ingest):
    _refused(ingest, MP4_HEAD + ELF, "录像.mp4")


def test_an_executable_inside_an_mp4_box_is_refused(ingest):
    payload = ELF
    _refused(ingest, MP4_HEAD + (len(payload) + 8).to_bytes(4, "big") + b"mdat" + payload, "录像.mp4")


def test_mp4_boxes_must_tile_the_file(ingest):
    _refused(ingest, mp4_bytes(6000) + b"\x00" * 7, "录像.mp4")  # trailing bytes after the last box
    _refused(ingest, mp4_bytes(6000)[:-10], "录像.mp4")  # last box runs past the end
    ok = ingest(mp4_bytes(6000), filename="录像.mp4")
    assert ok.content_type == "video/mp4"


def test_nested_boxes_and_a_64_bit_box_are_walked(ingest):
    mvhd = (8 + 100).to_bytes(4, "big") + b"mvhd" + b"\x00" * 100
    moov = (8 + len(mvhd)).to_bytes(4, "big") + b"moov" + mvhd
    mdat = (1).to_bytes(4, "big") + b"mdat" + (16 + 4000).to_bytes(8, "big") + b"\x33" * 4000
    assert ingest(MP4_HEAD + moov + mdat, filename="a.mp4").size == len(MP4_HEAD + moov + mdat)
    EvidenceFile.objects.all().delete()
    Blob.objects.all().delete()
    long_mvhd = (8 + 200).to_bytes(4, "big") + b"mvhd" + b"\x00" * 100  # a child running past its parent
    bad_moov = (8 + len(long_mvhd)).to_bytes(4, "big") + b"moov" + long_mvhd
    _refused(ingest, MP4_HEAD + bad_moov + mdat, "b.mp4")


def test_a_pdf_must_end_with_eof_and_carry_no_executable(ingest):
    assert ingest(PDF, filename="文书.pdf").content_type == "application/pdf"
    EvidenceFile.objects.all().delete()
    Blob.objects.all().delete()
    _refused(ingest, PDF.replace(b"%%EOF", b"%%EOX"), "文书.pdf")
    _refused(ingest, PDF + ELF, "文书.pdf")
    _refused(ingest, PDF[:-7] + ELF + b"\n%%EOF\n", "文书.pdf")


def test_images_are_checked_for_structure_and_payloads(ingest):
    assert ingest(_png(), filename="现场.png").content_type == "image/png"
    assert ingest(JPEG, filename="现场.jpg").content_type == "image/jpeg"
    EvidenceFile.objects.all().delete()
    Blob.objects.all().delete()
    _refused(ingest, _png(ELF), "现场.png")
    _refused(ingest, JPEG + ELF, "现场.jpg")
    _refused(ingest, b"\xff\xd8\xff\xe0\x00\x01" + b"\x00" * 5000, "现场.jpg")
    _refused(ingest, JPEG + b"#!/bin/sh\nrm -rf /\n", "现场.jpg")


def test_office_documents_are_accepted_but_not_as_a_zip(ingest):
    assert ingest(_docx(), filename="询问笔录.docx").content_type.startswith("application/vnd.openxml")
    EvidenceFile.objects.all().delete()
    Blob.objects.all().delete()
    _refused(ingest, _docx(), "材料.zip", match="压缩包")
    _refused(ingest, _docx(), "材料", match="压缩包")
    _refused(ingest, _docx(word__tool_dot_exe=b"MZ"), "询问笔录.docx")
    _refused(ingest, _docx(evil__run_dot_sh=b"x"), "询问笔录.docx")
    _refused(ingest, _docx() + ELF, "询问笔录.docx")
    _refused(ingest, ELF + _docx(), "询问笔录.docx", match="可执行")


@pytest.mark.parametrize("head,name", [
    (b"Rar!\x1a\x07\x01\x00" + b"\x00" * 600, "a.rar"),
    (b"7z\xbc\xaf\x27\x1c\x00\x04" + b"\x00" * 600, "a.7z"),
    (b"\x1f\x8b\x08\x00" + b"\x00" * 600, "a.gz"),
    (b"a.txt".ljust(257, b"\x00") + b"ustar\x0000" + b"\x00" * 600, "a.tar"),
    (b"PK\x03\x04" + b"\x00" * 22 + b"\x05\x00\x00\x00a.txt" + b"\x00" * 600, "a.zip"),
    (b"PK\x03\x04" + b"\x00" * 22 + b"\x05\x00\x00\x00a.txt" + b"\x00" * 600, "录像.mp4"),
])
def test_archives_are_refused_whatever_their_name(head, name):
    with pytest.raises(ContentRefused, match="压缩包|不符|无法识别"):
        check(head, name)
    if name.endswith((".rar", ".7z", ".gz", ".tar", ".zip")):
        with pytest.raises(ContentRefused, match="压缩包"):
            check(head, "证据")


@pytest.mark.django_db
def test_tus_refuses_an_archive_by_name_before_any_byte(demo):
    from fazhi.evidence.models import Stage
    from fazhi.evidence.uploads import upload_create

    with pytest.raises(ContentRefused, match="压缩包"):
        upload_create(actor=demo.user("litou_officer"), township=demo.litou, length=100, filename="全部录像.zip",
                      stage=Stage.INVESTIGATION)
