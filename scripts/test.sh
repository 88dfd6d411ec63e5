#!/usr/bin/env bash
# The whole test suite, with its own set-up: finds (or installs) Chromium, uses PostgreSQL when
# one answers (starting the local cluster if it is down), runs vitest, and ends with one line
# `tests: N passed, N failed, N skipped` taken from vitest's own JSON summary.
set -uo pipefail
cd "$(dirname "$0")/.."

say() { printf '[test] %s\n' "$*"; }

# --- Chromium -------------------------------------------------------------------------------
CHROMIUM="${CHROMIUM_PATH:-/usr/bin/chromium}"
if [ ! -x "$CHROMIUM" ]; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    say "Chromium not found at $CHROMIUM; installing Debian's chromium (apt-get)…"
    export DEBIAN_FRONTEND=noninteractive
    (apt-get update -qq && apt-get install -y -qq chromium) >/tmp/klankbord-apt.log 2>&1 \
      || { say "installing chromium failed; see /tmp/klankbord-apt.log"; exit 1; }
    CHROMIUM=/usr/bin/chromium
  else
    say "No Chromium found. Install it (Debian/Ubuntu: sudo apt-get install -y chromium) or set CHROMIUM_PATH."
    exit 1
  fi
fi
export CHROMIUM_PATH="$CHROMIUM"

# --- PostgreSQL -----------------------------------------------------------------------------
pg_answers() { node -e "const c=new (require('pg').Client)({connectionString:process.argv[1],connectionTimeoutMillis:3000});c.connect().then(()=>c.end()).then(()=>process.exit(0),()=>process.exit(1))" "$1" >/dev/null 2>&1; }
URL="${TEST_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/postgres}"
if ! pg_answers "$URL" && [ -z "${TEST_DATABASE_URL:-}" ] && command -v pg_ctlcluster >/dev/null 2>&1; then
  say "PostgreSQL is not answering; trying to start the local cluster…"
  for v in $(ls /etc/postgresql 2>/dev/null); do pg_ctlcluster --skip-systemctl-redirect "$v" main start >/dev/null 2>&1 || true; done
  for _ in 1 2 3 4 5 6 7 8 9 10; do pg_answers "$URL" && break; sleep 1; done
fi
if pg_answers "$URL"; then
  export TEST_DATABASE_URL="$URL"
  say "databases: PGlite and PostgreSQL ($(echo "$URL" | sed -E 's#//[^@]*@#//#'))"
else
  unset TEST_DATABASE_URL
  say "################################################################"
  say "## No PostgreSQL answers: running on PGlite ONLY.              ##"
  say "## Set TEST_DATABASE_URL to test on PostgreSQL as well.        ##"
  say "################################################################"
fi

# --- Run -------------------------------------------------------------------------------------
mkdir -p .tmp
rm -f .tmp/vitest.json
npx vitest run --reporter=default --reporter=json --outputFile.json=.tmp/vitest.json "$@"
status=$?
if [ -f .tmp/vitest.json ]; then
  node -e "const r=require('./.tmp/vitest.json');console.log('tests: '+r.numPassedTests+' passed, '+r.numFailedTests+' failed, '+(r.numPendingTests+r.numTodoTests)+' skipped')"
else
  echo "tests: 0 passed, 1 failed, 0 skipped"
  [ $status -eq 0 ] && status=1
fi
exit $status
