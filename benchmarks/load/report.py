#!/usr/bin/env python3
"""Reads what benchmarks/load/run.sh measured (its result folder) and prints the markdown tables."""
import json
import re
import sys
from datetime import datetime

out, connections, rounds = sys.argv[1], sys.argv[2], int(sys.argv[3]) if len(sys.argv) > 3 else 1


def summary(name):
    with open(f"{out}/{name}/summary.json") as f:
        return json.load(f)


def seconds(s):
    return (datetime.fromisoformat(s["endedAt"]) - datetime.fromisoformat(s["startedAt"])).total_seconds() / 1.0


def to_ms(value, unit):
    value = float(value)
    return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value


def wrk_max(text):
    m = re.search(r"Latency\s+[0-9.]+(?:us|ms|s)\s+[0-9.]+(?:us|ms|s)\s+([0-9.]+)(us|ms|s)", text)
    return to_ms(m.group(1), m.group(2))


def delivered_per_second(s):
    """Final responses received (within or after the time-out) per wall second of the whole run, warm-up and drain included."""
    c = s["counts"]
    wall = seconds(s) + (s.get("environment") or {}).get("warmUpSeconds", 0) / s["compression"]
    return (c["responded"] + c["respondedAfterTimeOut"]) / wall


def responded_per_second(s):
    """Final responses recorded after the warm-up (alerts excluded) per wall second of the measured window."""
    responses = sum(c["count"] for c in s["categories"] if "alert" not in c["name"])
    return responses / seconds(s)


def wrk_rps(path):
    text = open(path).read()
    return float(re.search(r"Requests/sec:\s*([0-9.]+)", text).group(1)), text


def wrk_ms(text, label):
    m = re.search(rf"{label}\s+([0-9.]+)(us|ms|s)\b", text)
    return to_ms(m.group(1), m.group(2))


# One measurement per client per round, taken seconds apart; the median round (by the engine's ratio to wrk) is the
# headline, and every round is listed so that the spread shows.
measured = []
for r in range(1, rounds + 1):
    wrk, _ = wrk_rps(f"{out}/wrk-{r}.txt")
    client = json.load(open(f"{out}/httpclient-{r}.json"))
    gen = summary(f"generator-{r}")
    measured.append((responded_per_second(gen) / wrk, wrk, client, gen))
ratios = sorted(m[0] for m in measured)
median = next(m for m in measured if m[0] == ratios[len(ratios) // 2])
_, wrk, client, gen = median
engine = responded_per_second(gen)
env = gen.get("environment") or {}
alloc = env.get("allocatedBytesPerRequest")
print(f"### Generator-only throughput ({connections} connections, fixed-response DUIS endpoint, SRV 8.2 request of "
      f"{len(open(out + '/request-8.2.xml', 'rb').read())} bytes)\n")
print(f"Median of {rounds} rounds (round {measured.index(median) + 1}):\n")
print("| client | req/s | × wrk | allocated B/request (process) |")
print("|---|---:|---:|---:|")
print(f"| wrk (C, 2 threads) | {wrk:,.0f} | 1.00 | – |")
print(f"| .NET HttpClient (SocketsHttpHandler, closed loop) | {client['rps']:,.0f} | {client['rps'] / wrk:.2f} | {client['allocatedBytesPerRequest']:,.0f} |")
print(f"| capacitysim run (engine, open model) | {engine:,.0f} | {engine / wrk:.2f} | {'–' if alloc is None else f'{alloc:,.0f}'} |")
print(f"\nEngine: sent {gen['counts']['sent']:,}, responded {gen['counts']['responded']:,}, dropped {gen['counts']['dropped']:,} "
      f"(offered 60,000/s), errors {gen['counts']['errors']:,}; HttpClient errors {client['errors']}.\n")
print("| round | wrk req/s | HttpClient × wrk | engine × wrk |")
print("|---:|---:|---:|---:|")
for r, (ratio, w, c, _) in enumerate(measured, 1):
    print(f"| {r} | {w:,.0f} | {c['rps'] / w:.2f} | {ratio:.2f} |")
print()

print("### End-to-end through the embedded DCC (request, I99, asynchronous response delivered)\n")
print("| signing | messages/s | sent | responded (+ after time-out) | timed out | dropped | allocated B/request (process, DCC included) |")
print("|---|---:|---:|---:|---:|---:|---:|")
rates = {}
for name, label in (("e2e-signed", "on"), ("e2e-unsigned", "off")):
    s = summary(name)
    rates[label] = delivered_per_second(s)
    a = (s.get("environment") or {}).get("allocatedBytesPerRequest")
    c = s["counts"]
    print(f"| {label} | {rates[label]:,.0f} | {c['sent']:,} | {c['responded']:,} (+ {c['respondedAfterTimeOut']:,}) | {c['timedOut']:,} | {c['dropped']:,} | {'–' if a is None else f'{a:,.0f}'} |")
print(f"\nSigning on / off: {rates['on'] / rates['off']:.2f}.\n")

print("### Measurement accuracy: the endpoint holds every answer for 1 s, once (500 requests/s offered)\n")
print("| client | p50 | p99 | max | p99 (uncorrected) | max (uncorrected) | dropped |")
print("|---|---:|---:|---:|---:|---:|---:|")
for name, what in (("stall-drop", "busy connection: dropped"), ("stall-wait", "busy connection: waits, sent late")):
    s = summary(name)
    c = next(c for c in s["categories"] if c["count"] > 0)
    co, un = c["corrected"], c["uncorrected"]
    print(f"| capacitysim run, {connections} connections, {what} | {co['p50']:.1f} ms | {co['p99']:.1f} ms | {co['max']:.1f} ms | {un['p99']:.1f} ms | {un['max']:.1f} ms | {s['counts']['dropped']:,} |")
_, text = wrk_rps(f"{out}/wrk-stall.txt")
print(f"| wrk --latency, {connections} connections (closed loop) | {wrk_ms(text, '50%'):.1f} ms | {wrk_ms(text, '99%'):.1f} ms | "
      f"{wrk_max(text):.1f} ms | – | – | – |")
