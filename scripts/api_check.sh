#!/usr/bin/env bash
# The API against its own OpenAPI schema: starts the site (gunicorn, SQLite, a temporary data dir with the
# demo loaded) on 127.0.0.1, creates API tokens for demo users and runs schemathesis with them: every operation
# as the county supervisor (reads; writes refused), then the writes as a township legal officer with write scopes.
# Fails on any server error, schema violation or other schemathesis failure.
#   BIN=.venv/bin bash scripts/api_check.sh      (FAZHI_API_EXAMPLES bounds the examples per operation)
set -euo pipefail
BIN=${BIN:-.venv/bin}
tmp=$(mktemp -d /tmp/fazhi-api-check.XXXXXX)
export FAZHI_DATA_DIR="$tmp" FAZHI_SECRET_KEY="api-check-$$" FAZHI_TASK_BACKEND="django_tasks.backends.immediate.ImmediateBackend"
unset DATABASE_URL
port=$("$BIN/python" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
server=""
cleanup() { [ -n "$server" ] && kill "$server" 2>/dev/null; wait 2>/dev/null || true; rm -rf "$tmp"; }
trap cleanup EXIT INT TERM

"$BIN/fazhi" migrate -v 0
"$BIN/fazhi" collectstatic --noinput -v 0
"$BIN/fazhi" load_demo >/dev/null
token=$("$BIN/fazhi" shell -c '
from django.contrib.auth import get_user_model
from fazhi.api.services import token_create
print(token_create(actor=get_user_model().objects.get(username="county_supervisor"), name="api_check")[1])' \
  | tail -n 1 | tr -d '[:space:]')
case $token in fz_*) ;; *) echo "!! api_check: no API token created" >&2; exit 1 ;; esac
# A township legal officer with write scopes for the writes (every module lets 法制员 record).
writer=$("$BIN/fazhi" shell -c '
from django.contrib.auth import get_user_model
from fazhi.api.services import token_create
scopes = ["general:read", "mediation:write", "education:write", "enforcement:write", "disclosure:write"]
print(token_create(actor=get_user_model().objects.get(username="litou_legal_staff"), name="api_check", scopes=scopes)[1])' \
  | tail -n 1 | tr -d '[:space:]')
case $writer in fz_*) ;; *) echo "!! api_check: no writing API token created" >&2; exit 1 ;; esac

"$BIN/gunicorn" fazhi.wsgi:application --bind "127.0.0.1:$port" --workers 1 --threads 4 --worker-class gthread \
  --timeout 120 --log-level warning &
server=$!
for _ in $(seq 1 60); do
  curl -fsS "http://127.0.0.1:$port/api/v1/openapi.json" >/dev/null 2>&1 && break
  sleep 1
done

"$BIN/schemathesis" run "http://127.0.0.1:$port/api/v1/openapi.json" \
  --header "Authorization: Bearer $token" \
  --checks all \
  --max-examples "${FAZHI_API_EXAMPLES:-40}" \
  --generation-deterministic \
  --request-timeout 60 \
  --suppress-health-check all

# The writes for real: random schema-valid bodies name villages, types, officers that do not exist, so the form
# refuses them (422, in Chinese) — positive_data_acceptance cannot hold for them; every other check does.
"$BIN/schemathesis" run "http://127.0.0.1:$port/api/v1/openapi.json" \
  --header "Authorization: Bearer $writer" \
  --include-method POST \
  --checks all \
  --exclude-checks positive_data_acceptance \
  --max-examples "${FAZHI_API_EXAMPLES:-40}" \
  --generation-deterministic \
  --request-timeout 60 \
  --suppress-health-check all
