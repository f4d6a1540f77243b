#!/usr/bin/env bash
# Runs every tests/shell/*.test.sh (each prints TAP-like "ok - ..." / "not ok - ..." lines) and ends with the line
# build.sh adds to the suite's summary: "shell: N passed, N failed". Exit status 1 when any test failed or a file
# printed nothing (a script that dies before its first assertion must not count as a pass).
set -uo pipefail
cd "$(dirname "$0")"

passed=0 failed=0
for file in ./*.test.sh; do
    output=$(bash "$file" 2>&1)
    file_status=$?
    echo "$output" | sed "s|^|${file#./}: |"
    ok=$(grep -c '^ok - ' <<<"$output")
    not_ok=$(grep -c '^not ok - ' <<<"$output")
    passed=$((passed + ok))
    failed=$((failed + not_ok))
    if ((file_status != 0 && not_ok == 0)) || ((ok + not_ok == 0)); then
        echo "${file#./}: not ok - the script exited with status $file_status after $((ok + not_ok)) assertions"
        failed=$((failed + 1))
    fi
done

echo "shell: $passed passed, $failed failed"
((failed == 0))
