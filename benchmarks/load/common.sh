# Shell functions shared by the load benchmark scripts (run.sh, cpu-per-request.sh); sourced, not run.
# The caller sets $bench (the CapacitySim.LoadBench binary) and $out (its result folder) and clears $server.

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# Starts the fixed-response endpoint (extra arguments: its stall) and waits until it listens.
start_server() {
  port=$(free_port)
  "$bench" serve --port "$port" "$@" >"$out/server-$port.log" 2>&1 &
  server=$!
  for _ in $(seq 100); do grep -q "endpoint on" "$out/server-$port.log" 2>/dev/null && return; sleep 0.1; done
  echo "the fixed-response endpoint did not start:" >&2; cat "$out/server-$port.log" >&2; exit 1
}
stop_server() { kill "$server"; wait "$server" 2>/dev/null || true; server=""; }

# Writes a copy of a scenario with the constant phase's duration set (wall seconds times the compression).
scenario_for() { # file seconds rate
  python3 - "$1" "$2" "$3" "$out/$(basename "$1")" <<'EOF'
import re, sys
src, seconds, rate, dst = sys.argv[1], float(sys.argv[2]), sys.argv[3], sys.argv[4]
text = open(src).read()
compression = float(re.search(r"^timeCompression: *([0-9.]+)", text, re.M).group(1))
warm = re.search(r"^warmUp: *([0-9.]+)s", text, re.M).group(1)
base = src.rsplit("/", 1)[0]
text = text.replace("../../scenarios/", f"{__import__('os').path.abspath(base)}/../../scenarios/")
text = re.sub(r"(constant: \{ name: [^,]+, rate: )[0-9.]+(, duration: )[0-9.]+s", lambda m: f"{m.group(1)}{rate}{m.group(2)}{int(float(warm) + seconds * compression)}s", text)
open(dst, "w").write(text)
print(dst)
EOF
}

# Waits for the engine's next progress line (printed once a second) in log file $1 and prints "sent seconds": the
# requests sent so far and the wall clock when the line appeared (polled every 10 ms). Sampling from one fresh line to
# another fixes a window to within a poll, where reading whatever line is last could be up to a second stale at
# either end (20% of a 5 s window).
next_progress() {
  local lines
  lines=$(grep -c '^\[' "$1" || true)
  while [ "$(grep -c '^\[' "$1" || true)" -le "$lines" ]; do sleep 0.01; done
  echo "$(grep '^\[' "$1" | tail -1 | grep -oP 'sent \K[0-9,]+' | tr -d ,) $(date +%s.%N)"
}
