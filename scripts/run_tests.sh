#!/usr/bin/env bash
# Runs the whole suite on SQLite, then on PostgreSQL. Installs Debian's chromium for the browser tests when
# it is missing (needs root, as on CI), and starts the local PostgreSQL when it is not answering.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${VENV:-.venv}/bin

if [ ! -x /usr/bin/chromium ]; then
  echo "Installing Debian's chromium for the browser tests"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
fi

PG_URL=${PAPERFEED_TEST_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/paperfeed}
if ! pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; then
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -1)" main start || true
  for _ in $(seq 30); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 1; done
fi

export PAPERFEED_DATA_DIR=${PAPERFEED_DATA_DIR:-$(mktemp -d)}
mkdir -p test-output
run_pytest() {
  local rc=0
  "$BIN/python" -m pytest "$@" || rc=$?
  # pytest exits 5 when a marker selects no test; that is not a failure of the suite.
  [ "$rc" -eq 5 ] && rc=0
  return "$rc"
}
status=0
echo "== SQLite =="
PAPERFEED_DATABASE_URL= run_pytest "$@" || status=1
echo "== PostgreSQL ($PG_URL) =="
PAPERFEED_DATABASE_URL=$PG_URL run_pytest "$@" || status=1
exit $status
