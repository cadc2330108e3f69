import pytest

from fazhi.core.errors import DomainError
from fazhi.evidence.sniff import check, sniff

PAD = b"\x00" * 600

CASES = [
    (b"\x00\x00\x00\x18ftypisom" + PAD, "a.mp4", "video/mp4"),
    (b"\x00\x00\x00\x14ftypqt  " + PAD, "a.mov", "video/quicktime"),
    (b"RIFF\x00\x00\x00\x00AVI LIST" + PAD, "a.avi", "video/x-msvideo"),
    (b"\x1a\x45\xdf\xa3\x93\x42\x82\x88matroska" + PAD, "a.mkv", "video/x-matroska"),
    (b"RIFF\x00\x00\x00\x00WAVEfmt " + PAD, "a.wav", "audio/wav"),
    (b"ID3\x03\x00" + PAD, "a.mp3", "audio/mpeg"),
    (b"\xff\xfb\x90\x00" + PAD, "a.mp3", "audio/mpeg"),
    (b"\xff\xf1\x50\x80" + PAD, "a.aac", "audio/aac"),
    (b"#!AMR\n" + PAD, "a.amr", "audio/amr"),
    (b"\xff\xd8\xff\xe0\x00\x10JFIF" + PAD, "a.jpg", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n" + PAD, "a.png", "image/png"),
    (b"%PDF-1.7\n" + PAD, "a.pdf", "application/pdf"),
    (b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00" + b"\x00" * 12 + b"\x13\x00\x00\x00[Content_Types].xml" + PAD,
     "a.docx", "application/vnd.openxmlformats-officedocument"),
    ((b"\x47" + b"\x00" * 187) * 3 + PAD, "a.ts", "video/mp2t"),
]


@pytest.mark.parametrize("head,name,mime", CASES)
def test_it_recognises_evidence_formats(head, name, mime):
    assert check(head, name).mime == mime


@pytest.mark.parametrize("head", [b"MZ\x90\x00" + PAD, b"\x7fELF\x02\x01" + PAD, b"#!/bin/sh\nrm -rf /" + PAD,
                                  b"\xcf\xfa\xed\xfe" + PAD])
def test_it_refuses_executables_whatever_their_name(head):
    assert sniff(head) is None
    with pytest.raises(DomainError, match="可执行"):
        check(head, "录像.mp4")


def test_a_plain_zip_is_not_a_document():
    head = b"PK\x03\x04" + b"\x00" * 22 + b"\x07\x00\x00\x00evil.sh" + PAD
    with pytest.raises(DomainError):
        check(head, "a.docx")


def test_an_unknown_extension_is_judged_by_content():
    assert check(b"\x00\x00\x00\x18ftypmp42" + PAD, "REC0001.DAT").mime == "video/mp4"
