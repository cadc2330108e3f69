#!/usr/bin/env bash
# Debian packages the tests need (browser tests drive Debian's chromium; the CJK fonts render Chinese;
# faketime runs the suite on another day). Installs only what is missing; never downloads a browser itself.
set -euo pipefail
need=()
[ -x /usr/bin/chromium ] || need+=(chromium)
command -v faketime >/dev/null || need+=(faketime)
fc-list 2>/dev/null | grep -qi "noto.*cjk" || need+=(fonts-noto-cjk)
[ ${#need[@]} -eq 0 ] && exit 0
SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO=sudo
echo "== installing Debian packages: ${need[*]} =="
$SUDO apt-get update -q >/dev/null
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q "${need[@]}" >/dev/null
