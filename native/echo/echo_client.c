/*
 * echo_client: the load generator of the echo benchmark (src/LinuxIoMux.Benchmarks/Echo). One thread, one
 * level-triggered epoll loop, N loopback TCP connections, each keeping exactly one 64-byte message in flight
 * (closed loop: the next message goes out when the previous echo is complete). It is written in C so that the
 * client costs less per round trip than any server it measures: the same client drives all of them, and the
 * differences are the servers'.
 *
 * usage: echo_client PORT CONNECTIONS WARMUP_MS MEASURE_MS SAMPLES_FILE
 *
 * Protocol with the harness (stdin/stdout, one line each):
 *   connects, runs the warm-up, prints "warm" and waits for a line on stdin (the harness reads the server's
 *   allocation counter meanwhile: no round trip is in flight); then runs the measured phase, stops sending at the
 *   deadline, waits for every outstanding echo, writes each measured round trip as a uint64 nanosecond count to
 *   SAMPLES_FILE and prints "done ROUND_TRIPS SECONDS CPU_SECONDS" (the client's own user + system time in the
 *   phase: near SECONDS would mean the client, not the server, is the bottleneck); then waits for end of input and
 *   closes the connections.
 * Every echo is compared with what was sent; a wrong byte or a closed connection is an error (exit 1).
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define MESSAGE_SIZE 64
#define MAX_EVENTS 1024

struct connection {
    int fd;
    int in_flight;
    uint32_t sequence;      /* varies the payload so a stale or misrouted echo is caught */
    size_t received;
    uint64_t sent_at;
    unsigned char message[MESSAGE_SIZE];
    unsigned char reply[MESSAGE_SIZE];
};

static uint64_t *samples;
static size_t sample_count, sample_capacity;

static void die(const char *what)
{
    perror(what);
    exit(1);
}

static uint64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static void record(uint64_t ns)
{
    if (sample_count == sample_capacity) {
        sample_capacity = sample_capacity ? sample_capacity * 2 : 65536;
        samples = realloc(samples, sample_capacity * sizeof *samples);
        if (!samples)
            die("realloc");
    }
    samples[sample_count++] = ns;
}

static void send_message(struct connection *c, size_t index)
{
    c->sequence++;
    for (size_t i = 0; i < MESSAGE_SIZE; i++)
        c->message[i] = (unsigned char)(index + c->sequence + i);
    c->received = 0;
    c->sent_at = now_ns();
    /* One message in flight on an otherwise empty socket: the send buffer always takes all 64 bytes. */
    ssize_t n = send(c->fd, c->message, MESSAGE_SIZE, MSG_NOSIGNAL);
    if (n != MESSAGE_SIZE)
        die("send");
    c->in_flight = 1;
}

/*
 * One phase: every connection sends, and each completed echo is followed by the next message until the deadline;
 * then outstanding echoes are awaited, so the phase ends with nothing in flight. Returns the round trips completed.
 */
static long run_phase(int epfd, struct connection *connections, size_t count, uint64_t duration_ns, int measure)
{
    uint64_t deadline = now_ns() + duration_ns;
    size_t outstanding = 0;
    long round_trips = 0;
    for (size_t i = 0; i < count; i++) {
        send_message(&connections[i], i);
        outstanding++;
    }
    struct epoll_event events[MAX_EVENTS];
    while (outstanding > 0) {
        int n = epoll_wait(epfd, events, MAX_EVENTS, 10000);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            fprintf(stderr, "echo_client: no echo for 10 s (%zu outstanding)\n", outstanding);
            exit(1);
        }
        for (int e = 0; e < n; e++) {
            size_t index = events[e].data.u64;
            struct connection *c = &connections[index];
            ssize_t got = recv(c->fd, c->reply + c->received, MESSAGE_SIZE - c->received, 0);
            if (got < 0 && errno == EAGAIN)
                continue;
            if (got <= 0 || !c->in_flight) {
                fprintf(stderr, "echo_client: connection %zu: %s\n", index,
                        got == 0 ? "closed by the server" : got < 0 ? strerror(errno) : "bytes nobody asked for");
                exit(1);
            }
            c->received += (size_t)got;
            if (c->received < MESSAGE_SIZE)
                continue;
            uint64_t done = now_ns();
            if (memcmp(c->reply, c->message, MESSAGE_SIZE) != 0) {
                fprintf(stderr, "echo_client: connection %zu: the echo differs from the message sent\n", index);
                exit(1);
            }
            c->in_flight = 0;
            round_trips++;
            if (measure)
                record(done - c->sent_at);
            if (done < deadline)
                send_message(c, index);
            else
                outstanding--;
        }
    }
    return round_trips;
}

