#!/usr/bin/env bash
# tools/compare/stats.sh, the arithmetic of ./build.sh compare, fed fixed measurements and captured client output:
# medians of odd and even counts, ratios taken within a round (not of the medians), the spread, a missing peer, and
# the parsers of redis-benchmark --csv and wrk --latency output.
set -uo pipefail
source "$(dirname "$0")/../../tools/compare/stats.sh"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# expect NAME ACTUAL EXPECTED
expect() {
    if [[ $2 == "$3" ]]; then
        echo "ok - $1"
    else
        echo "not ok - $1: got '$2', expected '$3'"
    fi
}

expect "median of an odd count is the middle value" "$(compare_median 5 1 3)" "3"
expect "median of an even count is the mean of the two middle values" "$(compare_median 4 1 3 10)" "3.5"
expect "median sorts numerically, not as text" "$(compare_median 900 1000 80)" "900"
expect "median of nothing prints nothing" "$(compare_median)" ""

# Round 2 is slow for everyone (a noisy neighbour): per-round ratios stay 1.1, 1.0 and 0.9, while the ratio of the
# medians would be 1000/1000 = 1.0 only by chance; with these numbers it is 990/1000.
cat >"$work/raw.csv" <<'CSV'
round,test,metric,server,rps,p50_ms,p99_ms
1,resp-p16,SET,redis-server,1000,0.5,1.0
1,resp-p16,SET,RespServer-epoll,1100,0.4,0.9
2,resp-p16,SET,RespServer-epoll,500,0.8,2.0
2,resp-p16,SET,redis-server,500,0.9,2.2
3,resp-p16,SET,redis-server,1100,0.5,1.1
3,resp-p16,SET,RespServer-epoll,990,0.6,1.2
1,http-c64,req,Kestrel,700,1,2
CSV
summary=$(compare_summarize "$work/raw.csv" "resp=redis-server http=nginx")
expect "the peer's own ratio is 1 in every round" \
    "$(grep ',redis-server,' <<<"$summary")" "resp-p16,SET,redis-server,3,1000,0.5,1.1,1.000,1.000,1.000"
expect "ratio median and spread come from per-round ratios; figures are medians" \
    "$(grep ',RespServer-epoll,' <<<"$summary")" "resp-p16,SET,RespServer-epoll,3,990,0.6,1.2,1.000,0.900,1.100"
expect "a group whose peer never ran has no ratio" \
    "$(grep ',Kestrel,' <<<"$summary")" "http-c64,req,Kestrel,1,700,1,2,n/a,n/a,n/a"
expect "rows keep the order in which servers first appear" \
    "$(cut -d, -f3 <<<"$summary" | paste -sd' ')" "redis-server RespServer-epoll Kestrel"

markdown=$(compare_markdown <(printf '%s\n' "$summary") "resp=redis-server http=nginx")
expect "the markdown table names the peer and prints the spread" \
    "$(grep 'RespServer-epoll' <<<"$markdown")" "| RespServer-epoll | SET | 3 | 990 | 0.6 | 1.2 | 1.000 | 0.900-1.100 |"
expect "the markdown has one table per test" "$(grep -c '^### ' <<<"$markdown")" "2"

redis_output=$'"test","rps","avg_latency_ms","min_latency_ms","p50_latency_ms","p95_latency_ms","p99_latency_ms","max_latency_ms"\n"SET","136986.30","4.647","0.632","4.087","9.287","22.879","23.407"\n"GET","208333.33","2.566","0.592","1.935","6.799","7.535","7.799"'
expect "redis-benchmark --csv: test, rps, p50 and p99 of each line" \
    "$(compare_parse_redis_csv <<<"$redis_output" | paste -sd';')" "SET 136986.30 4.087 22.879;GET 208333.33 1.935 7.535"

wrk_output='Running 10s test @ http://127.0.0.1:8080/plaintext
  1 threads and 64 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency   512.00us  100.00us   5.00ms   90.00%
  Latency Distribution
     50%  480.00us
     75%  600.00us
     90%  800.00us
     99%    1.50ms
  1234567 requests in 10.00s, 150.00MB read
Requests/sec: 123456.78
Transfer/sec:     15.00MB'
expect "wrk --latency: requests/s, p50 and p99 in milliseconds" "$(compare_parse_wrk <<<"$wrk_output")" "req 123456.78 0.48 1.5"
expect "wrk output without a figure gives no row" "$(compare_parse_wrk <<<'unable to connect to 127.0.0.1:8080 Connection refused')" ""
