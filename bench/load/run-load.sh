#!/usr/bin/env bash
# Load benchmark for case intake: POST /api/cases (anonymous resident report, routed by position, no photo)
# against the Release server on loopback, on SQLite and on PostgreSQL.
#
# For each provider it starts the built server with a fresh data directory (demo subdistrict loaded) and, for
# PostgreSQL, a throw-away PostgreSQL + PostGIS cluster (initdb + pg_ctl on a free port, as the postgres user
# when run as root, like tests/CivicGrid.Testing/PostgresServer.cs); picks an interior point of every micro-grid
# and the categories that need no photo; counts the stored cases; runs a warm-up and then the measured load with
# wrk (one connection per wrk thread, see create-case.lua); counts the stored cases again and FAILS when the new
# cases differ from the 2xx answers; then stops everything and removes what it created.
#
# Usage: bench/load/run-load.sh [sqlite] [postgres]          (default: both)
# Settings (environment):
#   DURATION=30      measured seconds            WARMUP=15        warm-up seconds (0: none)
#   CONNECTIONS=32   concurrent connections      GRACE=15         seconds wrk waits for the last answers
#   CALIBRATE=5      seconds of GET /health/live first, to show how fast this machine is right now (0: skip)
#   READY_TIMEOUT=300 seconds to wait for /health/ready (cold start with demo seed)
#   RESULTS_DIR=bench/load   where results-<provider>-c<connections>.md go      SKIP_BUILD=1   use the existing Release build
#   CIVICGRID_PG_BIN=/usr/lib/postgresql/15/bin                   KEEP=1         keep the work directory
# Needs: dotnet, curl, jq, wrk (installed from Debian when missing and run as root), sqlite3 (SQLite counts),
# PostgreSQL 15 + PostGIS 3 server packages and psql (PostgreSQL run). Listens on 127.0.0.1 only.
# Exit status: 0 when every run's stored count equals its 2xx count, 1 otherwise (or on any failure).
set -euo pipefail

DURATION="${DURATION:-30}"
WARMUP="${WARMUP:-15}"
CONNECTIONS="${CONNECTIONS:-32}"
GRACE="${GRACE:-15}"
CALIBRATE="${CALIBRATE:-5}"
READY_TIMEOUT="${READY_TIMEOUT:-300}"
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
HERE="$REPO/bench/load"
RESULTS_DIR="${RESULTS_DIR:-$HERE}"
LUA="$HERE/create-case.lua"
BIN="$REPO/src/CivicGrid.Server/bin/Release/net10.0"
DLL="$BIN/CivicGrid.Server.dll"
ADMIN_USER=admin
ADMIN_PASSWORD='CivicGrid#2026'
# Targets from issue 4 item 13.
TARGET_SQLITE_RATE=3000; TARGET_SQLITE_P99_MS=50; TARGET_PG_RATE=2000

