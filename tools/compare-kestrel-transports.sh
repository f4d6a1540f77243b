#!/usr/bin/env bash
# Kestrel on its Sockets transport vs on LinuxIoMux (inline and thread-pool modes): samples/KestrelPlaintext under
# wrk -t1 at 64 and 256 connections, /plaintext and /json, ROUNDS interleaved rounds (every configuration once per
# round, in turn), medians of requests/s. Run after ./build.sh build.
#   tools/compare-kestrel-transports.sh [ROUNDS=3] [DURATION=10s]
# The rows this adds to ./build.sh compare are the wrk command lines printed on stderr.
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS=${1:-3}
DURATION=${2:-10s}
DLL=samples/KestrelPlaintext/bin/${CONFIGURATION:-Release}/net10.0/KestrelPlaintext.dll
command -v wrk >/dev/null || { echo "wrk is needed (apt-get install wrk)" >&2; exit 1; }
[[ -f $DLL ]] || { echo "$DLL is missing: run ./build.sh build first" >&2; exit 1; }

declare -A PORT=([sockets]=8131 [linuxiomux-inline]=8132 [linuxiomux-threadpool]=8133)
declare -A ARGS=([sockets]="--transport sockets" [linuxiomux-inline]="--transport linuxiomux --mode inline"
                 [linuxiomux-threadpool]="--transport linuxiomux --mode threadpool")
CONFIGS=(sockets linuxiomux-inline linuxiomux-threadpool)
PIDS=()
trap 'kill "${PIDS[@]}" 2>/dev/null || true' EXIT
for config in "${CONFIGS[@]}"; do
    # shellcheck disable=SC2086
    dotnet "$DLL" --urls "http://127.0.0.1:${PORT[$config]}" ${ARGS[$config]} >/dev/null 2>&1 &
    PIDS+=($!)
done
for config in "${CONFIGS[@]}"; do
    for _ in $(seq 100); do curl -sf "http://127.0.0.1:${PORT[$config]}/plaintext" >/dev/null && break; sleep 0.1; done
done

results=$(mktemp)
for round in $(seq "$ROUNDS"); do
    for path in plaintext json; do
        for connections in 64 256; do
            for config in "${CONFIGS[@]}"; do
                url="http://127.0.0.1:${PORT[$config]}/$path"
                echo "round $round: wrk -t1 -c$connections -d$DURATION $url ($config)" >&2
                rps=$(wrk -t1 -c"$connections" -d"$DURATION" "$url" | awk '/Requests\/sec/ {print $2}')
                echo "$path $connections $config $rps" >>"$results"
            done
        done
    done
done

echo "| endpoint | connections | Sockets req/s | LinuxIoMux inline req/s | LinuxIoMux thread-pool req/s | inline / Sockets | thread-pool / Sockets |"
echo "| --- | --- | --- | --- | --- | --- | --- |"
median() { sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2}'; }
for path in plaintext json; do
    for connections in 64 256; do
        s=$(awk -v p="$path" -v c="$connections" '$1==p && $2==c && $3=="sockets" {print $4}' "$results" | median)
        i=$(awk -v p="$path" -v c="$connections" '$1==p && $2==c && $3=="linuxiomux-inline" {print $4}' "$results" | median)
        t=$(awk -v p="$path" -v c="$connections" '$1==p && $2==c && $3=="linuxiomux-threadpool" {print $4}' "$results" | median)
        printf '| /%s | %s | %.0f | %.0f | %.0f | %.2f | %.2f |\n' "$path" "$connections" "$s" "$i" "$t" \
            "$(echo "$i / $s" | bc -l)" "$(echo "$t / $s" | bc -l)"
    done
done
echo
echo "all rounds (endpoint connections configuration requests/s):"
cat "$results"
rm -f "$results"
