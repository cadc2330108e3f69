"""Writes the web-app icons (plain PNG, no image library, nothing fetched): a red square with a white
scale-like bar mark. Run once after changing the design: python -m fazhi.field.make_icons"""

import struct
import zlib
from pathlib import Path

RED, WHITE = (155, 28, 28), (255, 255, 255)


def pixel(x: float, y: float) -> tuple:
    # In unit coordinates: a beam, a post and two pans (天平, a scale) in white on red.
    if 0.22 <= x <= 0.78 and 0.28 <= y <= 0.33:
        return WHITE
    if 0.47 <= x <= 0.53 and 0.28 <= y <= 0.74:
        return WHITE
    if 0.32 <= x <= 0.68 and 0.72 <= y <= 0.78:
        return WHITE
    for cx in (0.27, 0.73):
        if abs(x - cx) <= 0.09 and 0.46 <= y <= 0.50:
            return WHITE
        if abs(x - cx) <= 0.012 and 0.33 <= y <= 0.46:
            return WHITE
    return RED


def png(size: int) -> bytes:
    rows = b"".join(b"\x00" + b"".join(bytes(pixel((i + 0.5) / size, (j + 0.5) / size)) for i in range(size))
                    for j in range(size))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows, 9)) + chunk(b"IEND", b"")


if __name__ == "__main__":
    out = Path(__file__).parent / "static" / "field"
    for size in (192, 512):
        (out / f"icon-{size}.png").write_bytes(png(size))
