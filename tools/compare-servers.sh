#!/usr/bin/env bash
# ./build.sh compare: the sample servers under real clients beside their peers, measured like a benchmark.
#   RespServer (each backend) beside redis-server:   redis-benchmark -t set,get -n REQUESTS -c 50 -P 16, and -P 1
#   HttpPlaintext (each backend, callback and --api async) beside nginx and Kestrel:   wrk -t1 -c64 and -c256 -d DURATION
#   Kestrel on LinuxIoMux (samples/KestrelPlaintext --transport linuxiomux, inline and thread-pool modes, each backend)
#   beside Kestrel on its Sockets transport:   wrk -t1 -c64 and -c256, /plaintext and /json
# Every selected server is started once and warmed up (JIT tiering for the .NET ones; the same pass for all), then
# ROUNDS rounds run every test on every server back to back, the server order rotated each round. A ratio is taken
# within one round (server req/s / peer req/s); the report gives its median over the rounds and its spread.
# Output in OUT (artifacts/compare): raw.csv (every measurement), summary.csv, report.md (the tables, also printed on
# stdout) and compare.png (the ratios as a chart). Progress lines go to stderr.
#
# usage: tools/compare-servers.sh [--rounds N] [--requests N] [--duration 10s] [--servers LIST] [--backends LIST]
#                                 [--tests LIST] [--loops N] [--out DIR] [--list] [--report-only]
#   --servers   names from SERVER_TABLE (e.g. RespServer,nginx) or expanded names (RespServer-epoll); the peer of every
#               selected test is always added, since ratios need it
#   --backends  epoll,poll,select,io_uring (the default: all; a server that does not start, e.g. io_uring where the
#               kernel refuses it, is reported as skipped with its log)
#   --tests     names from TEST_TABLE: resp-p16,resp-p1,http-c64,http-c256,kestrel-c64,kestrel-c256,kestrel-json-c64,
#               kestrel-json-c256
#   --loops     HttpPlaintext's loops and nginx's worker_processes [default: nproc]
#   --list      print the servers and tests that would run, and exit
#   --report-only  recompute summary.csv, report.md and the chart from OUT/raw.csv (e.g. after merging the raw.csv of
#               runs made in parts: concatenate them, rounds need not be unique across tests)
# Needs redis-tools, redis-server, wrk, curl and (for the nginx row) nginx-light: installed with apt-get when missing.
set -euo pipefail
cd "$(dirname "$0")/.."
source tools/compare/stats.sh
source tools/compare/nginx.sh

CONFIGURATION=${CONFIGURATION:-Release}
BIN=bin/$CONFIGURATION/net10.0

# The servers, one line each: NAME GROUP BACKENDS COMMAND. GROUP is the client that measures it (resp: redis-benchmark,
# http: wrk). BACKENDS is "-" for a server without a multiplexer choice, or "each" for one row per selected backend,
# named NAME-BACKEND. {port}, {backend} and {loops} in COMMAND are replaced. A new variant is one more line.
SERVER_TABLE="
redis-server       resp    -     redis-server --port {port} --bind 127.0.0.1 --save '' --appendonly no
RespServer         resp    each  dotnet samples/RespServer/$BIN/RespServer.dll --backend {backend} --port {port}
RespServerAsync    resp    each  dotnet samples/RespServer/$BIN/RespServer.dll --api async --backend {backend} --port {port}
nginx              http    -     compare_run_nginx {port} {loops}
Kestrel            http    -     dotnet samples/KestrelPlaintext/$BIN/KestrelPlaintext.dll --urls http://127.0.0.1:{port}
HttpPlaintext      http    each  dotnet samples/HttpPlaintext/$BIN/HttpPlaintext.dll --backend {backend} --port {port} --loops {loops}
HttpPlaintextAsync http    each  dotnet samples/HttpPlaintext/$BIN/HttpPlaintext.dll --api async --backend {backend} --port {port} --loops {loops}
KestrelSockets     kestrel -     dotnet samples/KestrelPlaintext/$BIN/KestrelPlaintext.dll --transport sockets --urls http://127.0.0.1:{port}
KestrelIoMux       kestrel each  dotnet samples/KestrelPlaintext/$BIN/KestrelPlaintext.dll --transport linuxiomux --mode inline --backend {backend} --loops {loops} --urls http://127.0.0.1:{port}
KestrelIoMuxPool   kestrel each  dotnet samples/KestrelPlaintext/$BIN/KestrelPlaintext.dll --transport linuxiomux --mode threadpool --backend {backend} --loops {loops} --urls http://127.0.0.1:{port}
"
# The peer of each group: every ratio of the group's tests is against it.
PEERS="resp=redis-server http=nginx kestrel=KestrelSockets"

