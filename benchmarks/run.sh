#!/usr/bin/env bash
# Runs the DUIS wire-core benchmarks (BenchmarkDotNet, memory diagnoser on) and checks every benchmark's
# allocated bytes per operation against benchmarks/allocation-budget.csv. Extra arguments go to BenchmarkDotNet,
# for example: benchmarks/run.sh --job short   (the README's figures)   or   --job dry   (CI's allocation gate).
set -euo pipefail
cd "$(dirname "$0")/.."
export CAPACITYSIM_DUIS_DIR=${CAPACITYSIM_DUIS_DIR:-$(cd ../shared/duis && pwd)}
artifacts=${BENCHMARK_ARTIFACTS:-BenchmarkDotNet.Artifacts}
rm -rf "$artifacts/results"
# Every benchmark unless the arguments choose (for example --filter '*HttpClient*'); the budget check then checks
# only those that ran.
filter=(--filter '*')
partial=()
for arg in "$@"; do [ "$arg" = --filter ] && filter=() && partial=(--filtered); done
dotnet run -c Release --project benchmarks/CapacitySim.Benchmarks -- "${filter[@]}" --artifacts "$artifacts" --exporters csv github "$@"
python3 benchmarks/check-allocations.py "${partial[@]}" benchmarks/allocation-budget.csv "$artifacts"/results/*-report.csv
