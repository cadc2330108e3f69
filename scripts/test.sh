#!/usr/bin/env bash
# Runs the suite in stages and fails when a stage fails or runs no test.
#   scripts/test.sh            server-side tests, then browser tests
#   scripts/test.sh server     server-side tests only (DATABASE_URL picks PostgreSQL)
#   scripts/test.sh browser    browser tests only (Debian chromium at /usr/bin/chromium)
set -uo pipefail
BIN=${BIN:-.venv/bin}
stages=${*:-server browser}
status=0

run_stage() {
  local name=$1; shift
  local log rc
  log=$(mktemp)
  echo "== $name =="
  "$BIN/python" -m pytest "$@" 2>&1 | tee "$log"
  rc=${PIPESTATUS[0]}
  if [ "$rc" -eq 5 ] || ! tail -n 3 "$log" | grep -Eq '[1-9][0-9]* passed'; then
    echo "!! $name: no test passed (pytest exit $rc)"; status=1
  elif [ "$rc" -ne 0 ]; then
    status=1
  fi
  rm -f "$log"
}

for stage in $stages; do
  case $stage in
    server) run_stage "tests on $([ -n "${DATABASE_URL:-}" ] && echo PostgreSQL || echo SQLite)" -q -m "not browser" -n "${FAZHI_TEST_WORKERS:-2}" --dist worksteal ;;
    browser)
      if [ ! -x /usr/bin/chromium ]; then
        echo "!! /usr/bin/chromium is missing: apt-get install chromium (browser tests never download a browser)"
        status=1
      else
        run_stage "browser tests (Debian chromium)" -q -m browser
      fi ;;
    *) echo "unknown stage: $stage"; status=1 ;;
  esac
done
exit $status
