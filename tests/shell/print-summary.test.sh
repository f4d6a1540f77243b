#!/usr/bin/env bash
# print_summary (tools/test-summary.sh) fed fake TRX files and fake `dotnet test` exit statuses: the shapes below are
# those vstest 18 wrote here for a clean run, a failing test, Environment.FailFast in a test, a --blame-hang-timeout
# abort and a filter that matched nothing. The summary line must never read "0 failed" for a run that did not finish.
set -uo pipefail
source "$(dirname "$0")/../../tools/test-summary.sh"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# fake_trx NAME TOTAL EXECUTED PASSED FAILED [RUNINFO-TEXT]: writes $work/NAME.trx; an empty TOTAL omits the counters.
fake_trx() {
    local file=$work/$1.trx
    {
        echo '<?xml version="1.0" encoding="utf-8"?>'
        echo '<TestRun id="1" name="fake" xmlns="http://microsoft.com/schemas/VisualStudio/TeamTest/2010">'
        echo '  <ResultSummary outcome="Failed">'
        if [[ -n $2 ]]; then
            echo "    <Counters total=\"$2\" executed=\"$3\" passed=\"$4\" failed=\"$5\" error=\"0\" timeout=\"0\" aborted=\"0\" inconclusive=\"0\" passedButRunAborted=\"0\" notRunnable=\"0\" notExecuted=\"0\" disconnected=\"0\" warning=\"0\" completed=\"0\" inProgress=\"0\" pending=\"0\" />"
        fi
        if [[ -n ${6:-} ]]; then
            echo '    <RunInfos>'
            echo '      <RunInfo computerName="vm" outcome="Error" timestamp="2026-11-27T12:34:21.4194834+00:00">'
            echo "        <Text>$6"
            echo '   at System.Environment.FailFast(System.String)</Text>'
            echo '      </RunInfo>'
            echo '    </RunInfos>'
        fi
        echo '  </ResultSummary>'
        echo '</TestRun>'
    } >"$file"
    echo "$file"
}

# check NAME EXPECTED-LAST-LINE EXPECTED-STATUS [TEXT-THE-OUTPUT-MUST-CONTAIN] -- print_summary arguments...
check() {
    local name=$1 want_line=$2 want_status=$3 want_text=$4
    shift 5
    local output status=0
    output=$(print_summary "$@") || status=$?
    local last
    last=$(tail -n 1 <<<"$output")
    local problems=()
    [[ $last == "$want_line" ]] || problems+=("last line '$last', expected '$want_line'")
    [[ $last =~ ^([A-Za-z]+:\ )?[0-9]+\ passed,\ [0-9]+\ failed,\ [0-9]+\ skipped$ ]] || problems+=("last line '$last' is not the plain form")
    if [[ $want_status == fail ]]; then
        ((status != 0)) || problems+=("returned 0")
    else
        ((status == 0)) || problems+=("returned $status")
    fi
    [[ -z $want_text || $output == *"$want_text"* ]] || problems+=("output lacks '$want_text'")
    if ((${#problems[@]} == 0)); then
        echo "ok - $name"
    else
        echo "not ok - $name: $(IFS=';'; echo "${problems[*]}")"
        sed 's/^/#   /' <<<"$output"
    fi
}

aborted_crash='The active test run was aborted. Reason: Test host process crashed : Process terminated.'
aborted_hang='The active test run was aborted. Reason: Test host process crashed'

check "a clean run prints its counts and succeeds" \
    "5 passed, 0 failed, 0 skipped" ok "" -- "$(fake_trx clean 5 5 5 0)" 0
check "skipped tests are total minus executed" \
    "4 passed, 0 failed, 2 skipped" ok "" -- "$(fake_trx skipped 6 4 4 0)" 0
check "a failing test is counted" \
    "4 passed, 1 failed, 0 skipped" fail "" -- "$(fake_trx failing 5 5 4 1)" 1
check "a crashed host (FailFast, no result reported) is a failure and says it crashed" \
    "0 passed, 1 failed, 0 skipped" fail "Test host process crashed" -- "$(fake_trx crash 0 0 0 0 "$aborted_crash")" 1
check "a crashed host after 9 results is a failure, not 9 passed and 0 failed" \
    "9 passed, 1 failed, 0 skipped" fail "aborted" -- "$(fake_trx crash9 9 9 9 0 "$aborted_crash")" 1
check "a crash says how many of the listed tests ran" \
    "9 passed, 1 failed, 0 skipped" fail "9 of 446 listed tests" -- "$(fake_trx crash446 9 9 9 0 "$aborted_crash")" 1 446
check "a hang-aborted run after 12 results is a failure" \
    "12 passed, 1 failed, 0 skipped" fail "aborted" -- "$(fake_trx hang 12 12 12 0 "$aborted_hang")" 1
check "a failing exit status without any failed result or message is a failure" \
    "5 passed, 1 failed, 0 skipped" fail "exited with status 1" -- "$(fake_trx status 5 5 5 0)" 1
check "a filter that matches nothing (exit status 0) is a failure" \
    "0 passed, 1 failed, 0 skipped" fail "no test was executed" -- "$(fake_trx nomatch 0 0 0 0)" 0
check "a TRX without counters is a failure, not ' passed, 0 failed'" \
    "0 passed, 1 failed, 0 skipped" fail "no complete <Counters>" -- "$(fake_trx nocounters '' '' '' '')" 0
check "counters with an attribute missing are a failure" \
    "0 passed, 1 failed, 0 skipped" fail "no complete <Counters>" -- \
    "$(fake_trx partial 5 5 5 0 && sed -i 's/ passed="5"//' "$work/partial.trx")" 0
check "a missing results file is a failure in the plain form" \
    "0 passed, 1 failed, 0 skipped" fail "no test results were written" -- "$work/absent.trx" 1
