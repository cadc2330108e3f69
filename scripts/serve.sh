#!/usr/bin/env bash
# Production-grade serving: gunicorn (WSGI) + the background task worker on the same database.
set -euo pipefail
BIN=${BIN:-.venv/bin}
HOST=${HOST:-127.0.0.1}
PORT=${PORT:-8000}
"$BIN/fazhi" db_worker --interval 2 >/dev/null 2>&1 &
worker=$!
trap 'kill $worker 2>/dev/null || true' EXIT INT TERM
echo "法治 Fazhi 已启动：http://$HOST:$PORT/  （Ctrl+C 停止）"
"$BIN/gunicorn" fazhi.wsgi:application --bind "$HOST:$PORT" --workers "${FAZHI_WORKERS:-2}" --threads 4 \
  --worker-class gthread --preload --timeout 600 --access-logfile - --log-level warning \
  --max-requests "${FAZHI_MAX_REQUESTS:-1000}" --max-requests-jitter "${FAZHI_MAX_REQUESTS_JITTER:-100}"
# Workers are recycled after max-requests (± jitter, so they do not all restart at once): no long-lived
# worker keeps the memory peak of one large export or report. --preload: the app is imported and warmed
# (fazhi/core/warmup.py: every view and template, no database) once in the master, so a new worker serves
# its first request as fast as its thousandth.
