#!/usr/bin/env bash
# The load engine's proof of speed, in one run (about 3 minutes after the build):
#   1. generator throughput against a fixed-response DUIS endpoint: wrk (C), a .NET HttpClient closed loop and
#      `capacitysim run` (the engine), same request body, same connection count, same endpoint, one after the other,
#      in --rounds rounds (default 3): a shared virtual machine's speed drifts by tens of percent over minutes, so each
#      round's ratios compare clients measured seconds apart and the report takes the median round;
#   2. end-to-end DUIS messages per second through the embedded simulated DCC, signing on and off;
#   3. measurement accuracy: the engine against the endpoint stalling every answer for 1 s, once.
# Prints a markdown table. Usage: benchmarks/load/run.sh [--duration SECONDS] [--connections N] [--rounds N] [--no-build]
# Needs the .NET SDK, python3 and wrk (installed with apt-get when missing and running as root).
set -euo pipefail
cd "$(dirname "$0")/../.."

duration=10
connections=32
rounds=3
build=1
while [ $# -gt 0 ]; do
  case "$1" in
    --duration) duration=$2; shift 2 ;;
    --connections) connections=$2; shift 2 ;;
    --rounds) rounds=$2; shift 2 ;;
    --no-build) build=0; shift ;;
    *) echo "usage: $0 [--duration SECONDS] [--connections N] [--rounds N] [--no-build]" >&2; exit 2 ;;
  esac
done

export CAPACITYSIM_DUIS_DIR=${CAPACITYSIM_DUIS_DIR:-$(cd ../shared/duis 2>/dev/null && pwd || echo "")}
[ -n "$CAPACITYSIM_DUIS_DIR" ] || unset CAPACITYSIM_DUIS_DIR
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

if ! command -v wrk >/dev/null; then
  if [ "$(id -u)" = 0 ]; then apt-get install -y wrk >/dev/null || { apt-get update >/dev/null && apt-get install -y wrk >/dev/null; }
  else echo "wrk is missing: sudo apt-get install -y wrk" >&2; exit 2; fi
fi

if [ "$build" = 1 ]; then
  dotnet build src/CapacitySim.Cli -c Release -v q -nologo >/dev/null
  dotnet build benchmarks/CapacitySim.LoadBench -c Release -v q -nologo >/dev/null
fi
cli=src/CapacitySim.Cli/bin/Release/net10.0/capacitysim
bench=benchmarks/CapacitySim.LoadBench/bin/Release/net10.0/CapacitySim.LoadBench
out=$(mktemp -d /tmp/capacitysim-loadbench.XXXXXX)
server=""
trap '[ -n "$server" ] && kill "$server" 2>/dev/null; wait 2>/dev/null || true' EXIT

. benchmarks/load/common.sh

engine() { # result-folder scenario args...
  local dir=$1; shift
  "$cli" run "$@" --no-progress -o "$dir" >"$dir.log" 2>&1 || { code=$?; [ $code = 1 ] || { cat "$dir.log" >&2; exit $code; }; }
}

echo "capacitysim load benchmark: ${duration}s per measurement, ${connections} connections, $(nproc) cores; results in $out" >&2

# 1. Generator-only throughput.
"$bench" body --srv 8.2 --out "$out/request-8.2.xml" >/dev/null
start_server
url="http://127.0.0.1:$port"
generator=$(scenario_for benchmarks/load/generator.yaml "$duration" 60000)
for round in $(seq "$rounds"); do
  echo "1. generator, round $round of $rounds: wrk" >&2
  BODY="$out/request-8.2.xml" wrk -t2 -c"$connections" -d"$((duration + 2))s" -s benchmarks/load/post-body.lua "$url/api/v1/serviceD" >"$out/wrk-$round.txt"
  echo "1. generator, round $round of $rounds: HttpClient" >&2
  "$bench" client --url "$url/api/v1/serviceD" --body "$out/request-8.2.xml" --connections "$connections" --warmup 3 --seconds "$duration" >"$out/httpclient-$round.json"
  echo "1. generator, round $round of $rounds: capacitysim run" >&2
  engine "$out/generator-$round" "$generator" --target "$url/" --no-signing --connections "$connections"
done
stop_server

# 2. End-to-end through the embedded DCC.
e2e=$(scenario_for benchmarks/load/end-to-end.yaml "$duration" 100)
echo "2. end-to-end: signing on" >&2
engine "$out/e2e-signed" "$e2e" --connections "$connections"
echo "2. end-to-end: signing off" >&2
engine "$out/e2e-unsigned" "$e2e" --no-signing --connections "$connections"

# 3. Measurement accuracy: the endpoint stalls every answer for 1 s, 5 s after the first request.
stall=$(scenario_for benchmarks/load/stall.yaml 10 500)
for mode in drop wait; do
  # drop: an arrival that finds every connection busy is dropped (after 1 ms); wait: it may wait up to 5 s for one and is then
  # sent late (--max-connection-wait), which is where corrected and uncorrected latency part.
  echo "3. stall: capacitysim run, $connections connections, $mode" >&2
  start_server --stall-after 5 --stall-ms 1000
  extra=(); [ "$mode" = wait ] && extra=(--max-connection-wait 5)
  engine "$out/stall-$mode" "$stall" --target "http://127.0.0.1:$port/" --no-signing --connections "$connections" "${extra[@]}"
  stop_server
done
echo "3. stall: wrk --latency" >&2
start_server --stall-after 5 --stall-ms 1000
BODY="$out/request-8.2.xml" wrk -t2 -c"$connections" -d12s --latency -s benchmarks/load/post-body.lua "http://127.0.0.1:$port/api/v1/serviceD" >"$out/wrk-stall.txt"
stop_server

python3 benchmarks/load/report.py "$out" "$connections" "$rounds"
