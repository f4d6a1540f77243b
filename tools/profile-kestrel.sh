#!/usr/bin/env bash
# Profiles samples/KestrelPlaintext on one transport under wrk -t1: CPU, allocations and syscalls per request, and a
# perf call-graph profile (the numbers behind docs/aspnetcore.md's "where the time goes").
#   tools/profile-kestrel.sh sockets|inline|threadpool [CONNECTIONS=256] [DURATION=10s] [PATH=/plaintext]
# Three wrk runs against one server process (after a 15 s warm-up, PROFILE_WARMUP):
#   1. plain: requests/s, and per request the process's CPU (/proc/PID/stat utime+stime) and allocated bytes
#      (GC.GetTotalAllocatedBytes, printed by the sample under KESTREL_SAMPLE_ALLOCATIONS=1);
#   2. under perf record -g (DOTNET_PerfMapEnabled=1 names the JIT'd frames, DOTNET_EnableWriteXorExecute=0 keeps
#      them at the addresses the map gives): the split by binary, the top symbols, self time;
#   3. under strace -c -f: syscalls per request (strace slows the server; the counts per request still hold).
# Output: artifacts/profile/<transport>-c<N>/ (summary.txt, perf-top.txt, strace.txt, the raw perf.data).
# Needs a Release build (./build.sh build), wrk, perf and strace.
set -euo pipefail
cd "$(dirname "$0")/.."

transport=${1:?usage: tools/profile-kestrel.sh sockets|inline|threadpool [connections] [duration] [path]}
connections=${2:-256} duration=${3:-10s} path=${4:-/plaintext}
port=${PROFILE_PORT:-6490}
case $transport in
    sockets) args=(--transport sockets) ;;
    inline|threadpool) args=(--transport linuxiomux --mode "$transport" --backend epoll --loops 2) ;;
    *) echo "profile-kestrel: unknown transport $transport (sockets, inline or threadpool)" >&2; exit 2 ;;
esac

out=artifacts/profile/$transport-c$connections
mkdir -p "$out"
url=http://127.0.0.1:$port$path
DOTNET_PerfMapEnabled=1 DOTNET_EnableWriteXorExecute=0 KESTREL_SAMPLE_ALLOCATIONS=1 dotnet samples/KestrelPlaintext/bin/Release/net10.0/KestrelPlaintext.dll \
    "${args[@]}" --urls "http://127.0.0.1:$port" 2> "$out/server.err" > /dev/null &
server=$!
trap 'kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true' EXIT
for _ in $(seq 100); do curl -sf "$url" > /dev/null && break; sleep 0.1; done
# Warm-up: tiered JIT needs a while on a loaded machine (a 5 s warm-up left libclrjit at 27% of the perf samples).
wrk -t1 -c"$connections" -d"${PROFILE_WARMUP:-15s}" "$url" > /dev/null

requests_of() { awk '/requests in/ { print $1 }' "$1"; }
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$server/stat"; }
last_allocated() { sleep 1.1; awk '/^allocated/ { a = $2 } END { print a }' "$out/server.err"; }

# 1. CPU and allocations per request.
alloc0=$(last_allocated) cpu0=$(cpu_ticks)
wrk -t1 -c"$connections" -d"$duration" "$url" > "$out/wrk.txt"
cpu1=$(cpu_ticks) alloc1=$(last_allocated)
requests=$(requests_of "$out/wrk.txt")
hz=$(getconf CLK_TCK)
{
    echo "transport=$transport connections=$connections duration=$duration url=$url"
    grep -E 'Requests/sec|requests in' "$out/wrk.txt"
    awk -v r="$requests" -v c=$((cpu1 - cpu0)) -v hz="$hz" 'BEGIN { printf "cpu per request: %.1f us (%d ticks)\n", c * 1e6 / hz / r, c }'
    # The 1 s report lags: the window it covers is the wrk run plus up to a second of idle (which allocates ~nothing).
    awk -v r="$requests" -v a=$((alloc1 - alloc0)) 'BEGIN { printf "allocated per request: %.0f B\n", a / r }'
} > "$out/summary.txt"

# 2. perf profile (self time per symbol).
wrk -t1 -c"$connections" -d"$duration" "$url" > "$out/wrk-perf.txt" &
wrk_pid=$!
perf record -F 999 -g -p "$server" -o "$out/perf.data" -- sleep "${duration%s}" 2> /dev/null
wait "$wrk_pid"
perf report -i "$out/perf.data" --no-children --sort dso --stdio 2> /dev/null | grep -E '^ +[0-9.]+%' | head -8 > "$out/perf-dso.txt"
perf report -i "$out/perf.data" --no-children --sort dso,symbol --percent-limit 0.7 --stdio 2> /dev/null \
    | grep -E '^ +[0-9.]+%' | head -40 > "$out/perf-top.txt"

# 3. syscalls per request.
wrk -t1 -c"$connections" -d"$duration" "$url" > "$out/wrk-strace.txt" &
wrk_pid=$!
timeout -s INT "${duration%s}" strace -c -f -p "$server" -o "$out/strace-raw.txt" 2> /dev/null || true
wait "$wrk_pid"
traced=$(requests_of "$out/wrk-strace.txt")
awk -v r="$traced" '/^ *[0-9.]+ +[0-9.]+/ && NF >= 5 { printf "%-16s %8.2f per request\n", $NF, $4 / r }' "$out/strace-raw.txt" \
    | sort -k2 -n -r > "$out/strace.txt"
echo "syscalls per request (strace -c -f, $traced requests):" >> "$out/summary.txt"
head -12 "$out/strace.txt" >> "$out/summary.txt"
cat "$out/summary.txt"
echo "--- perf by binary (self) ---"
cat "$out/perf-dso.txt"
echo "--- perf top (self) ---"
head -25 "$out/perf-top.txt"
