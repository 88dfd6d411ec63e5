#!/usr/bin/env bash
# Runs sqlmap (Debian package) against the main endpoints of a freshly started Klankbord and
# fails if it reports any injectable parameter. Repeat it any time:
#   bash tests/security/sqlmap.sh            # embedded database
#   DATABASE_URL=postgres://… bash tests/security/sqlmap.sh
# The server runs with TRUST_PROXY=true and sqlmap's `xforwardedfor` tamper script sends a
# random X-Forwarded-For per request, so the per-address rate limits do not hide the answers.
set -euo pipefail
cd "$(dirname "$0")/../.."
command -v sqlmap >/dev/null || { [ "$(id -u)" = 0 ] && apt-get install -y -qq sqlmap >/dev/null; } || { echo "install sqlmap: apt-get install sqlmap"; exit 1; }

WORK=$(mktemp -d)
PORT=${SQLMAP_PORT:-3917}
export DATA_DIR="$WORK/data" PORT TRUST_PROXY=true LOG_LEVEL=warn PUBLIC_URL="http://127.0.0.1:$PORT"
cleanup() { [ -n "${SERVER_PID:-}" ] && kill "$SERVER_PID" 2>/dev/null; rm -rf "$WORK"; }
trap cleanup EXIT

npm run -s cli -- org:create --slug acme --name "Acme BV" >/dev/null
node --import tsx server/start.ts >"$WORK/server.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 1 60); do curl -fs "http://127.0.0.1:$PORT/api/health" >/dev/null && break; sleep 0.5; done

BASE="http://127.0.0.1:$PORT"
COMMON=(--batch --level=3 --risk=2 --flush-session --disable-coloring --output-dir="$WORK/sqlmap" --tamper=xforwardedfor --threads=2 --timeout=10 --retries=1 --ignore-code=400,401,404,409,429)
LOG="$WORK/sqlmap.txt"
: >"$LOG"
run() { echo "== sqlmap $*" | tee -a "$LOG"; sqlmap "${COMMON[@]}" "$@" 2>&1 | tee -a "$LOG" | grep -E "injectable|vulnerable|CRITICAL|WARNING.*(not|does)" || true; }

run -u "$BASE/api/organisations/acme*"
run -u "$BASE/api/organisations/acme*/credentials" --method POST
run -u "$BASE/api/melder/session" --method POST --headers="Content-Type: application/json" \
  --data '{"organisationSlug":"acme*","caseCode":"1234-5678-9012-3456*","loginKey":"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA*"}'
run -u "$BASE/api/advisor/session" --method POST --headers="Content-Type: application/json" \
  --data '{"email":"anna@example.org*","loginKey":"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA*","totpCode":"123456*"}'
run -u "$BASE/api/cases" --method POST --headers="Content-Type: application/json" \
  --data '{"organisationSlug":"acme*","caseCode":"1234-5678-9012-3456","loginKey":"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA","melderPublicKey":"x*","melderLockedPrivateKey":"y","kind":"misstand*","category":"fraude*","advisorId":"00000000-0000-0000-0000-000000000000*","report":"z"}'

if grep -qiE "is vulnerable|parameter '.*' is (vulnerable|injectable)|sqlmap identified the following injection point" "$LOG"; then
  echo "sqlmap: INJECTION FOUND — see the log above"; exit 1
fi
if grep -q "500 (Internal Server Error)" "$LOG"; then
  echo "sqlmap: the server answered 500 to some input — see the log above"; exit 1
fi
echo "sqlmap: no injectable parameter found on the tested endpoints"