static double cpu_seconds(void)
{
    struct rusage usage;
    if (getrusage(RUSAGE_SELF, &usage) != 0)
        die("getrusage");
    return (double)(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) + (double)(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

static void raise_fd_limit(size_t connections)
{
    struct rlimit limit;
    if (getrlimit(RLIMIT_NOFILE, &limit) != 0)
        die("getrlimit");
    limit.rlim_cur = limit.rlim_max;
    if (setrlimit(RLIMIT_NOFILE, &limit) != 0)
        die("setrlimit");
    if (limit.rlim_cur < connections + 16) {
        fprintf(stderr, "echo_client: RLIMIT_NOFILE hard limit %lu is below %zu connections\n",
                (unsigned long)limit.rlim_max, connections);
        exit(1);
    }
}

static void wait_for_line(void)
{
    char line[64];
    if (!fgets(line, sizeof line, stdin)) {
        fprintf(stderr, "echo_client: standard input closed before the measured phase\n");
        exit(1);
    }
}

int main(int argc, char **argv)
{
    if (argc != 6) {
        fprintf(stderr, "usage: %s PORT CONNECTIONS WARMUP_MS MEASURE_MS SAMPLES_FILE\n", argv[0]);
        return 2;
    }
    int port = atoi(argv[1]);
    size_t count = (size_t)atol(argv[2]);
    uint64_t warmup_ns = (uint64_t)atol(argv[3]) * 1000000u, measure_ns = (uint64_t)atol(argv[4]) * 1000000u;
    if (port <= 0 || count == 0 || measure_ns == 0) {
        fprintf(stderr, "echo_client: PORT, CONNECTIONS and MEASURE_MS must be positive\n");
        return 2;
    }
    raise_fd_limit(count);

    struct connection *connections = calloc(count, sizeof *connections);
    int epfd = epoll_create1(EPOLL_CLOEXEC);
    if (!connections || epfd < 0)
        die("setup");
    struct sockaddr_in server = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port) };
    server.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    for (size_t i = 0; i < count; i++) {
        int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (fd < 0 || connect(fd, (struct sockaddr *)&server, sizeof server) != 0)
            die("connect");
        int one = 1;
        /* SO_LINGER 0: close sends RST, leaving no TIME_WAIT behind for the next cell. */
        struct linger linger = { .l_onoff = 1, .l_linger = 0 };
        setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        setsockopt(fd, SOL_SOCKET, SO_LINGER, &linger, sizeof linger);
        int flags = fcntl(fd, F_GETFL);
        if (flags < 0 || fcntl(fd, F_SETFL, flags | O_NONBLOCK) != 0)
            die("fcntl");
        connections[i].fd = fd;
        struct epoll_event ev = { .events = EPOLLIN, .data.u64 = i };
        if (epoll_ctl(epfd, EPOLL_CTL_ADD, fd, &ev) != 0)
            die("epoll_ctl");
    }

    run_phase(epfd, connections, count, warmup_ns, 0);
    printf("warm\n");
    fflush(stdout);
    wait_for_line();

    uint64_t started = now_ns();
    double cpu_started = cpu_seconds();
    long round_trips = run_phase(epfd, connections, count, measure_ns, 1);
    double seconds = (double)(now_ns() - started) / 1e9;
    double cpu = cpu_seconds() - cpu_started;

    FILE *file = fopen(argv[5], "wb");
    if (!file || fwrite(samples, sizeof *samples, sample_count, file) != sample_count || fclose(file) != 0)
        die(argv[5]);
    printf("done %ld %.6f %.6f\n", round_trips, seconds, cpu);
    fflush(stdout);

    char line[64];
    while (fgets(line, sizeof line, stdin))
        ;
    for (size_t i = 0; i < count; i++)
        close(connections[i].fd);
    close(epfd);
    free(connections);
    free(samples);
    return 0;
}
