#!/usr/bin/env bash
# The whole test suite: installs what it needs, builds, runs every test project (unit tests and
# HTTP tests on SQLite and on a PostgreSQL/PostGIS server the run starts itself), then the browser
# tests against a Release server (scripts/test-web.sh), then prints how many tests ran on each
# provider and in the browser. Exits non-zero when anything failed.
set -uo pipefail
cd "$(dirname "$0")/.."

bash scripts/install-test-deps.sh || exit 1

results="artifacts/test-results"
rm -rf "$results"
mkdir -p "$results"

dotnet test CivicGrid.slnx --logger trx --results-directory "$results" "$@"
status=$?

bash scripts/test-web.sh "$results" || status=1

node scripts/test-summary.mjs "$results" || status=1
exit $status
