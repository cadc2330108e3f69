"""Content checks past the first bytes: a file is refused when its structure is not what its header says.

`sniff` names the type from the first 4 KB; an attacker can put an MP4 or PDF header in front of an
executable. Here the whole file is checked, in constant memory:
- ISO-BMFF (MP4, MOV, 3GP, HEIC): the top-level boxes must tile the file exactly (and the children of the
  usual container boxes tile their parent); a top-level box has a type ISO/IEC 14496-12 or QuickTime defines
  there (`BMFF_TOP_LEVEL`), every nested box type is printable; no executable or archive signature stands at a
  box boundary (where a box header should be) or at the start of a box payload (mdat's first bytes included).
  Only box headers are read (seeks), so a 4 GB recording costs a few reads.
- RIFF (AVI, WAV, WebP): the RIFF size matches the file size.
- PNG: chunks tile the file up to IEND; no chunk's data starts with an executable or archive.
- JPEG: marker segments are well formed, no segment's data starts with an executable or archive, the scans run
  to EOI; after EOI only padding or an appended MP4 (a phone's motion photo, walked as ISO-BMFF) may follow.
- PDF: ends with %%EOF (only whitespace after it).
- Office/OFD (zip): one archive from the first byte to the end-of-central-directory record (nothing appended),
  with the parts of that document type; no executables or archives inside.
- Everything but ISO-BMFF/RIFF: every byte is scanned for ELF, PE, Mach-O and script signatures.
"""

from __future__ import annotations

import os
import re
import struct
import zipfile
from pathlib import Path

from fazhi.evidence.sniff import ARCHIVE_EXTENSIONS, EXECUTABLE_EXTENSIONS, ContentRefused, Sniffed

SCAN_CHUNK = 1024 * 1024
REFUSED = "文件内容与其格式不符（{0}），可能夹带了其他程序或数据，不能作为证据。"

# Each signature: a literal to find fast, then a pattern that must match there (long enough that compressed
# media never matches by chance).
_SIGNATURES = [
    (b"\x7fELF", re.compile(rb"\x7fELF[\x01\x02][\x01\x02]\x01[\x00-\x12]\x00{7}", re.S), "ELF 可执行程序"),
    (b"This program cannot be run in DOS mode", None, "Windows 可执行程序"),
    (b"\xcf\xfa\xed\xfe", re.compile(rb"\xcf\xfa\xed\xfe[\x07\x0c]\x00\x00\x01.{4}[\x01-\x0b]\x00\x00\x00", re.S),
     "macOS 可执行程序"),
    (b"\xce\xfa\xed\xfe", re.compile(rb"\xce\xfa\xed\xfe[\x07\x0c]\x00\x00\x00.{4}[\x01-\x0b]\x00\x00\x00", re.S),
     "macOS 可执行程序"),
    (b"#!/", re.compile(rb"#!/(usr/)?(local/)?bin/(env )?(sh|bash|dash|zsh|python[0-9.]*|perl|ruby|node|php)\b"),
     "脚本"),
]
_PE_MAX_OFFSET = 0x400  # where a PE header may start (e_lfanew); real linkers put it at 0x40..0x200
_OVERLAP = _PE_MAX_OFFSET + 8
# What no box payload or box boundary, no image chunk or segment, and no part of an Office file may start with.
_EMBEDDED = (b"\x7fELF", b"MZ\x90\x00", b"\xcf\xfa\xed\xfe", b"\xce\xfa\xed\xfe", b"\xfe\xed\xfa\xce",
             b"\xfe\xed\xfa\xcf", b"\xca\xfe\xba\xbe", b"#!", b"PK\x03\x04", b"Rar!\x1a\x07", b"7z\xbc\xaf\x27\x1c",
             b"\x1f\x8b\x08")
_EMBEDDED_LABELS = ((b"\x7fELF", "ELF 可执行程序"), (b"MZ", "Windows 可执行程序"), (b"#!", "脚本"),
                    (b"PK\x03\x04", "zip 压缩包"))

# Top-level box types (ISO/IEC 14496-12 §4.2 table 1, QuickTime File Format, HEIF, CMAF): anything else at the
# top of a file is not a recording.
BMFF_TOP_LEVEL = frozenset({b"ftyp", b"styp", b"moov", b"mdat", b"free", b"skip", b"wide", b"pnot", b"uuid", b"meta",
                            b"moof", b"mfra", b"sidx", b"ssix", b"prft", b"emsg", b"pdin", b"bloc", b"meco", b"udta",
                            b"junk", b"imda", b"etyp", b"otyp", b"mfro"})

_BMFF_CONTAINERS = {b"moov", b"trak", b"mdia", b"minf", b"stbl", b"edts", b"dinf", b"mvex", b"moof", b"traf",
                    b"mfra"}
_OOXML_ROOTS = ("[Content_Types].xml", "_rels/", "docProps/", "word/", "xl/", "ppt/", "customXml/")


def _refuse(reason: str):
    raise ContentRefused(REFUSED.format(reason))


