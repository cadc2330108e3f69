"""The structural walk of media and images (issue 14): an executable, script or archive hidden behind a valid
header is refused wherever the format has a boundary (ISO-BMFF boxes, mdat's first bytes, PNG chunks, JPEG
segments, after JPEG's EOI), and an unknown top-level box is not a recording. Crafted files, no database."""

from __future__ import annotations

import struct
import zlib

import pytest

from fazhi.evidence.sniff import SNIFF_BYTES, ContentRefused, check
from fazhi.evidence.structure import verify_structure

from .conftest import MP4_HEAD, mp4_bytes

ELF = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 8 + b"\x02\x00\x3e\x00" + b"\x90" * 300
# A PE without the usual DOS stub (no "MZ\x90\x00", no "This program cannot be run in DOS mode"): e_lfanew → PE\0\0.
PE = b"MZ" + b"\x00" * 0x3A + struct.pack("<I", 0x80) + b"\x00" * 0x40 + b"PE\x00\x00" + b"\x4c\x01" + b"\x00" * 200
MACHO_BE = b"\xfe\xed\xfa\xce\x00\x00\x00\x07" + b"\x00" * 200
SCRIPT = b"#!python3\nimport os\nos.system('rm -rf /')\n"
ZIP = b"PK\x03\x04\x14\x00\x00\x00\x08\x00" + b"\x00" * 16 + b"\x05\x00\x00\x00a.exe" + b"\x00" * 100


def box(kind: bytes, payload: bytes = b"") -> bytes:
    return struct.pack(">I", 8 + len(payload)) + kind + payload


def box64(kind: bytes, payload: bytes) -> bytes:
    return struct.pack(">I", 1) + kind + struct.pack(">Q", 16 + len(payload)) + payload


def png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png(*extra_chunks: bytes, after: bytes = b"") -> bytes:
    return (b"\x89PNG\r\n\x1a\n" + png_chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0))
            + b"".join(extra_chunks) + png_chunk(b"IDAT", zlib.compress(b"\x00\xff\x00\x00"))
            + png_chunk(b"IEND", b"") + after)


def jpeg(*segments: bytes, scan: bytes = b"\x55" * 3000, after: bytes = b"", eoi: bool = True) -> bytes:
    app0 = b"\xff\xe0" + struct.pack(">H", 16) + b"JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
    return (b"\xff\xd8" + app0 + b"".join(segments) + b"\xff\xda\x00\x08\x01\x01\x00\x00\x3f\x00" + scan
            + (b"\xff\xd9" if eoi else b"") + after)


def verdict(tmp_path, data: bytes, name: str) -> str:
    """"" when accepted, else the Chinese refusal."""
    path = tmp_path / name
    path.write_bytes(data)
    try:
        verify_structure(path, check(data[:SNIFF_BYTES], name))
    except ContentRefused as e:
        return e.message
    return ""


MOOV = box(b"moov", box(b"mvhd", b"\x00" * 100) + box(b"trak", box(b"tkhd", b"\x00" * 84)))


@pytest.mark.parametrize("payload,kind", [(ELF, "ELF"), (PE, "Windows"), (MACHO_BE, "macOS"), (SCRIPT, "脚本"),
                                          (ZIP, "压缩包")])
def test_an_executable_script_or_zip_as_mdat_first_bytes_is_refused(tmp_path, payload, kind):
    for mdat in (box(b"mdat", payload), box64(b"mdat", payload)):
        message = verdict(tmp_path, MP4_HEAD + MOOV + mdat, "录像.mp4")
        assert "媒体数据（mdat）开头" in message and kind in message and "不能作为证据" in message


@pytest.mark.parametrize("payload,kind", [(ELF, "ELF"), (PE, "Windows"), (SCRIPT, "脚本"), (ZIP, "zip")])
def test_an_executable_or_zip_at_a_box_boundary_is_refused(tmp_path, payload, kind):
    message = verdict(tmp_path, mp4_bytes(5000) + payload, "录像.mp4")  # appended after the last box
    assert "盒边界处" in message and kind in message
    message = verdict(tmp_path, MP4_HEAD + payload + box(b"mdat", b"\x11" * 500), "录像.mp4")  # between boxes
    assert "盒边界处" in message and kind in message


def test_only_known_top_level_boxes_make_a_recording(tmp_path):
    message = verdict(tmp_path, MP4_HEAD + box(b"evil", b"\x00" * 64) + box(b"mdat", b"\x11" * 500), "录像.mp4")
    assert "未知的盒类型“evil”" in message
    # an unknown box inside a container is fine (vendors add their own), and so is a known vendor layout
    ok = (MP4_HEAD + box(b"moov", box(b"mvhd", b"\x00" * 100) + box(b"XYZ1", b"\x00" * 8)) + box(b"udta", b"\x00" * 8)
          + box(b"uuid", b"\x01" * 16 + b"\x00" * 20) + box(b"mdat", b"\x11" * 500) + box(b"skip", b"\x00" * 8))
    assert verdict(tmp_path, ok, "录像.mp4") == ""