# The tests: NAME GROUP COMMAND ({port}, {requests}, {duration} replaced). The name's prefix before '-' is the group.
TEST_TABLE="
resp-p16           resp    redis-benchmark -p {port} -t set,get -n {requests} -c 50 -P 16 --csv
resp-p1            resp    redis-benchmark -p {port} -t set,get -n {requests} -c 50 -P 1 --csv
http-c64           http    wrk -t1 -c64 -d{duration} --latency http://127.0.0.1:{port}/plaintext
http-c256          http    wrk -t1 -c256 -d{duration} --latency http://127.0.0.1:{port}/plaintext
kestrel-c64        kestrel wrk -t1 -c64 -d{duration} --latency http://127.0.0.1:{port}/plaintext
kestrel-c256       kestrel wrk -t1 -c256 -d{duration} --latency http://127.0.0.1:{port}/plaintext
kestrel-json-c64   kestrel wrk -t1 -c64 -d{duration} --latency http://127.0.0.1:{port}/json
kestrel-json-c256  kestrel wrk -t1 -c256 -d{duration} --latency http://127.0.0.1:{port}/json
"
# The warm-up of each group, run once per server before the first round.
WARMUP_resp="redis-benchmark -p {port} -t set,get -n 200000 -c 50 -P 16 --csv"
WARMUP_http="wrk -t1 -c64 -d3s http://127.0.0.1:{port}/plaintext"
WARMUP_kestrel="wrk -t1 -c64 -d3s http://127.0.0.1:{port}/json"
READY_resp="redis-cli -p {port} ping"
READY_http="curl -sf http://127.0.0.1:{port}/plaintext"
READY_kestrel=$READY_http

rounds=3 requests=2000000 duration=10s servers='' backends=epoll,poll,select,io_uring tests='' loops=$(nproc)
out=artifacts/compare list_only=0 report_only=0
while (($#)); do
    case $1 in
        --rounds) rounds=$2; shift 2 ;;
        --requests) requests=$2; shift 2 ;;
        --duration) duration=$2; shift 2 ;;
        --servers) servers=$2; shift 2 ;;
        --backends) backends=$2; shift 2 ;;
        --tests) tests=$2; shift 2 ;;
        --loops) loops=$2; shift 2 ;;
        --out) out=$2; shift 2 ;;
        --list) list_only=1; shift ;;
        --report-only) report_only=1; shift ;;
        -h|--help) sed -n '2,25p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "compare: unknown option '$1' (try --help)" >&2; exit 2 ;;
    esac
done
[[ $rounds =~ ^[1-9][0-9]*$ && $requests =~ ^[1-9][0-9]*$ && $loops =~ ^[1-9][0-9]*$ ]] ||
    { echo "compare: --rounds, --requests and --loops take positive integers" >&2; exit 2; }

progress() { echo "compare $(date -u +%T): $*" >&2; }

# in_list ITEM LIST: true when LIST (comma-separated) is empty or holds ITEM.
in_list() { [[ -z $2 || ",$2," == *",$1,"* ]]; }

write_report() {
    compare_summarize "$out/raw.csv" "$PEERS" >"$out/summary.body"
    { echo "test,metric,server,rounds,median_rps,median_p50_ms,median_p99_ms,median_ratio,min_ratio,max_ratio"; cat "$out/summary.body"; } >"$out/summary.csv"
    rm -f "$out/summary.body"
    {
        echo "# Servers beside their peers"
        echo
        echo "$(nproc) cores, $(uname -sr), load $(cut -d' ' -f1-3 /proc/loadavg) at the end; clients on the same machine."
        [[ -f $out/command.txt ]] && echo "Command: \`$(cat "$out/command.txt")\`"
        echo "Each ratio is taken within one round (the servers of a round run back to back); median and spread over the rounds."
        echo
        compare_markdown <(tail -n +2 "$out/summary.csv") "$PEERS"
        echo
        echo "![ratios to the peer](compare.png)"
    } >"$out/report.md"
    cat "$out/report.md"
    local chart=src/LinuxIoMux.Benchmarks/$BIN/LinuxIoMux.Benchmarks.dll
    if [[ -f $chart ]] && dotnet "$chart" compare-chart --summary "$out/summary.csv" --out "$out/compare.png" >&2; then
        progress "report in $out/report.md, chart $out/compare.png"
    else
        progress "report in $out/report.md; no chart (build src/LinuxIoMux.Benchmarks first: ./build.sh build)"
    fi
}

if ((report_only)); then
    [[ -f $out/raw.csv ]] || { echo "compare: no $out/raw.csv to report on" >&2; exit 2; }
    write_report
    exit 0
fi

# Expand the tables into the selected rows: "NAME GROUP COMMAND" servers and "NAME GROUP COMMAND" tests.
selected_tests=() groups=''
while read -r name group command; do
    [[ -n $name ]] || continue
    in_list "$name" "$tests" || continue
    selected_tests+=("$name $group $command")
    [[ " $groups " == *" $group "* ]] || groups="$groups $group"
