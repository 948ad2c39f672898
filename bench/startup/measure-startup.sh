#!/usr/bin/env bash
# Start-up and demo-seed benchmark for the CivicGrid server.
#
# Builds the server once (Release), then runs the built binary directly:
#   cold start  a fresh CIVICGRID_DATA_DIR: migrations, demo generation and seed, then ready;
#   warm start  the same data directory again: nothing to migrate or seed.
# For each run it prints the time from process start to the first 200 from /health/ready
# (polled every 50 ms), the peak RSS (VmHWM, read just before stopping the server), the size of
# the SQLite files, and the row counts the API reports to the demo admin.
#
# Usage: bench/startup/measure-startup.sh [runs]      (default 3 cold + 3 warm)
# Needs: dotnet, curl, jq; sqlite3 optional (for the size after a WAL checkpoint).
# Listens on 127.0.0.1 only; every server it starts is stopped on exit; every wait gives up after 120 s.
set -euo pipefail

RUNS="${1:-3}"
TIMEOUT_S=120
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
BIN="$REPO/src/CivicGrid.Server/bin/Release/net10.0"
DLL="$BIN/CivicGrid.Server.dll"
ADMIN_USER=admin
ADMIN_PASSWORD='CivicGrid#2026'

for tool in dotnet curl jq; do
  command -v "$tool" >/dev/null || { echo "measure-startup: $tool is required" >&2; exit 2; }
done

SERVER_PID=""
WORK="$(mktemp -d -t civicgrid-bench-XXXXXX)"

stop_server() {
  if [[ -n "$SERVER_PID" ]] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill -TERM "$SERVER_PID" 2>/dev/null || true
    for _ in $(seq 1 200); do            # up to 10 s for a graceful stop
      kill -0 "$SERVER_PID" 2>/dev/null || break
      sleep 0.05
    done
    kill -KILL "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
  fi
  SERVER_PID=""
}

cleanup() {
  stop_server
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

now_ms() { echo $(( $(date +%s%N) / 1000000 )); }

free_port() {
  if command -v python3 >/dev/null; then
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
  else
    local p
    for _ in $(seq 1 50); do
      p=$(( 20000 + RANDOM % 40000 ))
      (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null || { echo "$p"; return; }
    done
    echo "measure-startup: no free port found" >&2; return 1
  fi
}

# Bytes of the files that exist among the arguments (du -b), 0 when none do.
file_bytes() {
  local total=0 f
  for f in "$@"; do
    if [[ -f "$f" ]]; then total=$(( total + $(du -b "$f" | cut -f1) )); fi
  done
  echo "$total"
}

median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
minimum() { printf '%s\n' "$@" | sort -n | head -n1; }

# run_once <kind> <data dir>: starts the server, measures, stops it; appends to the result arrays.
READY_MS=(); RSS_KB=(); declare -A RESULTS_READY RESULTS_RSS
run_once() {
  local kind="$1" data="$2" port log start ready_at code elapsed deadline token grids cases hwm db wal size_live size_ckpt
  port="$(free_port)"
  log="$WORK/$kind-$(date +%s%N).log"
  start="$(now_ms)"
  CIVICGRID_DATA_DIR="$data" ASPNETCORE_ENVIRONMENT=Development \
    dotnet "$DLL" --urls "http://127.0.0.1:$port" --contentRoot "$BIN" >"$log" 2>&1 &
  SERVER_PID=$!

  deadline=$(( start + TIMEOUT_S * 1000 ))
  ready_at=""
  while (( $(now_ms) < deadline )); do
    if ! kill -0 "$SERVER_PID" 2>/dev/null; then
      echo "measure-startup: the server exited before it was ready; last log lines:" >&2
      tail -n 20 "$log" >&2; exit 1
    fi
    code="$(curl -s -o /dev/null -w '%{http_code}' --max-time 1 "http://127.0.0.1:$port/health/ready" || true)"
    if [[ "$code" == 200 ]]; then ready_at="$(now_ms)"; break; fi
    sleep 0.05
  done
  if [[ -z "$ready_at" ]]; then
    echo "measure-startup: not ready after ${TIMEOUT_S} s; last log lines:" >&2
    tail -n 20 "$log" >&2; exit 1
  fi
  elapsed=$(( ready_at - start ))

  token="$(curl -s --max-time 30 -H 'Content-Type: application/json' \
    -d "{\"userName\":\"$ADMIN_USER\",\"password\":\"$ADMIN_PASSWORD\"}" \
    "http://127.0.0.1:$port/api/auth/login" | jq -r '.accessToken // empty')"
  if [[ -n "$token" ]]; then
    grids="$(curl -s --max-time 30 -H "Authorization: Bearer $token" "http://127.0.0.1:$port/api/grids" | jq 'length')"
    cases="$(curl -s --max-time 30 -H "Authorization: Bearer $token" "http://127.0.0.1:$port/api/cases?pageSize=1" | jq '.total')"
  else
    grids="?"; cases="?"
  fi

  db="$data/civicgrid.db"; wal="$data/civicgrid.db-wal"
  size_live="$(file_bytes "$db" "$wal")"
  hwm="$(awk '/^VmHWM:/ {print $2}' "/proc/$SERVER_PID/status")"
  stop_server

  if command -v sqlite3 >/dev/null; then
    sqlite3 "$db" 'PRAGMA wal_checkpoint(TRUNCATE);' >/dev/null
    size_ckpt="$(file_bytes "$db" "$wal")"
  else
    size_ckpt="n/a (no sqlite3)"
  fi

  printf '%-5s ready %6d ms   peak RSS %4d MiB   sqlite db+wal %6.1f MiB (after checkpoint %s)   grids %s   cases %s\n' \
    "$kind" "$elapsed" "$(( hwm / 1024 ))" "$(awk -v b="$size_live" 'BEGIN {print b/1048576}')" \
    "$( [[ "$size_ckpt" =~ ^[0-9]+$ ]] && awk -v b="$size_ckpt" 'BEGIN {printf "%.1f MiB", b/1048576}' || echo "$size_ckpt")" \
    "$grids" "$cases"
  RESULTS_READY[$kind]+="$elapsed "
  RESULTS_RSS[$kind]+="$(( hwm / 1024 )) "
}

cd "$REPO"
echo "Building src/CivicGrid.Server (Release)..."
dotnet build src/CivicGrid.Server -c Release -nologo -v quiet >"$WORK/build.log" 2>&1 || { cat "$WORK/build.log" >&2; exit 1; }
echo "dotnet $(dotnet --version), $(nproc) CPU(s), $(uname -sr), commit $(git -C "$REPO" rev-parse --short HEAD 2>/dev/null || echo '?')"
# Other work on the machine skews every number here: say how busy it was.
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo

for i in $(seq 1 "$RUNS"); do
  data="$WORK/data-$i"
  mkdir -p "$data"
  run_once cold "$data"
  run_once warm "$data"
done

echo "load average after:  $(cut -d' ' -f1-3 /proc/loadavg)"
echo
for kind in cold warm; do
  # shellcheck disable=SC2086
  read -r -a ready <<<"${RESULTS_READY[$kind]}"; read -r -a rss <<<"${RESULTS_RSS[$kind]}"
  printf '%-5s start to ready: min %6d ms, median %6d ms   peak RSS: min %4d MiB, median %4d MiB   (%d runs)\n' \
    "$kind" "$(minimum "${ready[@]}")" "$(median "${ready[@]}")" "$(minimum "${rss[@]}")" "$(median "${rss[@]}")" "${#ready[@]}"
done
