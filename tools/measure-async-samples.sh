#!/usr/bin/env bash
# Issue 11's sample measurements, interleaved (every server once per round, ROUNDS rounds), medians printed as markdown:
#   redis-benchmark -t set,get -n 2000000 -c 50 -P 16 -q, and the same without -P:
#       RespServer --api async, RespServer --api callback (both epoll, 1 loop), redis-server (save/appendonly off)
#   wrk -t1 -c256 -d10s /plaintext:
#       HttpPlaintext --api async, --api callback (epoll, 2 loops), samples/KestrelPlaintext, nginx-light (2 workers,
#       access log off, `return 200 "Hello, World!"`)
# Usage: tools/measure-async-samples.sh [resp|http|all]   (ROUNDS=3, REQUESTS=2000000, REQUESTS_P1=REQUESTS,
#        WRK_DURATION=10s by default)
# Installs what is missing (Debian: redis-server redis-tools wrk nginx-light); builds the samples in Release first.
set -euo pipefail
cd "$(dirname "$0")/.."
WHAT=${1:-all}
ROUNDS=${ROUNDS:-3}
REQUESTS=${REQUESTS:-2000000}
REQUESTS_P1=${REQUESTS_P1:-$REQUESTS} # without pipelining; lower it on a loaded machine (2M at 10k/s is 200 s per test)
WRK_DURATION=${WRK_DURATION:-10s}
BIN=bin/Release/net10.0
OUT=${OUT:-/tmp/measure-async}
mkdir -p "$OUT"

missing=()
for pair in redis-benchmark:redis-tools redis-server:redis-server wrk:wrk nginx:nginx-light; do
    command -v "${pair%%:*}" >/dev/null || [ -x "/usr/sbin/${pair%%:*}" ] || missing+=("${pair#*:}")
done
if [ ${#missing[@]} -gt 0 ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi
NGINX=$(command -v nginx || echo /usr/sbin/nginx)

for sample in RespServer HttpPlaintext KestrelPlaintext; do
    dotnet build "samples/$sample/$sample.csproj" -c Release --nologo -v quiet -clp:NoSummary >/dev/null
done

pid=
stop() { if [ -n "$pid" ]; then kill -TERM "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; pid=; fi; }
trap stop EXIT

# start LOG PORT COMMAND...: runs a server in the background, waits up to 20 s until PORT accepts connections.
start() {
    local log=$1 port=$2; shift 2
    "$@" >"$OUT/$log.log" 2>&1 &
    pid=$!
    for _ in $(seq 200); do
        if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then return 0; fi
        sleep 0.1
    done
    echo "measure: $log did not start:" >&2; cat "$OUT/$log.log" >&2; exit 1
}

resp_server() { # name -> starts it on port 6390
    case $1 in
        async|callback) start "resp-$1" 6390 dotnet "samples/RespServer/$BIN/RespServer.dll" --backend epoll --port 6390 --api "$1" ;;
        redis) start resp-redis 6390 redis-server --port 6390 --save "" --appendonly no --daemonize no ;;
    esac
}

http_server() { # name -> starts it on port 8090
    case $1 in
        async|callback) start "http-$1" 8090 dotnet "samples/HttpPlaintext/$BIN/HttpPlaintext.dll" --backend epoll --port 8090 --loops 2 --api "$1" ;;
        kestrel) start http-kestrel 8090 dotnet "samples/KestrelPlaintext/$BIN/KestrelPlaintext.dll" --urls http://127.0.0.1:8090 ;;
        nginx)
            cat >"$OUT/nginx.conf" <<NGINX
worker_processes 2;
daemon off;
pid $OUT/nginx.pid;
error_log $OUT/nginx-error.log;
events { worker_connections 4096; }
http {
    access_log off;
    server {
        listen 127.0.0.1:8090 reuseport backlog=4096;
        location / { return 200 "Hello, World!"; }
    }
}
NGINX
            start http-nginx 8090 "$NGINX" -c "$OUT/nginx.conf" ;;
    esac
}

median() { sort -g | awk '{v[NR]=$1} END {print (NR % 2) ? v[(NR+1)/2] : (v[NR/2] + v[NR/2+1]) / 2}'; }

if [ "$WHAT" = resp ] || [ "$WHAT" = all ]; then
    : >"$OUT/resp.tsv"
    for round in $(seq "$ROUNDS"); do
        for server in async callback redis; do
            resp_server "$server"
            redis-benchmark -p 6390 -t set,get -n 200000 -c 50 -P 16 -q >/dev/null 2>&1 # warm-up (JIT tiers), unreported
            for pipeline in 16 1; do
                n=$([ "$pipeline" = 1 ] && echo "$REQUESTS_P1" || echo "$REQUESTS")
                out=$(redis-benchmark -p 6390 -t set,get -n "$n" -c 50 -P "$pipeline" -q 2>/dev/null | tr '\r' '\n')
                for test in SET GET; do
                    rps=$(sed -n "s/^$test: \([0-9.]*\) requests per second.*/\1/p" <<<"$out" | tail -n 1)
                    printf '%s\t%s\tP%s\t%s\t%s\n' "$round" "$server" "$pipeline" "$test" "${rps:-0}" | tee -a "$OUT/resp.tsv"
                done
            done
            stop
        done
    done
    echo
    echo "| redis-benchmark -c 50, -n $REQUESTS with -P 16, $REQUESTS_P1 without (median of $ROUNDS) | async | callback | redis-server | async/callback |"
    echo "| --- | ---: | ---: | ---: | ---: |"
    for pipeline in 16 1; do
        for test in SET GET; do
            m() { awk -F'\t' -v s="$1" -v p="P$pipeline" -v t="$test" '$2 == s && $3 == p && $4 == t {print $5}' "$OUT/resp.tsv" | median; }
            a=$(m async); c=$(m callback); r=$(m redis)
            printf '| %s -P %s | %.0f | %.0f | %.0f | %.2f |\n' "$test" "$pipeline" "$a" "$c" "$r" "$(echo "$a / $c" | bc -l)"
        done
    done
fi

if [ "$WHAT" = http ] || [ "$WHAT" = all ]; then
    : >"$OUT/http.tsv"
    for round in $(seq "$ROUNDS"); do
        for server in async callback kestrel nginx; do
            http_server "$server"
            wrk -t1 -c256 -d2s http://127.0.0.1:8090/plaintext >/dev/null # warm-up (JIT tiers), unreported
            out=$(wrk -t1 -c256 -d"$WRK_DURATION" --latency http://127.0.0.1:8090/plaintext)
            rps=$(awk '/^Requests\/sec:/ {print $2}' <<<"$out")
            p99=$(awk '$1 == "99%" {print $2}' <<<"$out")
            errors=$(grep -c "Non-2xx\|Socket errors" <<<"$out" || true)
            printf '%s\t%s\t%s\t%s\t%s\n' "$round" "$server" "${rps:-0}" "${p99:-?}" "$errors" | tee -a "$OUT/http.tsv"
            stop
        done
    done
    echo
    echo "| wrk -t1 -c256 -d$WRK_DURATION (median of $ROUNDS) | requests/s | vs callback | vs Kestrel |"
    echo "| --- | ---: | ---: | ---: |"
    m() { awk -F'\t' -v s="$1" '$2 == s {print $3}' "$OUT/http.tsv" | median; }
    c=$(m callback); k=$(m kestrel)
    for server in async callback kestrel nginx; do
        v=$(m "$server")
        printf '| %s | %.0f | %.2f | %.2f |\n' "$server" "$v" "$(echo "$v / $c" | bc -l)" "$(echo "$v / $k" | bc -l)"
    done
fi
