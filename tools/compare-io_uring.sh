#!/usr/bin/env bash
# RespServer and HttpPlaintext on --backend io_uring against --backend epoll, interleaved so a change in the machine's
# load hits both alike: each round starts each server fresh, in the order epoll, io_uring, and measures it with
#   redis-benchmark -t set,get -n 2000000 -c 50 -P 16 -q      (RespServer)
#   wrk -t1 -c256 -d10s http://127.0.0.1:PORT/plaintext         (HttpPlaintext)
# after one unreported warm-up pass (JIT tiering). Prints every round, then the medians and io_uring / epoll.
# Usage: tools/compare-io_uring.sh [ROUNDS] (default 3). Build first (./build.sh build). Installs redis-tools and wrk
# from Debian when they are missing. Everything binds 127.0.0.1.
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS=${1:-3}
BIN=bin/${CONFIGURATION:-Release}/net10.0
REQUESTS=${COMPARE_REDIS_REQUESTS:-2000000}
DURATION=${COMPARE_WRK_DURATION:-10s}

missing=()
command -v redis-benchmark >/dev/null || missing+=(redis-tools)
command -v wrk >/dev/null || missing+=(wrk)
command -v curl >/dev/null || missing+=(curl)
if ((${#missing[@]})); then
    sudo=(); ((EUID == 0)) || sudo=(sudo)
    DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get update -qq
    DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

server_pid=''
cleanup() { [[ -n $server_pid ]] && kill -TERM "$server_pid" 2>/dev/null; wait 2>/dev/null || true; }
trap cleanup EXIT

# start READY_COMMAND COMMAND...: runs a server in the background, waits (10 s at most) until READY_COMMAND succeeds.
start() {
    local ready=$1; shift
    "$@" >/tmp/compare-io_uring-server.log 2>&1 &
    server_pid=$!
    for _ in $(seq 100); do
        if eval "$ready" >/dev/null 2>&1; then return 0; fi
        sleep 0.1
    done
    echo "compare-io_uring: $* did not start:" >&2
    cat /tmp/compare-io_uring-server.log >&2
    exit 1
}

stop() { kill -TERM "$server_pid"; wait "$server_pid" 2>/dev/null || true; server_pid=''; }

# "SET GET" requests/s; redis-benchmark -q prints "SET: 123.45 requests per second, p50=..." after \r progress lines.
resp_once() {
    local port=$1 out
    redis-benchmark -p "$port" -t set,get -n 200000 -c 50 -P 16 -q >/dev/null 2>&1 # warm-up, not reported
    out=$(redis-benchmark -p "$port" -t set,get -n "$REQUESTS" -c 50 -P 16 -q 2>/dev/null | tr '\r' '\n')
    echo "$(sed -n 's/^SET: \([0-9.]*\) requests per second.*/\1/p' <<<"$out" | tail -n 1) $(sed -n 's/^GET: \([0-9.]*\) requests per second.*/\1/p' <<<"$out" | tail -n 1)"
}

http_once() {
    local url=$1 out
    wrk -t1 -c256 -d2s "$url" >/dev/null # warm-up, not reported
    out=$(wrk -t1 -c256 -d"$DURATION" "$url")
    if grep -q "Non-2xx\|Socket errors" <<<"$out"; then
        echo "compare-io_uring: $url: $(grep 'Non-2xx\|Socket errors' <<<"$out")" >&2
    fi
    awk '/^Requests\/sec:/ {print $2}' <<<"$out"
}

median() { sort -g | awk '{v[NR] = $1} END {print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }

declare -A set get http
echo "machine: $(nproc) cores, $(uname -sr), load $(cut -d' ' -f1-3 /proc/loadavg) (shared: other work may run)"
for round in $(seq "$ROUNDS"); do
    for backend in epoll io_uring; do
        start "redis-cli -p 6440 ping" dotnet "samples/RespServer/$BIN/RespServer.dll" --backend "$backend" --port 6440
        read -r s g < <(resp_once 6440)
        stop
        start "curl -sf http://127.0.0.1:8140/plaintext" dotnet "samples/HttpPlaintext/$BIN/HttpPlaintext.dll" --backend "$backend" --port 8140
        h=$(http_once http://127.0.0.1:8140/plaintext)
        stop
        set[$backend]+="$s "; get[$backend]+="$g "; http[$backend]+="$h "
        echo "round $round $backend: RespServer SET $s GET $g req/s; HttpPlaintext $h req/s; load $(cut -d' ' -f1 /proc/loadavg)"
    done
done

echo
echo "Medians of $ROUNDS interleaved rounds (requests/s): redis-benchmark -t set,get -n $REQUESTS -c 50 -P 16; wrk -t1 -c256 -d$DURATION"
echo
echo "| server | epoll | io_uring | io_uring / epoll |"
echo "|---|---:|---:|---:|"
for row in "RespServer SET:set" "RespServer GET:get" "HttpPlaintext:http"; do
    label=${row%%:*}; declare -n values=${row##*:}
    e=$(tr ' ' '\n' <<<"${values[epoll]}" | grep . | median)
    u=$(tr ' ' '\n' <<<"${values[io_uring]}" | grep . | median)
    printf '| %s | %.0f | %.0f | %.2f |\n' "$label" "$e" "$u" "$(echo "$u / $e" | bc -l)"
    unset -n values
done
