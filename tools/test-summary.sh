# Sourced by build.sh (and by tests/shell/print-summary-tests.sh): turns one `dotnet test` run into the summary line
# CI reads. The TRX counters alone are not enough: a test host that dies (Environment.FailFast, a hang dump under
# --blame-hang-timeout) leaves a TRX whose counters hold only the results reported before the crash, all passing, and
# a filter that matches nothing leaves "0 passed, 0 failed" with exit code 0. So the exit status and the TRX's own
# abort message are read too, and any run that did not finish cleanly counts at least one failure.

# print_summary TRX STATUS [LISTED]
#   TRX     the results file of the run; STATUS the exit status of `dotnet test`;
#   LISTED  optional: how many tests the same command lists (--list-tests), to say how many of them ran.
# Prints zero or more "test run: <why>" lines, then the plain line "N passed, N failed, N skipped" last.
# Returns 0 only when the run finished, ran at least one test and none failed.
print_summary() {
    local trx=$1 status=${2:-0} listed=${3:-}
    local total='' executed='' passed=''
    local -a why=()

    if [[ ! -f $trx ]]; then
        why+=("no test results were written ($trx)")
    else
        local counters
        counters=$(grep -o '<Counters [^>]*>' "$trx" | head -n 1 || true)
        total=$(summary_attribute total "$counters")
        executed=$(summary_attribute executed "$counters")
        passed=$(summary_attribute passed "$counters")
        if [[ -z $total || -z $executed || -z $passed ]]; then
            why+=("the results file has no complete <Counters> element ($trx)")
            total='' executed='' passed=''
        fi
    fi

    local failed=0 skipped=0
    if [[ -n $executed ]]; then
        failed=$((executed - passed))
        skipped=$((total - executed))
        if ((executed == 0)); then
            why+=("no test was executed (a filter that matches nothing, or a host that died before reporting)")
        fi
    fi

    if ((status != 0)); then
        local aborted=''
        [[ -f $trx ]] && aborted=$(grep -o '<Text>[^<]*aborted[^<]*' "$trx" | head -n 1 | sed 's/^<Text>//' || true)
        if [[ -n $aborted ]]; then
            why+=("$aborted")
        elif ((failed == 0)); then
            why+=("dotnet test exited with status $status although no test result says failed")
        fi
    fi

    if [[ -n $listed && -n $total ]] && ((total < listed)); then
        why+=("${total} of $listed listed tests reported a result")
    fi

    # Every reason above is a failure the counters may not show: the line must never read "0 failed" for it.
    if ((${#why[@]} > 0 && failed == 0)); then
        failed=1
    fi

    local reason
    for reason in "${why[@]}"; do
        echo "test run: $reason"
    done
    echo "${passed:-0} passed, $failed failed, $skipped skipped"
    ((failed == 0))
}

# summary_attribute NAME COUNTERS: the number in NAME="..." of the <Counters> element, empty if absent.
summary_attribute() {
    sed -n "s/.* $1=\"\([0-9][0-9]*\)\".*/\1/p" <<<"$2"
}
