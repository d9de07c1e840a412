#!/usr/bin/env python3
"""Checks BenchmarkDotNet CSV reports against the allocation budget: every benchmark must be listed, and a
budgeted one may not allocate more bytes per operation than its budget. Prints one line per benchmark.
With --filtered first (a run of chosen benchmarks), budgeted benchmarks that were not run are not a failure."""
import csv
import os
import sys


def parse_bytes(text):
    text = text.strip().replace(",", "")
    if text in ("", "-", "NA"):
        return 0.0
    units = {"B": 1, "KB": 1024, "MB": 1024 ** 2, "GB": 1024 ** 3}
    number, _, unit = text.partition(" ")
    return float(number) * units.get(unit or "B", 1)


def main(budget_path, reports, filtered=False):
    budget = {}
    with open(budget_path, encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            if line and not line.startswith("#"):
                name, limit = line.rsplit(",", 1)
                budget[name] = None if limit == "unbudgeted" else float(limit)
    failures, seen = [], set()
    for report in reports:
        # Reports are named <Namespace>.<Type>-report.csv; the CSV itself has no type column.
        type_name = os.path.basename(report).removesuffix("-report.csv").rsplit(".", 1)[-1]
        with open(report, encoding="utf-8") as f:
            for row in csv.DictReader(f):
                name = type_name + "." + row["Method"]
                allocated = parse_bytes(row.get("Allocated", ""))
                seen.add(name)
                if name not in budget:
                    failures.append(f"{name}: not in {budget_path} (allocated {allocated:.0f} B/op)")
                    continue
                limit = budget[name]
                verdict = "baseline" if limit is None else ("ok" if allocated <= limit else "OVER BUDGET")
                print(f"{verdict:>11}  {name}: {allocated:.0f} B/op" + ("" if limit is None else f" (budget {limit:.0f} B)"))
                if limit is not None and allocated > limit:
                    failures.append(f"{name}: {allocated:.0f} B/op, budget {limit:.0f} B")
    missing = [] if filtered else sorted(n for n in budget if n not in seen)
    failures += [f"{n}: budgeted but not measured" for n in missing]
    for failure in failures:
        print("FAIL", failure)
    print(f"allocation budget: {len(seen) - len([f for f in failures if 'OVER' in f])} of {len(seen)} benchmarks within budget, {len(failures)} problem(s)")
    return 1 if failures else 0


if __name__ == "__main__":
    arguments = sys.argv[1:]
    filtered = arguments[:1] == ["--filtered"]
    if filtered:
        arguments = arguments[1:]
    sys.exit(main(arguments[0], arguments[1:], filtered))
