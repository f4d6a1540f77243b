# Sourced by build.sh: `./build.sh test-container` builds the repository's Dockerfile, unchanged, and runs the suite in
# the container under the conditions Docker hosts and CI runners commonly give: soft RLIMIT_NOFILE 1024, a CPU quota of
# one core (--cpus 1), the engine's default seccomp profile and a network namespace of its own (loopback only).
# With a Docker engine that answers, `docker` is used as it is. Otherwise podman (Debian's, with the runc runtime):
# no registry is needed, the Dockerfile's FROM image is made locally (see container_sdk_image).
# Uses: step, apt_ensure, ROOT, ARTIFACTS from build.sh.

CONTAINER_TEST_IMAGE=localhost/linuxiomux/tests:latest
CONTAINER_DEBIAN_IMAGE=localhost/linuxiomux/bookworm-minbase:latest
CONTAINER_DEBIAN_MIRROR=${LINUXIOMUX_DEBIAN_MIRROR:-http://deb.debian.org/debian}
# Docker hosts commonly give soft 1024 (systemd's default) under a hard limit of 524288 (moby/moby#45534); the hard
# limit cannot exceed this machine's own.
CONTAINER_NOFILE_SOFT=1024
# runc, as podman drives it here, refuses RLIMIT_NPROC values of 65536 and above ("error setting rlimit type 6:
# operation not permitted") and podman's default asks for more: give an explicit, generous one.
CONTAINER_NPROC=16384

container_engine() {
    if command -v docker >/dev/null && docker info >/dev/null 2>&1; then
        echo docker
        return
    fi
    apt_ensure podman podman -- runc runc -- debootstrap debootstrap >&2
    echo podman
}

# The Dockerfile's FROM image for podman without a registry: Debian bookworm from debootstrap, this machine's .NET SDK,
# and the NuGet packages the repository needs, restored on the host (a container restore here fails on certificate
# trust) into the image's global packages folder, which its NuGet.Config names as the only, offline, source. Tagged
# with the FROM name, so `podman build --pull=never` builds the Dockerfile as written. Remade when the SDK or a
# project file changes (the label linuxiomux.inputs).
container_sdk_image() {
    local from inputs
    from=$(sed -n 's/^FROM[[:space:]]\{1,\}\([^[:space:]]*\).*/\1/p' Dockerfile | head -n 1)
    inputs="sdk $(dotnet --version) projects $(find . \( -name '*.csproj' -o -name Directory.Build.props -o -name global.json \) \
        -not -path './artifacts/*' -print0 | sort -z | xargs -0 cat | sha256sum | cut -c1-16)"
    if podman image exists "$from" \
        && [[ $(podman image inspect --format '{{ index .Labels "linuxiomux.inputs" }}' "$from") == "$inputs" ]]; then
        echo "container: $from is the local stand-in for this SDK and these projects ($inputs)"
        return
    fi

    local work=$ARTIFACTS/container
    rm -rf "$work"
    mkdir -p "$work"
    if ! podman image exists "$CONTAINER_DEBIAN_IMAGE"; then
        step "debootstrap --variant=minbase bookworm (from $CONTAINER_DEBIAN_MIRROR) -> $CONTAINER_DEBIAN_IMAGE"
        # What the SDK needs at run time beyond minbase (the official image installs the same libraries).
        debootstrap --variant=minbase --include=ca-certificates,libicu72,libssl3,zlib1g,libstdc++6,libgcc-s1,tzdata \
            bookworm "$work/rootfs" "$CONTAINER_DEBIAN_MIRROR" >"$work/debootstrap.log" 2>&1 \
            || { tail -n 20 "$work/debootstrap.log" >&2; return 1; }
        tar -C "$work/rootfs" -c . | podman import - "$CONTAINER_DEBIAN_IMAGE" >/dev/null
        rm -rf "$work/rootfs"
    fi

    step "restore the repository's NuGet packages on the host into $work/packages (from a copy: obj/ stays as it is)"
    mkdir -p "$work/context"
    tar -c --exclude=./.git --exclude=./artifacts --exclude='*/bin' --exclude='*/obj' . | tar -x -C "$work/context"
    dotnet restore "$work/context/LinuxIoMux.sln" --packages "$work/packages" --nologo -v quiet

    step "make $from from $CONTAINER_DEBIAN_IMAGE + $(dirname "$(readlink -f "$(command -v dotnet)")") + those packages"
    cat >"$work/Containerfile" <<CONTAINERFILE
FROM $CONTAINER_DEBIAN_IMAGE
RUN cp -a /mnt/dotnet /usr/share/dotnet && ln -s /usr/share/dotnet/dotnet /usr/bin/dotnet \\
    && mkdir -p /root/.nuget/NuGet && cp -a /mnt/packages /root/.nuget/packages \\
    && printf '%s\n' '<configuration><packageSources><clear /><add key="offline" value="/root/.nuget/packages" /></packageSources></configuration>' \\
        >/root/.nuget/NuGet/NuGet.Config
ENV DOTNET_RUNNING_IN_CONTAINER=true DOTNET_NOLOGO=true NUGET_XMLDOC_MODE=skip
CONTAINERFILE
    podman build --runtime runc --network none --ulimit "nofile=$CONTAINER_NOFILE_SOFT:$(ulimit -Hn)" \
        --ulimit "nproc=$CONTAINER_NPROC:$CONTAINER_NPROC" --label "linuxiomux.inputs=$inputs" \
        -v "$(dirname "$(readlink -f "$(command -v dotnet)")"):/mnt/dotnet:ro" -v "$work/packages:/mnt/packages:ro" \
        -t "$from" -f "$work/Containerfile" "$work" >"$work/sdk-image.log" || { tail -n 20 "$work/sdk-image.log" >&2; return 1; }
    rm -rf "$work/context" "$work/packages"
}

run_tests_container() {
    local engine hard
    engine=$(container_engine)
    hard=$(ulimit -Hn)
    ((hard > 524288)) && hard=524288
    local limits=(--ulimit "nofile=$CONTAINER_NOFILE_SOFT:$hard" --cpus 1)
    local build=("$engine" build -t "$CONTAINER_TEST_IMAGE")
    local run=("$engine" run --rm)
    if [[ $engine == podman ]]; then
        container_sdk_image
        # crun refuses this machine's hybrid cgroups; runc does not. The build's apt-get needs the network; the tests
        # only need loopback, which a container's own network namespace has.
        local podman_opts=(--runtime runc --ulimit "nproc=$CONTAINER_NPROC:$CONTAINER_NPROC")
        build+=("${podman_opts[@]}" --pull=never --network host --ulimit "nofile=$CONTAINER_NOFILE_SOFT:$hard")
        run+=("${podman_opts[@]}" --network none)
    fi
    run+=("${limits[@]}")

    step "${build[*]} -f Dockerfile ."
    "${build[@]}" -f Dockerfile . >"$ARTIFACTS/container-build.log" 2>&1 \
        || { tail -n 30 "$ARTIFACTS/container-build.log" >&2; echo "container: 0 passed, 1 failed, 0 skipped (the image did not build)"; return 1; }

    step "the limits inside: ${run[*]} $CONTAINER_TEST_IMAGE"
    # EchoServer's default loop count is Environment.ProcessorCount, as ReactorGroup's is: it shows what the runtime
    # makes of the CPU quota.
    "${run[@]}" "$CONTAINER_TEST_IMAGE" sh -c 'echo "RLIMIT_NOFILE soft $(ulimit -Sn) hard $(ulimit -Hn); nproc $(nproc);" \
        "cpu quota $(cat /sys/fs/cgroup/cpu.max 2>/dev/null || echo "$(cat /sys/fs/cgroup/cpu/cpu.cfs_quota_us) per $(cat /sys/fs/cgroup/cpu/cpu.cfs_period_us) us");" \
        "$(grep -E "^Seccomp:" /proc/self/status | tr -s "\t" " ") (2 = filter)";
        timeout -s INT 20 dotnet samples/EchoServer/bin/Release/net10.0/EchoServer.dll --port 0 | head -n 1'

    step "${run[*]} $CONTAINER_TEST_IMAGE (its CMD: ./build.sh test)"
    local log=$ARTIFACTS/container-test.log status=0
    "${run[@]}" "$CONTAINER_TEST_IMAGE" 2>&1 | tee "$log" || status=$?
    local summary
    summary=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$log" | tail -n 1)
    echo
    echo "container: ${summary:-0 passed, 1 failed, 0 skipped (no summary line from the container)}"
    return $status
}
