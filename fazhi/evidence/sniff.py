"""Content sniffing from the first bytes: the type is what the bytes say, never what the name says.
Our own small table (no libmagic): recordings, photos and documents are accepted, anything else
(executables, scripts, archives) is refused, and so is a file whose extension claims another kind.
`structure.verify_structure` then checks the whole file (a header in front of something else is refused)."""

from __future__ import annotations

from dataclasses import dataclass

from fazhi.core.errors import DomainError

SNIFF_BYTES = 4096


class ContentRefused(DomainError):
    """The bytes are not something we keep as evidence (HTTP 415 on upload)."""


@dataclass(frozen=True)
class Sniffed:
    mime: str
    label: str

    @property
    def category(self) -> str:
        return _category(self.mime)


def _category(mime: str) -> str:
    major = mime.split("/", 1)[0]
    if major in {"video", "audio"}:
        return "media"  # one container (MP4) carries either; a .m4a named .mp4 is not suspicious
    return "image" if major == "image" else "document"


# extension → category; a known extension must agree with the sniffed category.
EXTENSIONS = {
    **dict.fromkeys("mp4 m4v mov qt 3gp 3g2 avi mkv webm ts mts m2ts mpg mpeg vob flv wmv asf dav h264 "
                    "wav mp3 aac m4a amr flac ogg oga opus wma".split(), "media"),
    **dict.fromkeys("jpg jpeg png gif tif tiff heic heif webp".split(), "image"),
    **dict.fromkeys("pdf docx xlsx pptx doc xls ppt wps et ofd".split(), "document"),
}

# Refused by name already at upload creation, before a byte is sent (content is sniffed anyway).
EXECUTABLE_EXTENSIONS = frozenset("exe dll com scr msi bat cmd ps1 vbs vbe js jse wsf hta sh elf apk jar lnk cpl".split())

# Archives are refused (README): their content cannot be sniffed, played or verified as one recording.
ARCHIVE_EXTENSIONS = frozenset("zip rar 7z tar gz tgz bz2 tbz xz txz zst lz lzma cab iso arj z".split())
ARCHIVE_REFUSED = "压缩包（zip、rar、7z、tar、gz 等）不能作为证据上传，请解压后逐个上传其中的文件。"
_ARCHIVE = (b"Rar!\x1a\x07", b"7z\xbc\xaf\x27\x1c", b"\x1f\x8b", b"BZh", b"\xfd7zXZ\x00", b"\x28\xb5\x2f\xfd",
            b"MSCF", b"PK\x05\x06", b"PK\x07\x08")
# Zip-based documents: only under their own extension (a .zip holding an Office part list is still an archive).
ZIP_DOCUMENT_EXTENSIONS = frozenset("docx xlsx pptx ofd wps et dps".split())
_ZIP_MIMES = {"application/ofd", "application/vnd.openxmlformats-officedocument"}


def is_archive(head: bytes) -> bool:
    return head.startswith(_ARCHIVE) or head[257:262] == b"ustar" or head.startswith(b"PK\x03\x04")


_EXECUTABLE = (b"MZ", b"\x7fELF", b"\xfe\xed\xfa\xce", b"\xfe\xed\xfa\xcf", b"\xce\xfa\xed\xfe",
               b"\xcf\xfa\xed\xfe", b"\xca\xfe\xba\xbe", b"#!", b"\x00asm", b"dex\n")


def _iso_bmff(head: bytes) -> Sniffed | None:
    box = head[4:8]
    if box == b"ftyp":
        brand = head[8:12]
        if brand == b"qt  ":
            return Sniffed("video/quicktime", "QuickTime 视频")
        if brand in {b"M4A ", b"M4B "}:
            return Sniffed("audio/mp4", "MPEG-4 音频")
        if brand[:3] in {b"3gp", b"3g2"}:
            return Sniffed("video/3gpp", "3GP 视频")
        if brand in {b"heic", b"heix", b"mif1", b"msf1", b"hevc"}:
            return Sniffed("image/heic", "HEIC 图片")
        return Sniffed("video/mp4", "MP4 视频")
    if box in {b"moov", b"mdat", b"wide", b"free", b"skip"}:  # older QuickTime files start without ftyp
        return Sniffed("video/quicktime", "QuickTime 视频")
    return None


def _zip(head: bytes) -> Sniffed | None:
    name_len = int.from_bytes(head[26:28], "little")
    first = head[30:30 + name_len]
    if first == b"OFD.xml":
        return Sniffed("application/ofd", "OFD 版式文档")
    if first in {b"[Content_Types].xml", b"_rels/.rels"} or first.startswith((b"docProps/", b"word/", b"xl/", b"ppt/")):
        return Sniffed("application/vnd.openxmlformats-officedocument", "Office 文档")
    return None