done <<<"$TEST_TABLE"
((${#selected_tests[@]})) || { echo "compare: --tests '$tests' selects none of: $(awk 'NF {printf "%s ", $1}' <<<"$TEST_TABLE")" >&2; exit 2; }

selected_servers=() port=6420
while read -r name group variants command; do
    [[ -n $name ]] || continue
    [[ " $groups " == *" $group "* ]] || continue
    peer=$(tr ' ' '\n' <<<"$PEERS" | sed -n "s/^$group=//p")
    if [[ $variants == - ]]; then
        expanded=("$name")
    else
        expanded=()
        for backend in ${backends//,/ }; do expanded+=("$name-$backend"); done
    fi
    for row in "${expanded[@]}"; do
        if [[ $row != "$peer" ]] && ! in_list "$row" "$servers" && ! in_list "$name" "$servers"; then
            continue
        fi
        cmd=${command//\{port\}/$port}
        cmd=${cmd//\{loops\}/$loops}
        [[ $row == "$name" ]] || cmd=${cmd//\{backend\}/${row#"$name"-}}
        selected_servers+=("$row $group $port $cmd")
        port=$((port + 1))
    done
done <<<"$SERVER_TABLE"

if ((list_only)); then
    printf 'server %s\n' "${selected_servers[@]}"
    printf 'test   %s\n' "${selected_tests[@]}"
    exit 0
fi

needed=() # command -> Debian package, for what the selection uses
ensure() { command -v "$1" >/dev/null || needed+=("$2"); }
ensure curl curl
[[ " $groups " == *" resp "* ]] && { ensure redis-benchmark redis-tools; ensure redis-cli redis-tools; ensure redis-server redis-server; }
[[ " $groups " == *" http "* || " $groups " == *" kestrel "* ]] && ensure wrk wrk
printf '%s\n' "${selected_servers[@]}" | grep -q '^nginx ' && ensure nginx nginx-light
if ((${#needed[@]})); then
    progress "apt-get install ${needed[*]}"
    sudo=(); ((EUID == 0)) || sudo=(sudo)
    DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get update -qq
    # nginx runs from its own config in a temporary directory (tools/compare/nginx.sh), never as the system service.
    DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${needed[@]}" >/dev/null
fi

mkdir -p "$out"
logs=$out/logs
mkdir -p "$logs"
echo "tools/compare-servers.sh --rounds $rounds --requests $requests --duration $duration --loops $loops${servers:+ --servers $servers} --backends $backends${tests:+ --tests $tests}" >"$out/command.txt"

pids=()
cleanup() { for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT

# Start every selected server; a server that does not answer within 15 s is skipped with its log's tail.
running=()
for entry in "${selected_servers[@]}"; do
    read -r name group port cmd <<<"$entry"
    progress "starting $name on port $port"
    # exec, so the pid is the server's own and TERM reaches it; a shell function (nginx's) execs the server itself.
    if declare -F "${cmd%% *}" >/dev/null; then
        (eval "$cmd") >"$logs/$name.log" 2>&1 &
    else
        (eval "exec $cmd") >"$logs/$name.log" 2>&1 &
    fi
    pid=$!
    ready_var=READY_$group
    ready=${!ready_var//\{port\}/$port}
    started=0
    for _ in $(seq 150); do
        if eval "$ready" >/dev/null 2>&1; then started=1; break; fi
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
    done
    if ((started)); then
        pids+=("$pid")
        running+=("$name $group $port")
    else
        kill -TERM "$pid" 2>/dev/null || true
        progress "SKIPPED $name: it did not start; the end of $logs/$name.log:"
        tail -n 5 "$logs/$name.log" | sed 's/^/    /' >&2
    fi
done

for entry in "${running[@]}"; do
    read -r name group port <<<"$entry"
    warm_var=WARMUP_$group
    progress "warm-up $name"
    eval "${!warm_var//\{port\}/$port}" >/dev/null 2>&1 || progress "warm-up of $name failed (see its log)"
done

# measure GROUP COMMAND: runs one test; prints "METRIC RPS P50 P99" lines.
measure() {
    if [[ $1 == resp ]]; then eval "$2" 2>/dev/null | compare_parse_redis_csv; else eval "$2" 2>&1 | compare_parse_wrk; fi
}

raw=$out/raw.csv
echo "round,test,metric,server,rps,p50_ms,p99_ms" >"$raw"
count=${#running[@]}
for ((round = 1; round <= rounds; round++)); do
    for test_entry in "${selected_tests[@]}"; do
        read -r test group command <<<"$test_entry"
        # Rotate the order each round, so no server always runs first (or right after the same neighbour).
        for ((i = 0; i < count; i++)); do
            read -r name server_group port <<<"${running[$(((i + round - 1) % count))]}"
            [[ $server_group == "$group" ]] || continue
            cmd=${command//\{port\}/$port}
            cmd=${cmd//\{requests\}/$requests}
            cmd=${cmd//\{duration\}/$duration}
            results=$(measure "$group" "$cmd" || true)
            if [[ -z $results ]]; then
                progress "[round $round/$rounds] $test $name: no result (client failed; server log $logs/$name.log)"
                continue
            fi
            while read -r metric rps p50 p99; do
                echo "$round,$test,$metric,$name,$rps,$p50,$p99" >>"$raw"
                progress "[round $round/$rounds] $test $name $metric: $(printf '%.0f' "$rps") req/s, p50 $p50 ms, p99 $p99 ms"
            done <<<"$results"
        done
    done
done

write_report
