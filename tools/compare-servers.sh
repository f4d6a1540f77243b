#!/usr/bin/env bash
# Measures the sample servers under real clients, next to their peers, in one run (./build.sh compare):
#   RespServer on epoll, poll and select, and redis-server:   redis-benchmark -t set,get -n 200000 -c 50 -P 16 -q
#   HttpPlaintext on epoll, poll and select, and Kestrel:     wrk -t1 -c64 -d10s --latency
# Prints markdown tables: requests/s, p50/p99 where the client reports them, and the ratio to the peer. Every server
# gets one unreported warm-up pass of the same load first.
# Needs redis-tools, redis-server and wrk (apt-get install redis-tools redis-server wrk). Everything binds 127.0.0.1.
set -euo pipefail
cd "$(dirname "$0")/.."
CONFIGURATION=${CONFIGURATION:-Release}
BIN=bin/$CONFIGURATION/net10.0
DURATION=${COMPARE_WRK_DURATION:-10s}

for tool in redis-benchmark redis-cli redis-server wrk curl; do
    command -v "$tool" >/dev/null || { echo "compare: $tool is missing (apt-get install redis-tools redis-server wrk curl)" >&2; exit 2; }
done

pids=()
cleanup() { for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT

# start NAME READY_COMMAND COMMAND...: runs a server in the background and waits (10 s at most) until READY_COMMAND succeeds.
start() {
    local name=$1 ready=$2; shift 2
    "$@" >"/tmp/compare-$name.log" 2>&1 &
    pids+=($!)
    for _ in $(seq 100); do
        if eval "$ready" >/dev/null 2>&1; then return 0; fi
        sleep 0.1
    done
    echo "compare: $name did not start; its output:" >&2
    cat "/tmp/compare-$name.log" >&2
    exit 1
}

stop_last() { kill -TERM "${pids[-1]}"; wait "${pids[-1]}" 2>/dev/null || true; unset 'pids[-1]'; }

# redis-benchmark -q prints "SET: 123.45 requests per second, p50=0.4 msec" (after \r progress lines).
resp_row() {
    local label=$1 port=$2 out set get
    # Warm-up pass, not reported: the whole measured test lasts well under a second at these rates, so without it a
    # .NET server is measured half in tier-0 JIT code. redis-server gets the same pass.
    redis-benchmark -p "$port" -t set,get -n 200000 -c 50 -P 16 -q >/dev/null 2>&1
    out=$(redis-benchmark -p "$port" -t set,get -n 200000 -c 50 -P 16 -q 2>/dev/null | tr '\r' '\n')
    set=$(sed -n 's/^SET: \([0-9.]*\) requests per second, p50=\([0-9.]*\) msec.*/\1 \2/p' <<<"$out" | tail -n 1)
    get=$(sed -n 's/^GET: \([0-9.]*\) requests per second, p50=\([0-9.]*\) msec.*/\1 \2/p' <<<"$out" | tail -n 1)
    echo "$label ${set:-0 0} ${get:-0 0}"
}

http_row() {
    local label=$1 url=$2 out rps p50 p99
    wrk -t1 -c64 -d2s "$url" >/dev/null # warm-up pass, not reported (JIT tiering), for every server alike
    out=$(wrk -t1 -c64 -d"$DURATION" --latency "$url")
    rps=$(awk '/^Requests\/sec:/ {print $2}' <<<"$out")
    p50=$(awk '$1 == "50%" {print $2}' <<<"$out")
    p99=$(awk '$1 == "99%" {print $2}' <<<"$out")
    grep -q "Non-2xx\|Socket errors" <<<"$out" && echo "compare: $label had errors: $(grep 'Non-2xx\|Socket errors' <<<"$out")" >&2
    echo "$label ${rps:-0} ${p50:-?} ${p99:-?}"
}

echo "machine: $(nproc) cores, $(uname -sr), load $(cut -d' ' -f1-3 /proc/loadavg)" >&2
rows=()
echo "==> redis-server (the peer)" >&2
start redis "redis-cli -p 6420 ping" redis-server --port 6420 --bind 127.0.0.1 --save '' --appendonly no
rows+=("$(resp_row redis-server 6420)")
stop_last
port=6421
for backend in epoll poll select; do
    echo "==> RespServer --backend $backend" >&2
    start "resp-$backend" "redis-cli -p $port ping" dotnet "samples/RespServer/$BIN/RespServer.dll" --backend "$backend" --port "$port"
    rows+=("$(resp_row "RespServer-$backend" "$port")")
    stop_last
    port=$((port + 1))
done

echo
echo "redis-benchmark -t set,get -n 200000 -c 50 -P 16 -q (requests/s; ratio to redis-server)"
echo
echo "| server | SET req/s | SET p50 ms | GET req/s | GET p50 ms | SET ratio | GET ratio |"
echo "|---|---:|---:|---:|---:|---:|---:|"
read -r _ peer_set _ peer_get _ <<<"${rows[0]}"
for row in "${rows[@]}"; do
    read -r label set set50 get get50 <<<"$row"
    printf '| %s | %.0f | %s | %.0f | %s | %.2f | %.2f |\n' "$label" "$set" "$set50" "$get" "$get50" \
        "$(echo "$set / $peer_set" | bc -l)" "$(echo "$get / $peer_get" | bc -l)"
done

rows=()
echo "==> Kestrel (the peer)" >&2
start kestrel "curl -sf http://127.0.0.1:8120/plaintext" dotnet "samples/KestrelPlaintext/$BIN/KestrelPlaintext.dll" --urls http://127.0.0.1:8120
rows+=("$(http_row Kestrel http://127.0.0.1:8120/plaintext)")
stop_last
port=8121
for backend in epoll poll select; do
    echo "==> HttpPlaintext --backend $backend" >&2
    start "http-$backend" "curl -sf http://127.0.0.1:$port/plaintext" dotnet "samples/HttpPlaintext/$BIN/HttpPlaintext.dll" --backend "$backend" --port "$port"
    rows+=("$(http_row "HttpPlaintext-$backend" "http://127.0.0.1:$port/plaintext")")
    stop_last
    port=$((port + 1))
done

echo
echo "wrk -t1 -c64 -d$DURATION --latency http://127.0.0.1:PORT/plaintext (ratio to Kestrel)"
echo
echo "| server | requests/s | p50 | p99 | ratio |"
echo "|---|---:|---:|---:|---:|"
read -r _ peer _ <<<"${rows[0]}"
for row in "${rows[@]}"; do
    read -r label rps p50 p99 <<<"$row"
    printf '| %s | %.0f | %s | %s | %.2f |\n' "$label" "$rps" "$p50" "$p99" "$(echo "$rps / $peer" | bc -l)"
done
