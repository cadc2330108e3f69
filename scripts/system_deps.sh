#!/usr/bin/env bash
# Debian packages the tests need (browser tests drive Debian's chromium; the CJK fonts render Chinese;
# faketime runs the suite on another day) and the PDF export needs (LibreOffice Writer without GUI, the
# Song/Kai/FangSong fonts fazhi/core/fonts/fonts.conf maps the .docx families to, pdffonts to check them),
# and pgbouncer (the replica tests run once more through it in transaction mode).
# Installs only what is missing; never downloads a browser itself.
#
# Fonts (GB/T 9704 names → Debian):
#   宋体 / 方正小标宋简体 → Noto Serif CJK SC (fonts-noto-cjk, already needed; full GB 18030 coverage)
#   黑体                  → Noto Sans CJK SC  (fonts-noto-cjk)
#   楷体_GB2312           → AR PL UKai CN     (fonts-arphic-ukai: simplified glyphs, wider coverage than gkai00mp)
#   仿宋_GB2312           → FandolFang        (the only real FangSong in Debian, simplified, GB2312 + more;
#                           GPL with font exception). It ships only inside texlive-lang-chinese, whose install
#                           pulls texlive-base and -binaries (~265 MB, slow postinst) for one 7 MB file, so
#                           unless that package is installed anyway we fetch its .deb with apt-get download
#                           (signed like any install) and copy just FandolFang and its licence to
#                           /usr/local/share/fonts/fandol, which fontconfig scans by default.
set -euo pipefail
FANDOL_PKG_DIR=/usr/share/texlive/texmf-dist/fonts/opentype/public/fandol
FANDOL_DIR=/usr/local/share/fonts/fandol
need=()
[ -x /usr/bin/chromium ] || need+=(chromium)
command -v faketime >/dev/null || need+=(faketime)
fc-list 2>/dev/null | grep -i "noto.*cjk" >/dev/null || need+=(fonts-noto-cjk)  # not grep -q: under pipefail its early exit fails fc-list
command -v soffice >/dev/null || need+=(libreoffice-writer-nogui)
[ -f /usr/share/fonts/truetype/arphic/ukai.ttc ] || need+=(fonts-arphic-ukai)
command -v pdffonts >/dev/null || need+=(poppler-utils)
[ -x /usr/sbin/pgbouncer ] || need+=(pgbouncer)  # scripts/replica.sh runs the read-routing tests through it too
fandol=1
[ -f "$FANDOL_PKG_DIR/FandolFang-Regular.otf" ] || [ -f "$FANDOL_DIR/FandolFang-Regular.otf" ] || fandol=0
[ ${#need[@]} -eq 0 ] && [ $fandol -eq 1 ] && exit 0
SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO=sudo
$SUDO apt-get update -q >/dev/null
if [ ${#need[@]} -gt 0 ]; then
  echo "== installing Debian packages: ${need[*]} =="
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends "${need[@]}" >/dev/null
fi
if [ $fandol -eq 0 ]; then
  echo "== installing FandolFang from texlive-lang-chinese's .deb into $FANDOL_DIR =="
  tmp=$(mktemp -d)
  (cd "$tmp" && apt-get download -q texlive-lang-chinese >/dev/null 2>&1)
  dpkg-deb --fsys-tarfile "$tmp"/texlive-lang-chinese_*.deb | tar -x -C "$tmp" \
    ".$FANDOL_PKG_DIR/FandolFang-Regular.otf" ./usr/share/doc/texlive-doc/fonts/fandol/COPYING.gz \
    ./usr/share/doc/texlive-doc/fonts/fandol/README
  $SUDO install -d "$FANDOL_DIR"
  $SUDO install -m 644 "$tmp$FANDOL_PKG_DIR/FandolFang-Regular.otf" \
    "$tmp"/usr/share/doc/texlive-doc/fonts/fandol/{COPYING.gz,README} "$FANDOL_DIR/"
  rm -rf "$tmp"
  $SUDO fc-cache -f "$FANDOL_DIR" >/dev/null
fi