def _mpeg_audio(head: bytes) -> Sniffed | None:
    if len(head) < 2 or head[0] != 0xFF:
        return None
    b1 = head[1]
    if b1 & 0xF6 == 0xF0:  # ADTS sync, layer 00
        return Sniffed("audio/aac", "AAC 音频")
    if b1 & 0xE0 == 0xE0 and b1 & 0x06:  # MPEG audio frame sync with a layer
        return Sniffed("audio/mpeg", "MP3 音频")
    return None


def _ts(head: bytes) -> Sniffed | None:
    if len(head) >= 377 and head[0] == 0x47 and head[188] == 0x47 and head[376] == 0x47:
        return Sniffed("video/mp2t", "MPEG-TS 视频")
    if len(head) >= 389 and head[4] == 0x47 and head[196] == 0x47 and head[388] == 0x47:  # M2TS 192-byte packets
        return Sniffed("video/mp2t", "MPEG-TS 视频")
    return None


def _riff(head: bytes) -> Sniffed | None:
    if head[:4] != b"RIFF":
        return None
    return {b"AVI ": Sniffed("video/x-msvideo", "AVI 视频"), b"WAVE": Sniffed("audio/wav", "WAV 音频"),
            b"WEBP": Sniffed("image/webp", "WebP 图片")}.get(head[8:12])


def _ebml(head: bytes) -> Sniffed | None:
    if head[:4] != b"\x1a\x45\xdf\xa3":
        return None
    if b"webm" in head[:64]:
        return Sniffed("video/webm", "WebM 视频")
    return Sniffed("video/x-matroska", "MKV 视频")


_PREFIXES = [
    (b"#!AMR", Sniffed("audio/amr", "AMR 录音")),
    (b"ID3", Sniffed("audio/mpeg", "MP3 音频")),
    (b"fLaC", Sniffed("audio/flac", "FLAC 音频")),
    (b"OggS", Sniffed("audio/ogg", "Ogg 音频")),
    (b"\x30\x26\xb2\x75\x8e\x66\xcf\x11", Sniffed("video/x-ms-asf", "WMV 视频")),
    (b"FLV\x01", Sniffed("video/x-flv", "FLV 视频")),
    (b"\x00\x00\x01\xba", Sniffed("video/mpeg", "MPEG 视频")),
    (b"\xff\xd8\xff", Sniffed("image/jpeg", "JPEG 图片")),
    (b"\x89PNG\r\n\x1a\n", Sniffed("image/png", "PNG 图片")),
    (b"GIF87a", Sniffed("image/gif", "GIF 图片")),
    (b"GIF89a", Sniffed("image/gif", "GIF 图片")),
    (b"II*\x00", Sniffed("image/tiff", "TIFF 图片")),
    (b"MM\x00*", Sniffed("image/tiff", "TIFF 图片")),
    (b"%PDF-", Sniffed("application/pdf", "PDF 文档")),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", Sniffed("application/msword", "Office 97-2003 文档")),
]


def sniff(head: bytes) -> Sniffed | None:
    """The recognised type of a file starting with `head` (at least SNIFF_BYTES or the whole file)."""
    for prefix, result in _PREFIXES:
        if head.startswith(prefix):
            return result
    if head.startswith(_EXECUTABLE):
        return None
    for probe in (_iso_bmff, _riff, _ebml, _ts, _mpeg_audio):
        found = probe(head)
        if found:
            return found
    if head.startswith(b"PK\x03\x04"):
        return _zip(head)
    return None


def check(head: bytes, filename: str) -> Sniffed:
    """The sniffed type, or DomainError (nothing stored) for anything we do not accept as evidence."""
    if not head:
        raise ContentRefused("文件为空，不能作为证据。")
    found = sniff(head)
    if found is None:
        if head.startswith(_EXECUTABLE):
            raise ContentRefused("该文件是可执行程序或脚本，不能作为证据上传。")
        if is_archive(head):
            raise ContentRefused(ARCHIVE_REFUSED)
        raise ContentRefused("无法识别的文件格式：仅接受音视频、图片和 PDF/Office/OFD 文档。")
    ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    if found.mime in _ZIP_MIMES and ext not in ZIP_DOCUMENT_EXTENSIONS:
        raise ContentRefused(ARCHIVE_REFUSED)
    claimed = EXTENSIONS.get(ext)
    if claimed and claimed != found.category:
        raise ContentRefused(f"文件内容（{found.label}）与扩展名 .{ext} 不符，已拒绝。")
    return found
