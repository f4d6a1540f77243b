#!/usr/bin/env bash
# LinuxIoMux build entry point. Usage: ./build.sh [build|test|test-arm64|test-container|soak|demo|bench|compare|pack|clean] [args...]
#   build   native programs (cc) + every .NET project, Release, warnings as errors (the default)
#   test    build, run tests/shell and the xunit suite on the real kernel, print "N passed, N failed, N skipped" last
#           (a crashed, aborted or empty run counts as failed, with the reason on a "test run:" line above it)
#   soak    build, then the reliability load/fault tests (Category=Load) and the property and fuzz tests in their long
#           form (LINUXIOMUX_SOAK=1: 9,000 connections, 100,000+ generated cases); figures in artifacts/soak-figures.txt
#   demo    build, then run samples/SelectVsPollVsEpoll (extra args go to it, e.g. --sizes 1,10,100)
#   bench   build, then the benchmark suite: scaling (select/poll/epoll, reactor, C), idle-connection latency, echo,
#           written to artifacts/bench/report.md + PNG charts; --quick runs every benchmark briefly (CI smoke check)
#   test-arm64  the suite as linux-arm64 code: cross-compiles native/ with aarch64-linux-gnu-gcc, publishes the tests
#           self-contained for linux-arm64 and runs them under qemu-user (installs both from Debian when missing);
#           prints "arm64: N passed, N failed, N skipped"; extra args go to the runner (--filter TEXT)
#   test-container  builds the repository's Dockerfile and runs the suite in it (docker when an engine answers, else
#           podman with a local Debian base image) under soft RLIMIT_NOFILE 1024 and --cpus 1; prints
#           "container: N passed, N failed, N skipped"
#   compare the sample servers under redis-benchmark (-P 16 and -P 1) and wrk (64 and 256 connections) beside redis-server,
#           nginx and Kestrel, on every backend, interleaved over rounds (tools/compare-servers.sh; extra args go to it,
#           e.g. --rounds 5 --tests resp-p1 --servers RespServer --backends epoll; --help lists them); tables and a PNG
#           chart in artifacts/compare/
#   pack    the NuGet packages (+ symbols) in artifacts/packages, LinuxIoMux and LinuxIoMux.AspNetCore, then install
#           each from there into a throwaway project and run it (a console program; a minimal ASP.NET Core app)
#   clean   remove artifacts/ and every bin/ and obj/
set -euo pipefail

cd "$(dirname "$0")"
ROOT=$PWD
ARTIFACTS=$ROOT/artifacts
CONFIGURATION=${CONFIGURATION:-Release}
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

step() { printf '\n==> %s\n' "$*"; }

build_native() {
    step "native: make -C native OUT=$ARTIFACTS/native"
    make -C native --no-print-directory OUT="$ARTIFACTS/native"
}

build_managed() {
    step "dotnet build LinuxIoMux.sln -c $CONFIGURATION"
    dotnet build LinuxIoMux.sln -c "$CONFIGURATION" --nologo -v quiet -clp:NoSummary -warnaserror
}

build_all() {
    build_native
    build_managed
}

# print_summary: the summary line from the TRX, the exit status and, after an abnormal run, the listed test count.
source "$ROOT/tools/test-summary.sh"