PROVIDERS=("$@")
(( ${#PROVIDERS[@]} > 0 )) || PROVIDERS=(sqlite postgres)
for p in "${PROVIDERS[@]}"; do
  [[ "$p" == sqlite || "$p" == postgres ]] || { echo "run-load: unknown provider '$p' (sqlite, postgres)" >&2; exit 2; }
done

log() { printf '[%s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }
die() { log "FAILED: $*"; exit 1; }

# --- tools --------------------------------------------------------------------------------------------------
for tool in dotnet curl jq; do command -v "$tool" >/dev/null || die "$tool is required"; done
if ! command -v wrk >/dev/null; then
  if [[ $EUID -eq 0 ]] && command -v apt-get >/dev/null; then
    log "installing wrk from Debian"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q wrk >/dev/null || { apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q wrk >/dev/null; }
  fi
  command -v wrk >/dev/null || die "wrk is required: apt-get install wrk"
fi
if [[ " ${PROVIDERS[*]} " == *" sqlite "* ]]; then command -v sqlite3 >/dev/null || die "sqlite3 is required to count SQLite cases: apt-get install sqlite3"; fi
PG_BIN=""
if [[ " ${PROVIDERS[*]} " == *" postgres "* ]]; then
  PG_BIN="${CIVICGRID_PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n1)}"
  [[ -x "$PG_BIN/initdb" && -x "$PG_BIN/pg_ctl" ]] || die "PostgreSQL server binaries not found (apt-get install postgresql postgresql-15-postgis-3, or set CIVICGRID_PG_BIN)"
  [[ -x "$PG_BIN/psql" ]] || die "psql not found in $PG_BIN"
fi

# --- state and clean-up -------------------------------------------------------------------------------------
WORK="$(mktemp -d -t civicgrid-load-XXXXXX)"
chmod 755 "$WORK"
SERVER_PID=""; PG_DATA=""; PG_PORT=""; WRK_PID=""

as_postgres() { if [[ $EUID -eq 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi; }

stop_server() {
  if [[ -n "$SERVER_PID" ]] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill -TERM "$SERVER_PID" 2>/dev/null || true
    for _ in $(seq 1 300); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.05; done
    kill -KILL "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
  fi
  SERVER_PID=""
}

stop_postgres() {
  if [[ -n "$PG_DATA" && -f "$PG_DATA/postmaster.pid" ]]; then
    as_postgres "$PG_BIN/pg_ctl" -D "$PG_DATA" -m immediate -w stop >/dev/null 2>&1 || true
  fi
  PG_DATA=""
}

cleanup() {
  if [[ -n "$WRK_PID" ]]; then pkill -TERM -P "$WRK_PID" 2>/dev/null || true; kill -TERM "$WRK_PID" 2>/dev/null || true; fi
  stop_server
  stop_postgres
  if [[ "${KEEP:-0}" == 1 ]]; then log "work directory kept: $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()' 2>/dev/null && return
  local p
  for _ in $(seq 1 50); do
    p=$(( 20000 + RANDOM % 40000 ))
    (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null || { echo "$p"; return; }
  done
  die "no free port found"
}

# CPU seconds (user + system) a process has used so far, from /proc/<pid>/stat.
cpu_seconds() {
  awk -v hz="$(getconf CLK_TCK)" '{ sub(/^.*\) /, ""); print ($12 + $13) / hz }' "/proc/$1/stat"
}

# --- PostgreSQL ---------------------------------------------------------------------------------------------
start_postgres() {
  local dir="$WORK/pg"
  mkdir -p "$dir"
  [[ $EUID -eq 0 ]] && chown postgres:postgres "$dir"
  PG_DATA="$dir/data"
  as_postgres "$PG_BIN/initdb" -D "$PG_DATA" -U postgres -A trust -E UTF8 --no-sync --no-instructions >"$WORK/initdb.log" 2>&1 \
    || { cat "$WORK/initdb.log" >&2; die "initdb"; }
  PG_PORT="$(free_port)"
  # Like the test server (tests/CivicGrid.Testing/PostgresServer.cs) but durable: fsync, synchronous_commit and
  # full_page_writes keep their defaults, so a 2xx means the case is on disk, as with SQLite's synchronous=FULL.
  as_postgres "$PG_BIN/pg_ctl" -D "$PG_DATA" -l "$dir/server.log" -w -t 60 start \
    -o "-p $PG_PORT -k $dir -c listen_addresses=127.0.0.1 -c max_connections=200 -c shared_buffers=256MB" >/dev/null \
    || { tail -n 20 "$dir/server.log" >&2; die "pg_ctl start"; }
  PSQL=("$PG_BIN/psql" -X -q -t -A -h 127.0.0.1 -p "$PG_PORT" -U postgres)
  "${PSQL[@]}" -d postgres -c 'CREATE DATABASE civicgrid' >/dev/null
  local postgis
  postgis="$("${PSQL[@]}" -d postgres -c "SELECT default_version FROM pg_available_extensions WHERE name = 'postgis'")"
  [[ -n "$postgis" ]] || die "PostGIS is not installed for $PG_BIN (apt-get install postgresql-15-postgis-3)"
  PG_VERSION="$("${PSQL[@]}" -d postgres -c 'SHOW server_version'), PostGIS $postgis"
}

# --- server -------------------------------------------------------------------------------------------------
BASE=""
start_server() {
  local provider="$1" data="$WORK/data-$provider" port start deadline code
  mkdir -p "$data"
  port="$(free_port)"
  BASE="http://127.0.0.1:$port"
  SERVER_LOG="$WORK/server-$provider.log"
  local -a env=(CIVICGRID_DATA_DIR="$data" ASPNETCORE_ENVIRONMENT=Development Demo__Enabled=true
    Cases__CreatesPerMinute=10000000 Geo__LocatePerMinute=10000000)
  if [[ "$provider" == postgres ]]; then
    env+=(Database__Provider=Postgres "Database__ConnectionString=Host=127.0.0.1;Port=$PG_PORT;Username=postgres;Database=civicgrid")
  fi
  env "${env[@]}" dotnet "$DLL" --urls "$BASE" --contentRoot "$BIN" >"$SERVER_LOG" 2>&1 &
  SERVER_PID=$!
  start=$(date +%s); deadline=$(( start + READY_TIMEOUT ))
  while (( $(date +%s) < deadline )); do
    kill -0 "$SERVER_PID" 2>/dev/null || { tail -n 30 "$SERVER_LOG" >&2; die "the server exited before it was ready"; }
    code="$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "$BASE/health/ready" || true)"
    [[ "$code" == 200 ]] && { READY_S=$(( $(date +%s) - start )); return; }
    sleep 0.2
  done
  tail -n 30 "$SERVER_LOG" >&2; die "not ready after ${READY_TIMEOUT} s"
}

# Interior points: the mean of each micro-grid's ring vertices (the demo's micro-grids are convex
# quadrilaterals, tens of metres from any edge), one line "lon lat" per grid.
prepare_inputs() {
  local token
  token="$(curl -sf --max-time 60 -H 'Content-Type: application/json' \
    -d "{\"userName\":\"$ADMIN_USER\",\"password\":\"$ADMIN_PASSWORD\"}" "$BASE/api/auth/login" | jq -r '.accessToken // empty')"
  [[ -n "$token" ]] || die "could not log in as $ADMIN_USER"
  ADMIN_TOKEN="$token"
  curl -sf --max-time 120 -H "Authorization: Bearer $token" "$BASE/api/geo/grids?level=micro" \
    | jq -r '.features[] | select(.properties.kind == "territorial") | .geometry.coordinates[0][:-1] as $r
             | "\(($r | map(.[0]) | add) / ($r | length)) \(($r | map(.[1]) | add) / ($r | length))"' >"$WORK/points.txt"
  POINTS=$(wc -l <"$WORK/points.txt")
  (( POINTS > 0 )) || die "no micro-grids returned by /api/geo/grids?level=micro"
  CATEGORIES="$(curl -sf --max-time 60 "$BASE/api/categories" | jq -r '[.[] | select(.isActive and (.photoRequired | not)) | .code] | join(" ")')"
  [[ -n "$CATEGORIES" ]] || die "no active category without PhotoRequired"
  # One request by hand, so a broken request fails here with the server's answer rather than as 30 s of errors.
  local lon lat answer
  read -r lon lat <"$WORK/points.txt"
  answer="$(curl -s --max-time 60 -w '\n%{http_code}' -H 'Content-Type: application/json' -d \
    "{\"categoryCode\":\"${CATEGORIES%% *}\",\"title\":null,\"description\":\"压测探针\",\"lon\":\"$lon\",\"lat\":\"$lat\",\"crs\":\"wgs84\",\"accuracy\":null,\"building\":null,\"compound\":null,\"address\":null,\"phone\":null,\"callerName\":null}" \
    "$BASE/api/cases")"
  [[ "$(tail -n1 <<<"$answer")" == 201 ]] || die "probe create failed: $answer"
  PROBE_GRID="$(head -n -1 <<<"$answer" | jq -r '"\(.grid.code) (\(.confidence), \(.method))"')"
}

count_cases() {
  case "$1" in
    sqlite) sqlite3 -cmd '.timeout 60000' "$WORK/data-sqlite/civicgrid.db" 'SELECT count(*) FROM cases;' ;;
    postgres) "${PSQL[@]}" -d civicgrid -c 'SELECT count(*) FROM cases' ;;
  esac
}

# run_wrk <label> <seconds>: one wrk run; its key=value summary lands in $WORK/<label>.txt.
run_wrk() {
  local label="$1" seconds="$2"
  # Inside a subshell under bash's `time`, which writes wrk's own CPU seconds (user, system) to <label>.cpu: on a
  # loopback run the load generator's share of the cores is not the server's.
  (
    TIMEFORMAT='%U %S'
    time LOAD_POINTS="$WORK/points.txt" LOAD_CATEGORIES="$CATEGORIES" LOAD_SECONDS="$seconds" LOAD_LABEL="$label" \
      LOAD_JSON_OUT="$WORK/$label.txt" \
      wrk -t"$CONNECTIONS" -c"$CONNECTIONS" -d"$(( seconds + GRACE ))s" --timeout "$(( GRACE * 2 ))s" -s "$LUA" "$BASE" \
      >"$WORK/$label.wrk.log" 2>&1
  ) 2>"$WORK/$label.cpu" &
  WRK_PID=$!
  wait "$WRK_PID" || { cat "$WORK/$label.wrk.log" >&2; WRK_PID=""; die "wrk ($label)"; }
  WRK_PID=""
  [[ -s "$WORK/$label.txt" ]] || { cat "$WORK/$label.wrk.log" >&2; die "wrk ($label) wrote no summary"; }
  echo "wrk_cpu_s=$(awk 'NF == 2 { printf "%.1f", $1 + $2 }' "$WORK/$label.cpu")" >>"$WORK/$label.txt"
}

get() { sed -n "s/^$2=//p" "$WORK/$1.txt"; }

# --- main ---------------------------------------------------------------------------------------------------
cd "$REPO"
if [[ "${SKIP_BUILD:-0}" != 1 ]]; then
  log "building src/CivicGrid.Server (Release)"
  dotnet build src/CivicGrid.Server -c Release -nologo -v quiet >"$WORK/build.log" 2>&1 || { cat "$WORK/build.log" >&2; die "build"; }
fi
[[ -f "$DLL" ]] || die "$DLL not found"

COMMIT="$(git -C "$REPO" rev-parse --short HEAD 2>/dev/null || echo '?')"
DIRTY="$(git -C "$REPO" status --porcelain -- src 2>/dev/null | head -c1)"
[[ -n "$DIRTY" ]] && COMMIT="$COMMIT (src modified)"
CPU_MODEL="$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n1)"
MACHINE="$(nproc) CPU(s), ${CPU_MODEL:-unknown CPU}, $(uname -sr), dotnet $(dotnet --version), $( (wrk -v 2>&1 || true) | head -n1 | cut -d' ' -f1-2)"
OVERALL=0
SUMMARY=()

for provider in "${PROVIDERS[@]}"; do
  log "=== $provider ==="
  PG_VERSION=""
  [[ "$provider" == postgres ]] && { start_postgres; log "PostgreSQL $PG_VERSION on port $PG_PORT"; }
  start_server "$provider"
  log "ready after ${READY_S} s ($BASE)"
  prepare_inputs
  log "$POINTS micro-grid points, categories without photo: $CATEGORIES; probe routed to $PROBE_GRID"

  # Baseline of this machine right now: the HTTP stack alone (no database), same connections.
  LIVE_RATE=""
  if (( CALIBRATE > 0 )); then
    LIVE_RATE="$(wrk -t2 -c"$CONNECTIONS" -d"${CALIBRATE}s" "$BASE/health/live" 2>/dev/null | sed -n 's/^Requests\/sec:[[:space:]]*//p')"
    log "calibration: GET /health/live ${LIVE_RATE:-?} req/s"
  fi
  status=PASS; notes=()
  LOG_MARK=$(wc -l <"$SERVER_LOG")
  PG_LOG_MARK=0
  [[ "$provider" == postgres ]] && PG_LOG_MARK=$(wc -l <"$WORK/pg/server.log")
  LOAD_BEFORE="$(cut -d' ' -f1-3 /proc/loadavg)"
  phases=()
  (( WARMUP > 0 )) && phases+=("warmup:$WARMUP")
  phases+=("measure:$DURATION")
  for phase in "${phases[@]}"; do
    label="${phase%%:*}"; seconds="${phase#*:}"
    before="$(count_cases "$provider")"
    cpu0="$(cpu_seconds "$SERVER_PID")"
    log "$label: $seconds s, $CONNECTIONS connections (cases stored before: $before)"
    run_wrk "$label" "$seconds"
    kill -0 "$SERVER_PID" 2>/dev/null || { tail -n 30 "$SERVER_LOG" >&2; die "the server exited during $label"; }
    cpu1="$(cpu_seconds "$SERVER_PID")"
    after="$(count_cases "$provider")"
    stored=$(( after - before )); ok="$(get "$label" ok2xx)"
    echo "server_cpu_s=$(awk -v a="$cpu0" -v b="$cpu1" 'BEGIN {printf "%.1f", b - a}')" >>"$WORK/$label.txt"
    echo "stored=$stored" >>"$WORK/$label.txt"
    log "$label: $(get "$label" ok2xx) 2xx, $(get "$label" non2xx) non-2xx ($(get "$label" by_status)), stored $stored, $(get "$label" rate)/s, p99 $(get "$label" p99_ms) ms"
    if [[ "$stored" != "$ok" ]]; then
      status=FAIL; OVERALL=1
      notes+=("$label: stored $stored new cases but counted $ok 2xx answers (sent $(get "$label" sent), answered $(get "$label" answered), socket errors $(get "$label" socket_errors))")
      log "MISMATCH in $label: stored $stored != 2xx $ok"
    fi
  done
  LOAD_AFTER="$(cut -d' ' -f1-3 /proc/loadavg)"

  # What the server said while under load (start-up lines excluded): errors, SQLite busy/locked, timeouts.
  tail -n +"$(( LOG_MARK + 1 ))" "$SERVER_LOG" >"$WORK/server-$provider.load.log"
  LOAD_LOG="$WORK/server-$provider.load.log"
  errors_in_log="$(grep -c -E '"LogLevel":"(Error|Critical)"|fail:|crit:' "$LOAD_LOG" || true)"
  busy_in_log="$(grep -c -i -E 'SQLITE_BUSY|database is locked|SQLITE_LOCKED|timeout|deadlock|too many clients' "$LOAD_LOG" || true)"
  excerpt="$(grep -i -E '"LogLevel":"(Error|Critical|Warning)"|SQLITE_BUSY|database is locked|timeout|deadlock|exception' "$LOAD_LOG" \
    | grep -v -i 'XmlKeyManager\|No XML encryptor' | head -n 5 | cut -c1-600 || true)"
  [[ "$provider" == postgres && -f "$WORK/pg/server.log" ]] && pg_errors="$(tail -n +"$(( PG_LOG_MARK + 1 ))" "$WORK/pg/server.log" | grep -c -E 'ERROR|FATAL' || true)" || pg_errors=""

  rate="$(get measure rate)"; p99="$(get measure p99_ms)"
  if [[ "$provider" == sqlite ]]; then
    target="≥ $TARGET_SQLITE_RATE cases/s and p99 < $TARGET_SQLITE_P99_MS ms"
    met=$(awk -v r="$rate" -v p="$p99" -v tr="$TARGET_SQLITE_RATE" -v tp="$TARGET_SQLITE_P99_MS" 'BEGIN {m = (r >= tr && p < tp) ? "met" : "not met"; print m}')
  else
    target="≥ $TARGET_PG_RATE cases/s"
    met=$(awk -v r="$rate" -v tr="$TARGET_PG_RATE" 'BEGIN {m = (r >= tr) ? "met" : "not met"; print m}')
  fi

  table="$(
    printf '| phase | s | conns | requests | 2xx | non-2xx (by status) | stored new | stored = 2xx | cases/s | p50 ms | p90 ms | p99 ms | max ms | server CPU s | CPU ms/case | wrk CPU s |\n'
    printf '|---|---:|---:|---:|---:|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|\n'
    for label in $( (( WARMUP > 0 )) && echo warmup ) measure; do
      okc="$(get "$label" ok2xx)"; st="$(get "$label" stored)"; cpu="$(get "$label" server_cpu_s)"
      printf '| %s | %s | %s | %s | %s | %s (%s) | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n' \
        "$label" "$(get "$label" window_s)" "$CONNECTIONS" "$(get "$label" answered)" "$okc" "$(get "$label" non2xx)" "$(get "$label" by_status)" \
        "$st" "$([[ "$st" == "$okc" ]] && echo yes || echo '**NO**')" "$(get "$label" rate)" \
        "$(get "$label" p50_ms)" "$(get "$label" p90_ms)" "$(get "$label" p99_ms)" "$(get "$label" max_ms)" \
        "$cpu" "$(awk -v c="$cpu" -v n="$okc" 'BEGIN {printf "%.2f", (n > 0 ? c * 1000 / n : 0)}')" "$(get "$label" wrk_cpu_s)"
    done
  )"

  out="$RESULTS_DIR/results-$provider-c$CONNECTIONS.md"
  {
    echo "# Case intake load: $provider"
    echo
    echo "- date: $(date -u '+%Y-%m-%d %H:%M UTC')"
    echo "- commit: $COMMIT"
    echo "- machine: $MACHINE"
    echo "- load average before / after: $LOAD_BEFORE / $LOAD_AFTER"
    [[ -n "$PG_VERSION" ]] && echo "- database: PostgreSQL $PG_VERSION (throw-away cluster, fsync on, shared_buffers=256MB)"
    [[ "$provider" == sqlite ]] && echo "- database: SQLite file in a fresh data directory (server's own pragmas: WAL, synchronous=FULL)"
    echo "- server: Release, ASPNETCORE_ENVIRONMENT=Development (the demo loads only there), Demo__Enabled=true, ready after ${READY_S} s, $(count_cases "$provider") cases stored at the end"
    echo "- request: POST /api/cases, JSON, anonymous resident, no photo, $POINTS micro-grid interior points, categories: $CATEGORIES"
    [[ -n "$LIVE_RATE" ]] && echo "- calibration: GET /health/live (no database) $LIVE_RATE req/s with the same connections, just before the load"
    echo "- load: wrk, $CONNECTIONS connections (one per thread), warm-up ${WARMUP} s, measured ${DURATION} s; latency = wrk's per-request latency"
    echo
    echo "$table"
    echo
    echo "- target: $target → **$met** (cases/s = 2xx answers / time from first request to last answer)"
    echo "- stored new cases = 2xx answers: **$status**"
    echo "- server log during warm-up and load: $errors_in_log error lines, $busy_in_log lines mentioning busy/locked/timeout/deadlock${pg_errors:+; PostgreSQL log: $pg_errors ERROR/FATAL lines}"
    for n in "${notes[@]+"${notes[@]}"}"; do echo "- $n"; done
    if [[ -n "$excerpt" ]]; then echo; echo "First server log lines with a warning or error:"; echo; echo '```text'; echo "$excerpt"; echo '```'; fi
  } >"$out"

  echo
  echo "== $provider: $rate cases/s, p50 $(get measure p50_ms) ms, p99 $p99 ms; target $target: $met; stored = 2xx: $status"
  echo "$table"
  echo "   server log: $errors_in_log error lines, $busy_in_log busy/locked/timeout lines${pg_errors:+; PostgreSQL log: $pg_errors ERROR/FATAL}; written to ${out#"$REPO"/}"
  [[ -n "$excerpt" ]] && { echo "   first warning/error lines:"; sed 's/^/     /' <<<"$excerpt"; }
  echo
  SUMMARY+=("$(printf '%-9s %8s cases/s  p50 %7s ms  p99 %7s ms  stored=2xx %s  target %s' "$provider" "$rate" "$(get measure p50_ms)" "$p99" "$status" "$met")")

  stop_server
  [[ "$provider" == postgres ]] && stop_postgres
  mkdir -p "$WORK/done-$provider" && mv "$WORK"/warmup.* "$WORK"/measure.* "$WORK/done-$provider/" 2>/dev/null || true
done

echo "machine: $MACHINE; commit $COMMIT"
printf '%s\n' "${SUMMARY[@]}"
(( OVERALL == 0 )) || { log "FAILED: stored cases differ from 2xx answers (see above)"; exit 1; }