def test_executables_behind_a_uuid_box_type_or_in_a_nested_box_are_refused(tmp_path):
    assert "ELF" in verdict(tmp_path, MP4_HEAD + box(b"uuid", b"\x01" * 16 + ELF), "录像.mp4")
    nested = box(b"moov", box(b"mvhd", b"\x00" * 100) + box(b"trak", box(b"tkhd", PE)))
    assert "“tkhd”盒的内容开头是Windows" in verdict(tmp_path, MP4_HEAD + nested + box(b"mdat", b"\x11" * 99),
                                                   "录像.mp4")


def test_media_bytes_that_only_look_like_a_signature_are_accepted(tmp_path):
    # "MZ" with no PE header behind it, "#" without "!", an ELF magic deep inside compressed media
    for payload in (b"MZ" + b"\x00" * 300, b"#1" + b"\x00" * 300, b"\x00" * 64 + ELF):
        assert verdict(tmp_path, MP4_HEAD + MOOV + box(b"mdat", payload), "录像.mp4") == ""


def test_a_pe_without_dos_stub_text_is_found_anywhere_in_a_document(tmp_path):
    pdf = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\n" + PE + b"\ntrailer<</Root 1 0 R>>\n%%EOF\n"
    assert "Windows 可执行程序" in verdict(tmp_path, pdf, "文书.pdf")
    split = b"%PDF-1.4\n" + b"%" * (1024 * 1024 - 30) + PE + b"\n%%EOF\n"  # straddles the 1 MB scan window
    assert "Windows 可执行程序" in verdict(tmp_path, split, "文书.pdf")


def test_png_chunks_may_not_carry_an_executable_or_archive(tmp_path):
    assert verdict(tmp_path, png(png_chunk(b"tEXt", b"Comment\x00ok")), "现场.png") == ""
    assert "PNG “tEXt”块的内容开头是zip" in verdict(tmp_path, png(png_chunk(b"tEXt", ZIP)), "现场.png")
    assert "ELF" in verdict(tmp_path, png(png_chunk(b"zzZz", ELF)), "现场.png")
    assert "结束块之后" in verdict(tmp_path, png(after=ZIP), "现场.png")


def test_jpeg_segments_scans_and_the_end_are_walked(tmp_path):
    # stuffed 0xFF00, restart markers, a second scan after a DHT: all well formed
    scan = b"\x12\xff\x00\x34" * 200 + b"\xff\xd0" + b"\x56" * 100
    dht = b"\xff\xc4" + struct.pack(">H", 6) + b"\x00\x01\x02\x03"
    progressive = jpeg(scan=scan + dht + b"\xff\xda\x00\x08\x01\x01\x00\x00\x3f\x00" + b"\x77" * 300)
    assert verdict(tmp_path, progressive, "现场.jpg") == ""
    exif = b"\xff\xe1" + struct.pack(">H", 2 + len(ELF)) + ELF
    assert "JPEG 段的内容开头是ELF" in verdict(tmp_path, jpeg(exif), "现场.jpg")
    assert "结束标记（EOI）" in verdict(tmp_path, jpeg(eoi=False), "现场.jpg")
    assert "JPEG 结束标记之后是zip" in verdict(tmp_path, jpeg(after=ZIP), "现场.jpg")
    assert "附加了压缩包" in verdict(tmp_path, jpeg(after=b"vendor trailer" + ZIP), "现场.jpg")
    assert "脚本" in verdict(tmp_path, jpeg(after=SCRIPT), "现场.jpg")


def test_a_motion_photo_is_a_jpeg_with_an_mp4_after_it(tmp_path):
    assert verdict(tmp_path, jpeg(after=mp4_bytes(4000)), "动态照片.jpg") == ""
    assert "盒边界处是ELF" in verdict(tmp_path, jpeg(after=mp4_bytes(4000) + ELF), "动态照片.jpg")
    assert verdict(tmp_path, jpeg(after=b"SEFH vendor data"), "现场.jpg") == ""  # a phone's own trailer


def test_the_refusal_reaches_the_uploader_in_chinese(ingest):
    from fazhi.evidence.models import EvidenceFile

    with pytest.raises(ContentRefused, match="媒体数据（mdat）开头是Windows 可执行程序.*不能作为证据"):
        ingest(MP4_HEAD + box(b"mdat", PE), filename="执法记录仪.mp4")
    assert not EvidenceFile.objects.exists()
