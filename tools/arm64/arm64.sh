# Sourced by build.sh: `./build.sh test-arm64` runs the test suite as linux-arm64 code. On an x86-64 machine the
# arm64 programs (the tests, the sample servers they start, the C layout probe) run under qemu-user, which binfmt_misc
# hands every aarch64 ELF to; qemu translates each syscall's structs between arm64's layout and the host's, so the
# library's arm64 marshalling (16-byte epoll_event, data at offset 8) meets a real kernel. On an arm64 machine the same
# publish runs natively. Uses: step, apt_ensure, ROOT, ARTIFACTS, CONFIGURATION from build.sh.

# Makes aarch64 ELF binaries executable here: qemu-user-static registered with binfmt_misc (the F flag keeps the
# interpreter open, so registration survives chroots and containers), and Debian's arm64 libraries installed as a
# foreign architecture (multiarch: /lib/ld-linux-aarch64.so.1, /usr/lib/aarch64-linux-gnu), where the arm64 loader
# finds them with no qemu path prefix. libstdc++ and libgcc for the .NET runtime, libssl for its cryptography (the tests
# hash what they send; without it the runtime aborts: "No usable version of libssl was found"), zlib for Mono.Posix's
# libMonoPosixHelper (an oracle of the tests). Not the cross toolchain's /usr/aarch64-linux-gnu as QEMU_LD_PREFIX:
# once multiarch libc6:arm64 is present, that prefix's ld.so would load it as the libc of another build, and .NET
# then spun at start-up without ever running managed code.
arm64_emulation() {
    [[ $(uname -m) == aarch64 ]] && return 0
    apt_ensure qemu-aarch64-static qemu-user-static -- aarch64-linux-gnu-gcc gcc-aarch64-linux-gnu libc6-dev-arm64-cross
    if [[ ! -e /usr/lib/aarch64-linux-gnu/libstdc++.so.6 || ! -e /usr/lib/aarch64-linux-gnu/libz.so.1 ||
          ! -e /usr/lib/aarch64-linux-gnu/libssl.so.3 ]]; then
        step "dpkg --add-architecture arm64; apt-get install libc6:arm64 libstdc++6:arm64 zlib1g:arm64 libssl3:arm64"
        local sudo=()
        ((EUID == 0)) || sudo=(sudo)
        "${sudo[@]}" dpkg --add-architecture arm64
        DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get update -qq
        DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends \
            libc6:arm64 libstdc++6:arm64 zlib1g:arm64 libssl3:arm64 >/dev/null
    fi
    local binfmt=/proc/sys/fs/binfmt_misc
    if [[ ! -e $binfmt/register ]]; then
        step "mount binfmt_misc on $binfmt"
        mount -t binfmt_misc binfmt_misc "$binfmt"
    fi
    if [[ ! -e $binfmt/qemu-aarch64 ]]; then
        step "register qemu-aarch64 with binfmt_misc (/usr/lib/binfmt.d/qemu-aarch64.conf)"
        cat /usr/lib/binfmt.d/qemu-aarch64.conf >"$binfmt/register"
    fi
    [[ $(head -n 1 "$binfmt/qemu-aarch64") == enabled ]] || { echo "qemu-aarch64 is registered but disabled in $binfmt" >&2; return 1; }
    unset QEMU_LD_PREFIX
    # The runtime's W^X mode writes JIT code through a second, writable mapping of the same memory; qemu-user only
    # notices code changes made through the executable address, so it would go on running stale translations (seen
    # here as NullReferenceExceptions in reflection invoke stubs, then a crash). Off for the emulated run only.
    export DOTNET_EnableWriteXorExecute=0
}

# Fails unless $1 is an aarch64 ELF file (e_machine, at byte 18, is 183): a publish that picked up an x86-64 apphost
# would quietly run that program natively.
arm64_require_elf() {
    local machine
    machine=$(od -An -tu2 -j18 -N2 "$1" | tr -d ' ')
    [[ $machine == 183 ]] || { echo "test-arm64: $1 is not an aarch64 program (ELF e_machine $machine)" >&2; return 1; }
}

