#!/usr/bin/env bash
# Real processes, direct path: wavry-server on a dynamic port, wavry-client
# --connect for a few seconds (exit 0 only with a handshake and frames), and
# `wavry ping` (an encrypted session of its own).
set -euo pipefail
BIN="$1"
dir=$(mktemp -d)
cleanup() { kill "$server" 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$dir"; }
"$BIN/wavry-server" --listen 127.0.0.1:0 --fps 30 > "$dir/server.out" 2> "$dir/server.log" &
server=$!
trap cleanup EXIT
for _ in $(seq 100); do grep -q '^listening udp ' "$dir/server.out" && break; sleep 0.05; done
addr=$(awk '/^listening udp /{print $3}' "$dir/server.out")
[ -n "$addr" ] || { echo "server did not report its port"; cat "$dir/server.log"; exit 1; }
"$BIN/wavry-client" --connect "$addr" --duration 2 > "$dir/client.out" 2> "$dir/client.log" || {
  echo "client failed"; cat "$dir/client.log"; exit 1; }
summary=$(grep '^summary ' "$dir/client.out")
echo "$summary"
python3 - "$summary" <<'PY'
import json, sys
s = json.loads(sys.argv[1][len("summary "):])
assert s["handshake"] and not s["relayed"], s
assert s["frames"] >= 40 and s["frames_corrupt"] == 0 and s["frames_out_of_order"] == 0, s
assert s["pongs"] >= 2 and s["rtt_avg_ms"] >= 0, s
PY
"$BIN/wavry" ping --server "$addr" --count 2 | tee "$dir/ping.txt"
grep -q '^Handshake with ' "$dir/ping.txt"
[ "$(grep -c '^Response from ' "$dir/ping.txt")" = 2 ]
# Nothing listens here: a clear timeout and a non-zero exit, not a hang.
if "$BIN/wavry" ping --server 127.0.0.1:9 --timeout 1 > "$dir/noping.txt"; then echo "ping to nowhere succeeded"; exit 1; fi
grep -q 'Ping timeout' "$dir/noping.txt"
echo "direct session: OK"