def _is_pe(data: bytes, at: int = 0) -> bool:
    """An MZ header at `at` whose e_lfanew points at a "PE\\0\\0" signature (in `data`)."""
    if data[at:at + 2] != b"MZ" or len(data) < at + 0x40:
        return False
    offset = int.from_bytes(data[at + 0x3C:at + 0x40], "little")
    return 0x40 <= offset <= _PE_MAX_OFFSET and data[at + offset:at + offset + 4] == b"PE\x00\x00"


def _embedded_at(fh, offset: int) -> str:
    """The kind of executable or archive starting at `offset`, or ""."""
    head = _read_at(fh, offset, 8)
    if head.startswith(b"MZ"):
        return "Windows 可执行程序" if _is_pe(_read_at(fh, offset, _PE_MAX_OFFSET + 4)) or \
            head.startswith(b"MZ\x90\x00") else ""
    if head.startswith(b"#!AMR"):  # an AMR recording's own header
        return ""
    if head.startswith(_EMBEDDED):
        return next((label for magic, label in _EMBEDDED_LABELS if head.startswith(magic)),
                    "macOS 可执行程序" if head[:1] in b"\xcf\xce\xfe\xca" else "压缩包")
    return ""


def _refuse_embedded(fh, offset: int, where: str) -> None:
    if kind := _embedded_at(fh, offset):
        _refuse(f"{where}是{kind}")


def scan_for_executables(fh, start: int = 0) -> None:
    """Refuse if an executable or script signature occurs anywhere from `start` on (streaming)."""
    fh.seek(start)
    tail = b""
    while True:
        chunk = fh.read(SCAN_CHUNK)
        if not chunk:
            return
        window = tail + chunk
        for literal, pattern, label in _SIGNATURES:
            at = window.find(literal)
            while at != -1:
                if pattern is None or pattern.match(window, at):
                    _refuse(f"含有{label}")
                at = window.find(literal, at + 1)
        at = window.find(b"MZ")
        while at != -1:  # a PE header without the DOS stub's text
            if _is_pe(window, at):
                _refuse("含有Windows 可执行程序")
            at = window.find(b"MZ", at + 1)
        tail = window[-_OVERLAP:]


def _read_at(fh, offset: int, n: int) -> bytes:
    fh.seek(offset)
    return fh.read(n)


def _walk_boxes(fh, start: int, end: int, depth: int = 0) -> None:
    pos = start
    while pos < end:
        _refuse_embedded(fh, pos, "盒边界处")
        header = _read_at(fh, pos, 16)
        if len(header) < 8 or end - pos < 8:
            _refuse("盒结构末尾有多余数据")
        size, kind = struct.unpack(">I4s", header[:8])
        head_len = 8
        if size == 1:
            if len(header) < 16:
                _refuse("盒结构不完整")
            size = struct.unpack(">Q", header[8:16])[0]
            head_len = 16
        elif size == 0:
            size = end - pos  # "to the end of the file": only meaningful for the last box
        if not all(0x20 <= b <= 0x7E for b in kind):
            _refuse("盒类型无效")
        if depth == 0 and kind not in BMFF_TOP_LEVEL:
            _refuse(f"文件顶层出现未知的盒类型“{kind.decode('ascii')}”")
        if size < head_len or pos + size > end:
            _refuse("盒大小超出文件")
        payload = pos + head_len
        if kind in _BMFF_CONTAINERS and depth < 8:
            _walk_boxes(fh, payload, pos + size, depth + 1)
        elif size > head_len:
            where = "媒体数据（mdat）开头" if kind == b"mdat" else f"“{kind.decode('ascii')}”盒的内容开头"
            _refuse_embedded(fh, payload, where)
            if kind == b"uuid" and size > head_len + 16:  # payload after the 16-byte extended type
                _refuse_embedded(fh, payload + 16, where)
        pos += size
    if pos != end:
        _refuse("盒结构与文件大小不符")


def _check_bmff(fh, size: int) -> None:
    _walk_boxes(fh, 0, size)


def _check_riff(fh, size: int) -> None:
    declared = struct.unpack("<I", _read_at(fh, 4, 4))[0] + 8
    if declared not in (size, size - 1):  # a pad byte after an odd-sized RIFF is tolerated
        _refuse("RIFF 大小与文件大小不符")


def _check_png(fh, size: int) -> None:
    pos = 8
    while True:
        header = _read_at(fh, pos, 8)
        if len(header) < 8:
            _refuse("PNG 缺少结束块")
        length, kind = struct.unpack(">I4s", header)
        if not kind.isalpha() or pos + 12 + length > size:
            _refuse("PNG 块结构无效")
        if length >= 2:
            _refuse_embedded(fh, pos + 8, f"PNG “{kind.decode('ascii')}”块的内容开头")
        pos += 12 + length
        if kind == b"IEND":
            break
    if pos != size:
        _refuse("PNG 结束块之后还有数据")