run_tests() {
    build_all
    local results=$ARTIFACTS/test-results
    rm -rf "$results"
    local shell_passed=0 shell_failed=0
    if (($# == 0)); then
        # The summary logic itself (tests/shell): run with the whole suite only, so a filtered run counts its own tests.
        step "tests/shell (build.sh's own logic, fed fake results)"
        local shell_log=$ARTIFACTS/shell-tests.log
        mkdir -p "$ARTIFACTS"
        tests/shell/run.sh | tee "$shell_log" || true
        read -r shell_passed shell_failed < <(sed -n 's/^shell: \([0-9]*\) passed, \([0-9]*\) failed$/\1 \2/p' "$shell_log" | tail -n 1) || true
        if [[ -z ${shell_passed:-} || -z ${shell_failed:-} ]]; then
            shell_passed=0 shell_failed=1
        fi
    fi

    step "dotnet test tests/LinuxIoMux.Tests (real kernel objects; results in $results)"
    local status=0
    LINUXIOMUX_NATIVE_DIR="$ARTIFACTS/native" dotnet test tests/LinuxIoMux.Tests/LinuxIoMux.Tests.csproj \
        -c "$CONFIGURATION" --no-build --nologo \
        --logger "trx;LogFileName=results.trx" --logger "console;verbosity=normal" \
        --results-directory "$results" "$@" || status=$?

    local listed=''
    if ((status != 0)) && ! grep -q '<Counters [^>]* failed="[1-9]' "$results/results.trx" 2>/dev/null; then
        # Failed without a failed test: the host crashed or the run was aborted. Say how much of it ran.
        listed=$(dotnet test tests/LinuxIoMux.Tests/LinuxIoMux.Tests.csproj -c "$CONFIGURATION" --no-build --nologo \
            --list-tests "$@" 2>/dev/null | grep -c '^    ' || true)
    fi

    echo
    local summary summary_status=0
    summary=$(print_summary "$results/results.trx" "$status" "$listed") || summary_status=$?
    if ((shell_failed > 0)); then
        echo "test run: $shell_failed of $((shell_passed + shell_failed)) shell tests of the summary logic failed (tests/shell)"
    fi
    # The last line is the one CI reads: the .NET counts plus the shell tests', in the plain form.
    local counts
    counts=$(tail -n 1 <<<"$summary")
    sed '$d' <<<"$summary"
    local passed failed skipped
    read -r passed failed skipped < <(sed 's/^\([0-9]*\) passed, \([0-9]*\) failed, \([0-9]*\) skipped$/\1 \2 \3/' <<<"$counts") || true
    echo "$((passed + shell_passed)) passed, $((failed + shell_failed)) failed, $skipped skipped"
    if ((status != 0)); then
        return $status
    fi
    if ((summary_status != 0 || shell_failed > 0)); then
        return 1
    fi
}

# Installs the Debian packages whose commands are missing: apt_ensure COMMAND PACKAGE... [-- COMMAND PACKAGE...]
apt_ensure() {
    local missing=() command package
    while (($#)); do
        command=$1; shift
        local packages=()
        while (($#)) && [[ $1 != -- ]]; do packages+=("$1"); shift; done
        (($#)) && shift
        command -v "$command" >/dev/null || missing+=("${packages[@]}")
    done
    ((${#missing[@]})) || return 0
    step "apt-get install ${missing[*]}"
    local sudo=()
    ((EUID == 0)) || sudo=(sudo)
    DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get update -qq
    DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# shellcheck source=tools/arm64/arm64.sh
source "$ROOT/tools/arm64/arm64.sh"
# shellcheck source=tools/container/container.sh
source "$ROOT/tools/container/container.sh"

run_bench() {
    build_all
    local out=$ARTIFACTS/bench
    step "src/LinuxIoMux.Benchmarks report${*:+ $*} (progress on stderr; report in $out)"
    LINUXIOMUX_BENCH_COMMAND="./build.sh bench${*:+ $*}" \
        dotnet "src/LinuxIoMux.Benchmarks/bin/$CONFIGURATION/net10.0/LinuxIoMux.Benchmarks.dll" report \
        --out "$out" --native "$ARTIFACTS/native" "$@" >/dev/null
    echo
    echo "bench: report in $out/report.md, charts in $out/*.png"
}

run_soak() {
    local figures=$ARTIFACTS/soak-figures.txt
    mkdir -p "$ARTIFACTS"
    rm -f "$figures"
    step "soak: LINUXIOMUX_SOAK=1, reliability tests in their long form (figures in $figures)"
    LINUXIOMUX_SOAK=1 LINUXIOMUX_FIGURES="$figures" run_tests \
        --filter "Category=Load|FullyQualifiedName~LinuxIoMux.Tests.Reliability" "$@"
}

run_demo() {
    build_all
    step "samples/SelectVsPollVsEpoll $*"
    dotnet "samples/SelectVsPollVsEpoll/bin/$CONFIGURATION/net10.0/SelectVsPollVsEpoll.dll" "$@"
}

# check_package NUPKG SNUPKG VERSION: what nuget.org and a `dotnet add package` user see. Fails on the first problem.
check_package() {
    local nupkg=$1 snupkg=$2 version=$3 unpacked=$ARTIFACTS/package-contents
    step "check the package: nuspec, LICENSE, README, XML docs (public API only), no absolute build path"
    command -v unzip >/dev/null || { echo "pack: unzip is needed to inspect the package (apt-get install unzip)" >&2; return 1; }
    rm -rf "$unpacked"
    mkdir -p "$unpacked/nupkg" "$unpacked/snupkg"
    unzip -q "$nupkg" -d "$unpacked/nupkg"
    unzip -q "$snupkg" -d "$unpacked/snupkg"
    local problems=0 nuspec=$unpacked/nupkg/LinuxIoMux.nuspec
    fail() { echo "pack: $*" >&2; problems=$((problems + 1)); }
    grep -q '<id>LinuxIoMux</id>' "$nuspec" || fail "nuspec: id is not LinuxIoMux"
    grep -q "<version>$version</version>" "$nuspec" || fail "nuspec: version is not $version"
    grep -q '<license type="expression">MIT</license>' "$nuspec" || fail "nuspec: license expression is not MIT"
    grep -q '<readme>PACKAGE.md</readme>' "$nuspec" || fail "nuspec: readme is not PACKAGE.md"
    grep -q '<description>..*</description>' "$nuspec" || fail "nuspec: no description"
    ! grep -q 'example.invalid' "$nuspec" || fail "nuspec: a placeholder example.invalid address"
    # Source Link records the commit (<repository type="git" commit=...>); an address must wait for a public repository.
    ! grep -q '<repository[^>]* url=' "$nuspec" || fail "nuspec: a repository url, but there is no public repository yet"
    ! grep -q 'DocXmlFilter' "$nuspec" || fail "nuspec: the build tool DocXmlFilter became a dependency"
    cmp -s "$unpacked/nupkg/PACKAGE.md" src/LinuxIoMux/PACKAGE.md || fail "PACKAGE.md in the package differs from src/LinuxIoMux/PACKAGE.md"
    cmp -s "$unpacked/nupkg/LICENSE" LICENSE || fail "LICENSE missing from the package or different from ./LICENSE"
    local lib=$unpacked/nupkg/lib/net10.0
    [[ -f $lib/LinuxIoMux.xml ]] || fail "no XML documentation in lib/net10.0"
    [[ -f $lib/LinuxIoMux.xml ]] && { dotnet "tools/DocXmlFilter/bin/$CONFIGURATION/net10.0/DocXmlFilter.dll" verify \
        "$lib/LinuxIoMux.dll" "$lib/LinuxIoMux.xml" || fail "the XML documentation names non-public members (above)"; }
    # Source paths in the PDB (and the PDB path in the DLL) must be mapped, not this checkout's absolute path. Read with
    # System.Reflection.Metadata: a portable PDB stores path parts apart, so grep for "$ROOT" would always pass.
    dotnet "tools/DocXmlFilter/bin/$CONFIGURATION/net10.0/DocXmlFilter.dll" paths "$lib/LinuxIoMux.dll" \
        "$unpacked/snupkg/lib/net10.0/LinuxIoMux.pdb" "$ROOT/" || fail "the DLL or PDB contains the absolute build path $ROOT"
    ((problems == 0)) || return 1
    echo "package ok: id, version $version, MIT, PACKAGE.md, LICENSE, public-only XML docs, no build paths in DLL or PDB"
}

pack() {
    local packages=$ARTIFACTS/packages check=$ARTIFACTS/package-check
    rm -rf "$packages" "$check"
    step "dotnet pack src/LinuxIoMux -c $CONFIGURATION -o $packages"
    # ContinuousIntegrationBuild: deterministic source paths (/_/...) in the PDB instead of this machine's checkout path.
    # A full rebuild: the flag does not invalidate an up-to-date compile, so a pack after `./build.sh build` would ship
    # the unmapped DLL and PDB of that build (check_package caught exactly that).
    dotnet build src/LinuxIoMux/LinuxIoMux.csproj -c "$CONFIGURATION" --nologo -v quiet -clp:NoSummary -warnaserror \
        --no-incremental -p:ContinuousIntegrationBuild=true
    dotnet pack src/LinuxIoMux/LinuxIoMux.csproj -c "$CONFIGURATION" --nologo -v quiet -warnaserror -o "$packages" \
        --no-build -p:ContinuousIntegrationBuild=true
    local nupkg version
    nupkg=$(find "$packages" -name 'LinuxIoMux.*.nupkg' ! -name '*.snupkg' | head -n 1)
    version=$(basename "$nupkg" .nupkg); version=${version#LinuxIoMux.}
    ls -l "$packages"
    check_package "$nupkg" "${nupkg%.nupkg}.snupkg" "$version"

    step "install LinuxIoMux $version from $packages into a throwaway console project and run it"
    mkdir -p "$check"
    cp tools/package-check/Program.cs "$check/"
    sed "s/@VERSION@/$version/" tools/package-check/PackageCheck.csproj.template >"$check/PackageCheck.csproj"
    # Its own NuGet config: the local feed first, then whatever the machine uses; its own package cache, so an older
    # copy of the same version cannot be picked up instead of the one just packed.
    cat >"$check/nuget.config" <<NUGET
<configuration>
  <packageSources>
    <add key="linuxiomux-local" value="$packages" />
  </packageSources>
</configuration>
NUGET
    # Keep the check out of this repository's Directory.Build.props, as a user's project would be.
    echo '<Project />' >"$check/Directory.Build.props"
    echo '<Project />' >"$check/Directory.Build.targets"
    NUGET_PACKAGES="$check/.nuget" dotnet run --project "$check/PackageCheck.csproj" -c Release

    pack_aspnetcore "$packages" "$version"
}

# pack_aspnetcore PACKAGES VERSION: the LinuxIoMux.AspNetCore package beside the core one, checked, then a minimal
# ASP.NET Core app (tools/package-check/aspnetcore) installed from the local feed serves a request on it.
pack_aspnetcore() {
    local packages=$1 version=$2 check=$ARTIFACTS/package-check-aspnetcore unpacked=$ARTIFACTS/package-contents-aspnetcore
    step "dotnet pack src/LinuxIoMux.AspNetCore -c $CONFIGURATION -o $packages"
    dotnet build src/LinuxIoMux.AspNetCore/LinuxIoMux.AspNetCore.csproj -c "$CONFIGURATION" --nologo -v quiet -clp:NoSummary \
        -warnaserror --no-incremental -p:ContinuousIntegrationBuild=true
    dotnet pack src/LinuxIoMux.AspNetCore/LinuxIoMux.AspNetCore.csproj -c "$CONFIGURATION" --nologo -v quiet -warnaserror \
        -o "$packages" --no-build -p:ContinuousIntegrationBuild=true
    local nupkg=$packages/LinuxIoMux.AspNetCore.$version.nupkg problems=0
    step "check the LinuxIoMux.AspNetCore package: nuspec, its dependencies, LICENSE, README, XML docs"
    rm -rf "$unpacked" "$check"
    mkdir -p "$unpacked" "$check"
    unzip -q "$nupkg" -d "$unpacked" || { echo "pack: $nupkg is missing or unreadable" >&2; return 1; }
    local nuspec=$unpacked/LinuxIoMux.AspNetCore.nuspec
    aspnet_fail() { echo "pack: LinuxIoMux.AspNetCore: $*" >&2; problems=$((problems + 1)); }
    grep -q '<id>LinuxIoMux.AspNetCore</id>' "$nuspec" || aspnet_fail "nuspec: id is not LinuxIoMux.AspNetCore"
    grep -q '<license type="expression">MIT</license>' "$nuspec" || aspnet_fail "nuspec: license expression is not MIT"
    grep -q '<readme>PACKAGE.md</readme>' "$nuspec" || aspnet_fail "nuspec: readme is not PACKAGE.md"
    # The core package at the same version, and the shared framework (not a package) for ASP.NET Core.
    grep -q "<dependency id=\"LinuxIoMux\" version=\"$version\"" "$nuspec" || aspnet_fail "nuspec: no dependency on LinuxIoMux $version"
    grep -q '<frameworkReference name="Microsoft.AspNetCore.App"' "$nuspec" || aspnet_fail "nuspec: no frameworkReference to Microsoft.AspNetCore.App"
    cmp -s "$unpacked/LICENSE" LICENSE || aspnet_fail "LICENSE missing or different from ./LICENSE"
    local lib=$unpacked/lib/net10.0
    [[ -f $lib/LinuxIoMux.AspNetCore.xml ]] || aspnet_fail "no XML documentation in lib/net10.0"
    # Public API only, as for the core package (the csproj runs tools/DocXmlFilter after compiling).
    [[ -f $lib/LinuxIoMux.AspNetCore.xml ]] && { dotnet "tools/DocXmlFilter/bin/$CONFIGURATION/net10.0/DocXmlFilter.dll" verify \
        "$lib/LinuxIoMux.AspNetCore.dll" "$lib/LinuxIoMux.AspNetCore.xml" || aspnet_fail "the XML documentation names non-public members (above)"; }
    ((problems == 0)) || return 1
    echo "package ok: LinuxIoMux.AspNetCore $version, depends on LinuxIoMux $version and Microsoft.AspNetCore.App, MIT, PACKAGE.md, public-only XML docs"

    step "install LinuxIoMux.AspNetCore $version from $packages into a throwaway ASP.NET Core app and serve a request"
    cp tools/package-check/aspnetcore/Program.cs "$check/"
    sed "s/@VERSION@/$version/" tools/package-check/aspnetcore/AspNetCoreCheck.csproj.template >"$check/AspNetCoreCheck.csproj"
    cp "$ARTIFACTS/package-check/nuget.config" "$check/"
    echo '<Project />' >"$check/Directory.Build.props"
    echo '<Project />' >"$check/Directory.Build.targets"
    NUGET_PACKAGES="$check/.nuget" dotnet run --project "$check/AspNetCoreCheck.csproj" -c Release
}

clean() {
    step "removing artifacts/, bin/, obj/"
    rm -rf "$ARTIFACTS"
    find . -type d \( -name bin -o -name obj \) -prune -exec rm -rf {} +
}

command=${1:-build}
[[ $# -gt 0 ]] && shift
case $command in
    build) build_all ;;
    test) run_tests "$@" ;;
    test-arm64) run_tests_arm64 "$@" ;;
    test-container) run_tests_container "$@" ;;
    soak) run_soak "$@" ;;
    demo) run_demo "$@" ;;
    bench) run_bench "$@" ;;
    compare) build_all; step "tools/compare-servers.sh $*"; tools/compare-servers.sh "$@" ;;
    pack) pack ;;
    clean) clean ;;
    -h|--help|help) sed -n '2,23p' "$0" | sed 's/^# \{0,1\}//' ;;
    *) echo "build.sh: unknown command '$command' (try ./build.sh help)" >&2; exit 2 ;;
esac