run_tests_arm64() {
    arm64_emulation
    local out=$ARTIFACTS/arm64 native=$ARTIFACTS/arm64/native tests=$ARTIFACTS/arm64/tests
    local cc=aarch64-linux-gnu-gcc
    [[ $(uname -m) == aarch64 ]] && cc=cc
    rm -rf "$out"
    step "native for arm64: make -C native CC=$cc OUT=$native"
    make -C native --no-print-directory CC="$cc" OUT="$native"
    arm64_require_elf "$native/layout"

    step "dotnet publish the tests with their in-process runner: linux-arm64, self-contained, into $tests"
    dotnet publish tests/LinuxIoMux.TestRunner/LinuxIoMux.TestRunner.csproj \
        -c "$CONFIGURATION" -r linux-arm64 --self-contained --nologo -v quiet -warnaserror -o "$tests"
    local program
    for program in LinuxIoMux.TestRunner RespServer HttpPlaintext EchoServer; do
        arm64_require_elf "$tests/$program"
        grep -q '"includedFrameworks"' "$tests/$program.runtimeconfig.json" \
            || { echo "test-arm64: $tests/$program.runtimeconfig.json is not self-contained" >&2; return 1; }
    done

    step "run the suite as arm64 code$([[ $(uname -m) == aarch64 ]] || echo " under $(qemu-aarch64-static --version | head -n 1)")"
    local status=0 started=$SECONDS
    # Left out, because they measure CPU time, and under an emulator that measures qemu; GitHub's native arm64 job runs
    # them. The benchmark smoke run (QuickBenchmarkTests) overran its 3-minute bound. The two "does not spin" checks
    # of a child server bound its CPU share at 25 %, where a spinning loop takes a whole CPU: the emulated server,
    # not spinning, used 29 % serving a ping every 50 ms and accepting a connection every 20 ms. EchoBenchServerTests
    # start the framework-dependent benchmark program, which the self-contained arm64 publish does not contain.
    # ReactorSocketPipeTests' abort-while-blocked test needs the send pump parked on a full socket when it aborts;
    # emulated, the pump still drains after the test saw the flush wait for a second, and the flush completes first.
    # Also left out, because qemu-user 7.2 cannot do what they test (each seen failing only under qemu):
    # - EpollBusyPollTests: qemu does not translate the EPIOCSPARAMS/EPIOCGPARAMS ioctls (Linux 6.9, newer than
    #   qemu 7.2) and answers ENOSYS; the x86-64 run and a native arm64 runner test them.
    # - SignalSetTests' pthread_sigmask read-back: qemu keeps the guest's highest real-time signal (64) for itself, so
    #   blocking it does not show in the thread's mask.
    # - RetryTimeLeftTests: these detect the moment a thread sleeps in a wait syscall through /proc and then move its
    #   clock; under qemu the waits returned before the test saw them sleep. Not yet understood; docs/containers.md
    #   lists it as an open gap of the emulated run.
    # - The Kestrel transport's tests (LinuxIoMux.Tests.AspNetCore, and the docs example that hosts it): ASP.NET Core
    #   hosts with 1,000 connections, 32 MiB bodies and TLS handshakes take too long under emulation for this run; the
    #   transport is managed code over ReactorSocket and ReactorSocketPipe, whose own tests do run here.
    local left_out=(QuickBenchmarkTests
        EchoBenchServerTests
        ReactorSocketPipeTests.Abort_while_both_pumps_are_blocked
        LinuxIoMux.Tests.AspNetCore.
        DocsExamplesTests.AspNetCore_opt_in_serves_plaintext_on_the_reactor_loops
        LoadAndFaultTests.A_server_out_of_descriptors_keeps_serving_does_not_spin_and_recovers
        LoadAndFaultTests.A_client_that_reads_nothing_is_held_at_the_output_bound_while_others_are_served
        EpollBusyPollTests
        SignalSetTests.The_bits_are_the_kernels_a_blocked_set_reads_back_from_pthread_sigmask
        RetryTimeLeftTests)
    local exclude=() name
    for name in "${left_out[@]}"; do exclude+=(--exclude "$name"); done
    LINUXIOMUX_NATIVE_DIR=$native "$tests/LinuxIoMux.TestRunner" --label arm64 "${exclude[@]}" "$@" || status=$?
    echo "test-arm64: $((SECONDS - started)) s for the run"
    return $status
}