def _skip_entropy_data(fh, pos: int, size: int) -> int:
    """From inside a scan, the offset of the next marker (0xFF not followed by 0x00, a restart marker or fill)."""
    while pos < size:
        chunk = _read_at(fh, pos, SCAN_CHUNK + 1)
        at = chunk.find(b"\xff")
        while at != -1 and at + 1 < len(chunk):
            nxt = chunk[at + 1]
            if nxt != 0x00 and not 0xD0 <= nxt <= 0xD7 and nxt != 0xFF:
                return pos + at
            at = chunk.find(b"\xff", at + 1)
        pos += max(len(chunk) - 1, 1)
    return size


def _check_jpeg(fh, size: int) -> None:
    pos = 2
    while True:
        marker = _read_at(fh, pos, 4)
        if len(marker) < 2 or marker[0] != 0xFF:
            _refuse("JPEG 段结构无效" if len(marker) >= 2 else "JPEG 缺少结束标记（EOI）")
        code = marker[1]
        if code == 0xFF:  # fill byte
            pos += 1
            continue
        if code == 0xD9:  # EOI (before any scan: an empty image, still well formed)
            _check_jpeg_trailer(fh, pos + 2, size)
            return
        if 0xD0 <= code <= 0xD7 or code == 0x01:
            pos += 2
            continue
        if len(marker) < 4:
            _refuse("JPEG 段结构不完整")
        length = struct.unpack(">H", marker[2:4])[0]
        if length < 2 or pos + 2 + length > size:
            _refuse("JPEG 段超出文件")
        if length > 2 and code != 0xDA:
            _refuse_embedded(fh, pos + 4, "JPEG 段的内容开头")
        pos += 2 + length
        if code == 0xDA:  # start of scan: entropy-coded data up to the next marker
            pos = _skip_entropy_data(fh, pos, size)


def _check_jpeg_trailer(fh, pos: int, size: int) -> None:
    """After EOI: nothing, padding, an appended MP4 (motion photo: walked as ISO-BMFF) or a vendor trailer with
    no executable or archive in it."""
    if pos >= size:
        return
    _refuse_embedded(fh, pos, "JPEG 结束标记之后")
    if _read_at(fh, pos + 4, 4) in BMFF_TOP_LEVEL:
        _walk_boxes(fh, pos, size)
        return
    fh.seek(pos)
    tail = b""
    while chunk := fh.read(SCAN_CHUNK):
        window = tail + chunk
        if b"PK\x03\x04" in window or b"PK\x05\x06" in window:
            _refuse("JPEG 结束标记之后附加了压缩包")
        tail = window[-3:]


def _check_pdf(fh, size: int) -> None:
    tail = _read_at(fh, max(0, size - 1024), 1024)
    at = tail.rfind(b"%%EOF")
    if at == -1 or tail[at + 5:].strip(b" \t\r\n\x00\x0c"):
        _refuse("PDF 未以 %%EOF 结束")


def _check_zip(fh, size: int, sniffed: Sniffed) -> None:
    tail = _read_at(fh, max(0, size - 65557), 65557)
    at = tail.rfind(b"PK\x05\x06")
    if at == -1 or len(tail) - at < 22:
        _refuse("压缩结构不完整")
    comment_len = struct.unpack("<H", tail[at + 20:at + 22])[0]
    if at + 22 + comment_len != len(tail):
        _refuse("文档末尾附加了其他数据")
    fh.seek(0)
    try:
        with zipfile.ZipFile(fh) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        _refuse("文档的压缩结构损坏")
    if not infos or min(i.header_offset for i in infos) != 0:
        _refuse("文档前面附加了其他数据")
    names = [i.filename for i in infos]
    if sniffed.mime == "application/ofd":
        if "OFD.xml" not in names:
            _refuse("缺少 OFD.xml")
    elif "[Content_Types].xml" not in names or any(not n.startswith(_OOXML_ROOTS) for n in names):
        _refuse("不是 Office 文档的结构")
    for info in infos:
        ext = info.filename.rsplit(".", 1)[-1].lower() if "." in info.filename else ""
        if ext in EXECUTABLE_EXTENSIONS or ext in ARCHIVE_EXTENSIONS:
            _refuse(f"内含 {info.filename}")


def verify_structure(path: Path | str, sniffed: Sniffed) -> None:
    """Refuse (ContentRefused, nothing stored) a file whose structure does not match its sniffed type."""
    size = os.path.getsize(path)
    with open(path, "rb") as fh:
        head = _read_at(fh, 0, 16)
        if head[4:8] in {b"ftyp", b"moov", b"mdat", b"wide", b"free", b"skip"}:
            _check_bmff(fh, size)
            return  # media data is opaque: its boxes were checked, its payload starts too
        if head.startswith(b"RIFF"):
            _check_riff(fh, size)
            return
        if head.startswith(b"\x89PNG"):
            _check_png(fh, size)
        elif head.startswith(b"\xff\xd8\xff"):
            _check_jpeg(fh, size)
        elif head.startswith(b"%PDF-"):
            _check_pdf(fh, size)
        elif head.startswith(b"PK\x03\x04"):
            _check_zip(fh, size, sniffed)
        scan_for_executables(fh)
