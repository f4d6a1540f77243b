# Runs the LinuxIoMux test suite in a container, the way Docker-based CI does:
#   docker build -t linuxiomux .
#   docker run --rm --ulimit nofile=65536:65536 linuxiomux
# --ulimit raises RLIMIT_NOFILE so the tests above FD_SETSIZE run instead of being skipped with their reason.
FROM mcr.microsoft.com/dotnet/sdk:10.0

# build.sh compiles native/ with cc and make; the sample-server tests drive redis-cli, redis-benchmark and wrk.
RUN apt-get update \
    && apt-get install -y --no-install-recommends gcc libc6-dev make redis-tools wrk \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /src
COPY . .
RUN ./build.sh build

CMD ["./build.sh", "test"]
