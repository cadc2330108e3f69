"""Content checks past the first bytes: a file is refused when its structure is not what its header says.

`sniff` names the type from the first 4 KB; an attacker can put an MP4 or PDF header in front of an
executable. Here the whole file is checked, in constant memory:
- ISO-BMFF (MP4, MOV, 3GP, HEIC): the top-level boxes must tile the file exactly (and the children of the
  usual container boxes tile their parent); every box type is printable; no box payload starts with an
  executable or archive. Only box headers are read (seeks), so a 4 GB recording costs a few reads.
- RIFF (AVI, WAV, WebP): the RIFF size matches the file size.
- PNG: chunks tile the file up to IEND. JPEG: marker segments are well formed up to the scan data.
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
_OVERLAP = 64
# What no box payload, and no part of an Office file, may start with.
_EMBEDDED = (b"\x7fELF", b"MZ\x90\x00", b"\xcf\xfa\xed\xfe", b"\xce\xfa\xed\xfe", b"\xca\xfe\xba\xbe", b"#!/",
             b"PK\x03\x04", b"Rar!\x1a\x07", b"7z\xbc\xaf\x27\x1c", b"\x1f\x8b\x08")

_BMFF_CONTAINERS = {b"moov", b"trak", b"mdia", b"minf", b"stbl", b"edts", b"dinf", b"mvex", b"moof", b"traf",
                    b"mfra"}
_OOXML_ROOTS = ("[Content_Types].xml", "_rels/", "docProps/", "word/", "xl/", "ppt/", "customXml/")


def _refuse(reason: str):
    raise ContentRefused(REFUSED.format(reason))


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
        tail = window[-_OVERLAP:]


def _read_at(fh, offset: int, n: int) -> bytes:
    fh.seek(offset)
    return fh.read(n)


def _walk_boxes(fh, start: int, end: int, depth: int = 0) -> None:
    pos = start
    while pos < end:
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
        if size < head_len or pos + size > end:
            _refuse("盒大小超出文件")
        payload = pos + head_len
        if kind in _BMFF_CONTAINERS and depth < 8:
            _walk_boxes(fh, payload, pos + size, depth + 1)
        elif size > head_len:
            if _read_at(fh, payload, 8).startswith(_EMBEDDED):
                _refuse("盒内是可执行程序或压缩包")
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
        pos += 12 + length
        if kind == b"IEND":
            break
    if pos != size:
        _refuse("PNG 结束块之后还有数据")


def _check_jpeg(fh, size: int) -> None:
    pos = 2
    while True:
        marker = _read_at(fh, pos, 4)
        if len(marker) < 2 or marker[0] != 0xFF:
            _refuse("JPEG 段结构无效")
        code = marker[1]
        if code == 0xFF:  # fill byte
            pos += 1
            continue
        if code == 0xD9:  # EOI before any scan (an empty image) is still well formed
            return
        if 0xD0 <= code <= 0xD7 or code == 0x01:
            pos += 2
            continue
        if len(marker) < 4:
            _refuse("JPEG 段结构不完整")
        length = struct.unpack(">H", marker[2:4])[0]
        if length < 2 or pos + 2 + length > size:
            _refuse("JPEG 段超出文件")
        if code == 0xDA:  # start of scan: entropy-coded data follows up to EOI
            return
        pos += 2 + length


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
