"""Demo evidence for 犁头瑶族乡 (seed 一(四): 日常巡查、调查取证、文书送达 recorded on body cameras) and a
little for 汇源瑶族乡. Files are generated (a short WAV recording, a PNG site photo, a PDF), so the
player and downloads work offline. Idempotent."""

from __future__ import annotations

import datetime as dt
import io
import math
import struct
import wave
import zlib

from django.utils import timezone

from fazhi.evidence.models import EvidenceFile, Stage
from fazhi.evidence.services import evidence_ingest


def wav_bytes(seconds: float = 1.5, freq: int = 440) -> bytes:
    buf = io.BytesIO()
    with wave.open(buf, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(8000)
        w.writeframes(b"".join(struct.pack("<h", int(8000 * math.sin(2 * math.pi * freq * i / 8000)))
                               for i in range(int(8000 * seconds))))
    return buf.getvalue()


def png_bytes(width: int = 96, height: int = 64, seed: int = 0) -> bytes:
    rows = b"".join(b"\x00" + bytes((x * 2 + seed) % 256 if (y // 8) % 2 else (y * 3 + seed) % 256
                                     for x in range(width) for _ in range(3)) for y in range(height))

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


def pdf_bytes(text: str = "Notice of service - demo") -> bytes:
    content = f"BT /F1 18 Tf 72 720 Td ({text}) Tj ET".encode()
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
               b"/Resources << /Font << /F1 5 0 R >> >> >>",
               b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
               b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    out, offsets = io.BytesIO(), []
    out.write(b"%PDF-1.4\n")
    for i, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % i + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for off in offsets:
        out.write(b"%010d 00000 n \n" % off)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    return out.getvalue()


def _at(y, m, d, hh, mm):
    return timezone.make_aware(dt.datetime(y, m, d, hh, mm))


def load(ctx) -> None:
    items = [
        (ctx.litou, "litou", "DSJ_20240312_093000_巡查录音.wav", wav_bytes(1.5, 440), Stage.PATROL,
         "执法记录仪 DSJ-A8 0031", _at(2024, 3, 12, 9, 30), _at(2024, 3, 12, 9, 52), "犁头村河道沿线",
         "日常巡查：河道沿线乱倒建筑垃圾情况巡查。"),
        (ctx.litou, "litou", "现场照片_20240312_094500.png", png_bytes(seed=7), Stage.INVESTIGATION,
         "执法记录仪 DSJ-A8 0031", _at(2024, 3, 12, 9, 45), None, "犁头村河道 3 号桥下",
         "调查取证：现场堆放建筑垃圾约 2 立方米。"),
        (ctx.litou, "litou", "送达回证_20240320.pdf", pdf_bytes(), Stage.SERVICE, "手机 拍照",
         _at(2024, 3, 20, 15, 0), _at(2024, 3, 20, 15, 10), "山背村当事人住所", "文书送达：直接送达，当事人签收。"),
        (ctx.demo2, "demo2", "巡查录音_20240408_100000.wav", wav_bytes(1.0, 330), Stage.PATROL,
         "执法记录仪 DSJ-A8 0107", _at(2024, 4, 8, 10, 0), _at(2024, 4, 8, 10, 20), "汇源村集贸市场",
         "日常巡查：集贸市场占道经营巡查。"),
    ]
    for township, prefix, name, data, stage, device, start, end, place, desc in items:
        if EvidenceFile.objects.filter(township=township, original_name=name).exists():
            continue
        officer = ctx.user(f"{prefix}_officer")
        evidence_ingest(actor=officer, township=township, fileobj=io.BytesIO(data), filename=name, stage=stage,
                        device=device, officers=[officer], started_at=start, ended_at=end, place=place,
                        description=desc, purpose="执法记录仪数据归档（演示）")
