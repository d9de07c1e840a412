#!/usr/bin/env bash
# CPU time per request in steady state, for wrk and for the engine (capacitysim run), each against the same
# fixed-response endpoint with the same body and connection count, and for the endpoint under each: reads utime and
# stime of each process from /proc over a 5 s window after a 3-5 s start. Needs a Release build (benchmarks/load/run.sh
# makes one), python3 and wrk. Usage: benchmarks/load/cpu-per-request.sh [--connections N]
set -euo pipefail
cd "$(dirname "$0")/../.."
connections=32
[ "${1:-}" = --connections ] && connections=$2
export CAPACITYSIM_DUIS_DIR=${CAPACITYSIM_DUIS_DIR:-$(cd ../shared/duis && pwd)}
cli=src/CapacitySim.Cli/bin/Release/net10.0/capacitysim
bench=benchmarks/CapacitySim.LoadBench/bin/Release/net10.0/CapacitySim.LoadBench
out=$(mktemp -d /tmp/capacitysim-cpu.XXXXXX)
server=""
trap '[ -n "$server" ] && kill "$server" 2>/dev/null; wait 2>/dev/null || true' EXIT
. benchmarks/load/common.sh
"$bench" body --srv 8.2 --out "$out/request.xml" >/dev/null
start_server

ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }   # utime + stime, in clock ticks
hz=$(getconf CLK_TCK)

# Samples a client process and the endpoint over 5 s; prints "client-ticks server-ticks seconds".
window() {
  local c1 s1 t1 c2 s2 t2
  c1=$(ticks "$1"); s1=$(ticks "$server"); t1=$(date +%s.%N)
  sleep 5
  c2=$(ticks "$1"); s2=$(ticks "$server"); t2=$(date +%s.%N)
  echo "$((c2 - c1)) $((s2 - s1)) $(python3 -c "print($t2 - $t1)")"
}

BODY="$out/request.xml" wrk -t2 -c"$connections" -d12s -s benchmarks/load/post-body.lua "http://127.0.0.1:$port/api/v1/serviceD" >"$out/wrk.txt" &
wrk_pid=$!
sleep 4
read -r wc ws wt < <(window "$wrk_pid")
wait "$wrk_pid"
wrk_rate=$(grep -oP 'Requests/sec:\s*\K[0-9.]+' "$out/wrk.txt")

# 12 s after the 3 s warm-up: the window starts 5 s in and ends before the run does.
"$cli" run "$(scenario_for benchmarks/load/generator.yaml 12 60000)" --target "http://127.0.0.1:$port/" --no-signing --connections "$connections" --no-progress -o "$out/engine" >"$out/engine.log" 2>&1 &
engine_pid=$!
# From one fresh progress line to the one about 5 s later: the engine's rate and CPU over the same window.
sleep 4
read -r sent1 et1 < <(next_progress "$out/engine.log"); ec1=$(ticks "$engine_pid"); es1=$(ticks "$server")
sleep 4.5
read -r sent2 et2 < <(next_progress "$out/engine.log"); ec2=$(ticks "$engine_pid"); es2=$(ticks "$server")
ec=$((ec2 - ec1)); es=$((es2 - es1)); et=$(python3 -c "print($et2 - $et1)")
wait "$engine_pid" || true

python3 - "$hz" "$wrk_rate" "$wc" "$ws" "$wt" "$sent1" "$sent2" "$ec" "$es" "$et" <<'PY'
import sys
hz, wrk_rate = float(sys.argv[1]), float(sys.argv[2])
wc, ws, wt = int(sys.argv[3]), int(sys.argv[4]), float(sys.argv[5])
sent1, sent2, ec, es, et = int(sys.argv[6]), int(sys.argv[7]), int(sys.argv[8]), int(sys.argv[9]), float(sys.argv[10])
# The engine's rate over its window, from the progress lines that open and close it.
engine_rate = (sent2 - sent1) / et
def us(ticks, seconds, rate): return ticks / hz / seconds / rate * 1e6
print("| client | req/s | client CPU µs/request | endpoint CPU µs/request |")
print("|---|---:|---:|---:|")
print(f"| wrk | {wrk_rate:,.0f} | {us(wc, wt, wrk_rate):.1f} | {us(ws, wt, wrk_rate):.1f} |")
print(f"| capacitysim run | {engine_rate:,.0f} | {us(ec, et, engine_rate):.1f} | {us(es, et, engine_rate):.1f} |")
PY
