"""Annual report PDF export time (issue 20: under 5 s for the demo report), against `soffice --version` in the
same run (the bare cost of starting LibreOffice on this machine at this load).

    .venv/bin/python bench/pdf.py [--warm 3] [--docx report.docx]

Loads the demo into a temporary FAZHI_DATA_DIR (SQLite) and builds 犁头瑶族乡's 2024 annual report .docx (or takes
--docx), then times:
  baseline  `soffice --version`, best of 3
  before    the old render_pdf: a fresh throw-away profile per conversion, no font mapping
  cold      core.documents.render_pdf with its persistent profile wiped (the first export after install)
  warm      render_pdf again, --warm times (every later export)
and prints the load average, each time, ratios to the baseline, and the PDF's fonts (pdffonts).
"download" adds the report's build (selectors + .docx) to the warm PDF: what the PDF view does.
Last line: cold=<s> warm=<s> (median) baseline=<s> warm/baseline=<ratio>.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def setup_django(data_dir: Path) -> None:
    os.environ["FAZHI_DATA_DIR"] = str(data_dir)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fazhi.settings")
    os.environ.setdefault("FAZHI_SECRET_KEY", "bench-" + os.urandom(16).hex())
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def load_demo() -> None:
    from django.core.management import call_command
    from django.db import transaction

    from fazhi.core.demo import app_loaders, ensure_regions, ensure_users

    call_command("migrate", verbosity=0, interactive=False)
    with transaction.atomic():
        ctx = ensure_users(ensure_regions())
        for _app, load in app_loaders():
            load(ctx)


def demo_docx() -> bytes:
    """What the PDF view does before render_pdf: build the report and its .docx."""
    from fazhi.core.models import Region
    from fazhi.reports import documents, selectors

    township = Region.objects.get(name="犁头瑶族乡")
    return documents.render_docx(selectors.township_report(township, 2024))


def timed(fn) -> tuple[float, object]:
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, result


def old_render_pdf(exe: str, docx: bytes) -> bytes:
    """render_pdf before issue 20: a new profile in a temp dir for every conversion, fontconfig's defaults."""
    from fazhi.core.documents import _for_libreoffice

    with tempfile.TemporaryDirectory(prefix="fazhi-pdf-old-") as tmp:
        src = Path(tmp) / "report.docx"
        src.write_bytes(_for_libreoffice(docx))
        subprocess.run([exe, "--headless", f"-env:UserInstallation=file://{tmp}/profile", "--convert-to", "pdf",
                        "--outdir", tmp, str(src)], check=True, capture_output=True, timeout=300)
        return (Path(tmp) / "report.pdf").read_bytes()


def pdf_fonts(pdf: bytes) -> list[str]:
    if not shutil.which("pdffonts"):
        return ["(pdffonts not installed)"]
    with tempfile.NamedTemporaryFile(suffix=".pdf") as f:
        f.write(pdf)
        f.flush()
        out = subprocess.run(["pdffonts", f.name], capture_output=True, text=True).stdout
    return sorted({line.split()[0].split("+")[-1] for line in out.splitlines()[2:] if line.strip()})


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--warm", type=int, default=3)
    parser.add_argument("--docx", type=Path)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="fazhi-bench-pdf-") as tmp:
        setup_django(Path(tmp))
        from fazhi.core import documents

        exe = documents.libreoffice()
        if exe is None:
            sys.exit("LibreOffice is not installed: run scripts/system_deps.sh")
        build = None
        if args.docx:
            docx = args.docx.read_bytes()
        else:
            load_demo()
            build, docx = timed(demo_docx)
        print(f"load average {os.getloadavg()[0]:.1f} {os.getloadavg()[1]:.1f} {os.getloadavg()[2]:.1f} "
              f"on {os.cpu_count()} cores; report .docx {len(docx) // 1024} KiB")

        def version():
            subprocess.run([exe, "--version"], check=True, capture_output=True)

        baseline = min(timed(version)[0] for _ in range(3))
        print(f"baseline  soffice --version        {baseline:6.2f} s")
        before, old_pdf = timed(lambda: old_render_pdf(exe, docx))
        print(f"before    fresh profile, no mapping {before:6.2f} s  ×{before / baseline:.1f}  "
              f"fonts: {', '.join(pdf_fonts(old_pdf))}")
        shutil.rmtree(Path(tmp) / "libreoffice", ignore_errors=True)
        cold, pdf = timed(lambda: documents.render_pdf(docx))
        print(f"cold      render_pdf, new profile   {cold:6.2f} s  ×{cold / baseline:.1f}")
        warm = [timed(lambda: documents.render_pdf(docx))[0] for _ in range(args.warm)]
        median = statistics.median(warm)
        print(f"warm      render_pdf × {args.warm}          {median:6.2f} s  ×{median / baseline:.1f}  "
              f"({', '.join(f'{w:.2f}' for w in warm)})")
        print(f"fonts     {', '.join(pdf_fonts(pdf))}")
        if build is not None:
            print(f"download  report + .docx {build:.2f} s + warm PDF = {build + median:.2f} s (the PDF view's work)")
        print(f"load average {os.getloadavg()[0]:.1f} at the end")
        print(f"cold={cold:.2f} warm={median:.2f} baseline={baseline:.2f} warm/baseline={median / baseline:.1f}")


if __name__ == "__main__":
    main()
