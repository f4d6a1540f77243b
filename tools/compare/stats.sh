#!/usr/bin/env bash
# The arithmetic of ./build.sh compare, apart from the measuring so tests/shell can feed it fixed numbers.
# Raw rows (raw.csv, one per measurement): round,test,metric,server,rps,p50_ms,p99_ms
# Summary rows (summary.csv, one per test, metric and server):
#   test,metric,server,rounds,median_rps,median_p50_ms,median_p99_ms,median_ratio,min_ratio,max_ratio
# A ratio is the server's requests/s divided by the peer's in the same round, test and metric: the servers of a round
# run back to back, so a machine that slows down between rounds moves both sides of a ratio alike. The median of the
# per-round ratios is the figure; min and max are its spread.

# compare_median VALUE...: the median (the mean of the two middle values for an even count); prints nothing for none.
compare_median() {
    (($# > 0)) || return 0
    printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# compare_summarize RAW_CSV PEER_SPEC: prints the summary rows (no header), in the order servers first appear.
# PEER_SPEC maps a test's prefix (the part before the first '-') to its peer server, e.g. "resp=redis-server http=nginx".
# Rounds in which the peer has no figure give no ratio; a server without any ratio prints "n/a" for the three.
compare_summarize() {
    local raw=$1 peers=$2
    awk -F, -v peers="$peers" '
        function median(list,    n, a, i, j, t) {
            n = split(list, a, " ")
            for (i = 2; i <= n; i++) { t = a[i] + 0; for (j = i - 1; j >= 1 && a[j] + 0 > t; j--) a[j + 1] = a[j]; a[j + 1] = t }
            if (n == 0) return ""
            return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
        }
        function minimum(list,    n, a, i, m) { n = split(list, a, " "); m = a[1] + 0; for (i = 2; i <= n; i++) if (a[i] + 0 < m) m = a[i] + 0; return m }
        function maximum(list,    n, a, i, m) { n = split(list, a, " "); m = a[1] + 0; for (i = 2; i <= n; i++) if (a[i] + 0 > m) m = a[i] + 0; return m }
        BEGIN {
            n = split(peers, spec, " ")
            for (i = 1; i <= n; i++) { split(spec[i], kv, "="); peer[kv[1]] = kv[2] }
        }
        $1 == "round" { next }
        {
            key = $2 SUBSEP $3 SUBSEP $4
            if (!(key in seen)) { seen[key] = 1; order[++count] = key }
            rps[key] = rps[key] " " $5; p50[key] = p50[key] " " $6; p99[key] = p99[key] " " $7; rounds[key]++
            value[$1 SUBSEP key] = $5; roundsOf[key] = roundsOf[key] " " $1
        }
        END {
            for (k = 1; k <= count; k++) {
                key = order[k]; split(key, part, SUBSEP)
                prefix = part[1]; sub(/-.*/, "", prefix)
                ratios = ""
                if (prefix in peer) {
                    peerKey = part[1] SUBSEP part[2] SUBSEP peer[prefix]
                    m = split(roundsOf[key], list, " ")
                    for (i = 1; i <= m; i++) {
                        r = list[i]
                        if ((r SUBSEP peerKey) in value && value[r SUBSEP peerKey] + 0 > 0)
                            ratios = ratios " " sprintf("%.4f", value[r SUBSEP key] / value[r SUBSEP peerKey])
                    }
                }
                ratioText = ratios == "" ? "n/a,n/a,n/a" : sprintf("%.3f,%.3f,%.3f", median(ratios), minimum(ratios), maximum(ratios))
                printf "%s,%s,%s,%d,%.0f,%s,%s,%s\n", part[1], part[2], part[3], rounds[key], median(rps[key]), median(p50[key]), median(p99[key]), ratioText
            }
        }' "$raw"
}

# compare_markdown SUMMARY_CSV PEER_SPEC: one markdown table per test, rows in the summary's order.
compare_markdown() {
    local summary=$1 peers=$2
    awk -F, -v peers="$peers" '
        BEGIN { n = split(peers, spec, " "); for (i = 1; i <= n; i++) { split(spec[i], kv, "="); peer[kv[1]] = kv[2] } }
        {
            if ($1 != test) {
                if (test != "") print ""
                test = $1; prefix = test; sub(/-.*/, "", prefix)
                printf "### %s\n\n", test
                printf "| server | metric | rounds | req/s (median) | p50 ms | p99 ms | ratio to %s (median) | spread (min-max) |\n", (prefix in peer) ? peer[prefix] : "peer"
                print "|---|---|---:|---:|---:|---:|---:|---:|"
            }
            spread = $9 == "n/a" ? "n/a" : $9 "-" $10
            printf "| %s | %s | %s | %s | %s | %s | %s | %s |\n", $3, $2, $4, $5, $6, $7, $8, spread
        }' "$summary"
}

# compare_parse_redis_csv: redis-benchmark --csv output on stdin -> "METRIC RPS P50_MS P99_MS" lines.
compare_parse_redis_csv() {
    tr -d '"\r' | awk -F, '$1 != "test" && NF >= 7 && $2 + 0 > 0 { print $1, $2, $5, $7 }'
}

# compare_parse_wrk: wrk --latency output on stdin -> "req RPS P50_MS P99_MS" (latencies converted to milliseconds).
compare_parse_wrk() {
    awk '
        function ms(text,    v) {
            v = text + 0
            if (text ~ /us$/) return v / 1000
            if (text ~ /ms$/) return v
            if (text ~ /s$/) return v * 1000
            return v
        }
        /^Requests\/sec:/ { rps = $2 }
        $1 == "50%" { p50 = ms($2) }
        $1 == "99%" { p99 = ms($2) }
        END { if (rps != "") printf "req %s %s %s\n", rps, p50 == "" ? "?" : p50, p99 == "" ? "?" : p99 }'
}
