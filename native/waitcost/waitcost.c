/*
 * waitcost: the C column of samples/SelectVsPollVsEpoll. The same zero-timeout waits the demo times through
 * LinuxIoMux (select with the watched set copied in before every call, poll over a pollfd array built once,
 * epoll_wait into a caller-owned array), timed the same way: warm up for 200 ms with doubling batches, then 25 batches
 * of about 8 ms each, and report the median nanoseconds per call. The ratio managed/C is then the wrapper's own cost.
 *
 * usage: waitcost PAIRS [LOWEST_FD]
 *   PAIRS      Unix socketpairs; one end of each is watched, exactly one of them is readable.
 *   LOWEST_FD  move the watched ends to descriptors >= LOWEST_FD (F_DUPFD), so select's nfds matches the managed
 *              process, whose runtime holds more descriptors open before the demo creates its pairs.
 * prints one line per call: "select NS", "poll NS", "epoll NS" (select is left out when an fd reaches FD_SETSIZE)
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/select.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define BATCHES 25
#define WARM_UP_NS 200000000LL
#define BATCH_NS 8000000LL
#define EVENT_BUFFER 64 /* the demo's epoll event array: a typical event-loop buffer */

struct pairs {
    int n;
    int *watched;
    int ready_index;
    int max_fd;
};

static void die(const char *what)
{
    perror(what);
    exit(1);
}

static long long now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* The wait being timed: runs `iterations` zero-timeout waits, exits when one does not report exactly one ready fd. */
typedef void (*wait_loop)(void *state, long iterations);

struct select_state {
    fd_set watched;
    int nfds;
};

static void select_loop(void *state, long iterations)
{
    struct select_state *s = state;
    fd_set read, write, except;
    FD_ZERO(&write);
    FD_ZERO(&except);
    for (long i = 0; i < iterations; i++) {
        read = s->watched; /* select overwrites the set: every caller copies it back in, as the demo does */
        struct timeval timeout = { 0, 0 };
        int ready = select(s->nfds, &read, &write, &except, &timeout);
        if (ready != 1) {
            fprintf(stderr, "waitcost: select returned %d\n", ready);
            exit(1);
        }
    }
}

struct poll_state {
    struct pollfd *fds;
    nfds_t count;
};

static void poll_loop(void *state, long iterations)
{
    struct poll_state *s = state;
    for (long i = 0; i < iterations; i++) {
        int ready = poll(s->fds, s->count, 0);
        if (ready != 1) {
            fprintf(stderr, "waitcost: poll returned %d\n", ready);
            exit(1);
        }
    }
}

struct epoll_state {
    int epfd;
    struct epoll_event *events;
    int capacity;
};

static void epoll_loop(void *state, long iterations)
{
    struct epoll_state *s = state;
    for (long i = 0; i < iterations; i++) {
        int ready = epoll_wait(s->epfd, s->events, s->capacity, 0);
        if (ready != 1) {
            fprintf(stderr, "waitcost: epoll_wait returned %d\n", ready);
            exit(1);
        }
    }
}

static int compare_doubles(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* The demo's BatchTimer, step for step: warm-up with doubling batches, then the median of BATCHES timed batches. */
static double median_ns_per_call(wait_loop loop, void *state)
{
    long long began = now_ns();
    long iterations = 1;
    double warm_per_call;
    for (;;) {
        long long start = now_ns();
        loop(state, iterations);
        long long elapsed = now_ns() - start;
        if (now_ns() - began >= WARM_UP_NS) {
            warm_per_call = (double)elapsed / (double)iterations;
            if (warm_per_call < 1)
                warm_per_call = 1;
            break;
        }
        if (elapsed < BATCH_NS)
            iterations *= 2;
    }

    long batch = (long)(BATCH_NS / warm_per_call);
    if (batch < 1)
        batch = 1;
    double per_call[BATCHES];
    for (int b = 0; b < BATCHES; b++) {
        long long start = now_ns();
        loop(state, batch);
        per_call[b] = (double)(now_ns() - start) / (double)batch;
    }
    qsort(per_call, BATCHES, sizeof per_call[0], compare_doubles);
    return per_call[BATCHES / 2];
}

static struct pairs make_pairs(int n, int lowest_fd)
{
    struct pairs p = { .n = n, .watched = calloc((size_t)n, sizeof(int)), .ready_index = n / 2, .max_fd = -1 };
    if (p.watched == NULL)
        die("calloc");
    for (int i = 0; i < n; i++) {
        int sv[2];
        if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0)
            die("socketpair");
        int watched = sv[0];
        if (lowest_fd > watched) {
            watched = fcntl(sv[0], F_DUPFD_CLOEXEC, lowest_fd);
            if (watched < 0)
                die("fcntl(F_DUPFD_CLOEXEC)");
            close(sv[0]);
        }
        if (i == p.ready_index && write(sv[1], "x", 1) != 1)
            die("write");
        /* sv[1] stays open: a closed peer would make the watched end readable (end of stream) */
        p.watched[i] = watched;
        if (watched > p.max_fd)
            p.max_fd = watched;
    }
    return p;
}

int main(int argc, char **argv)
{
    if (argc < 2 || argc > 3) {
        fprintf(stderr, "usage: waitcost PAIRS [LOWEST_FD]\n");
        return 2;
    }
    int n = atoi(argv[1]);
    int lowest_fd = argc == 3 ? atoi(argv[2]) : 0;
    if (n < 1 || lowest_fd < 0) {
        fprintf(stderr, "waitcost: PAIRS must be at least 1 and LOWEST_FD not negative\n");
        return 2;
    }

    struct pairs p = make_pairs(n, lowest_fd);

    if (p.max_fd < FD_SETSIZE) {
        struct select_state s = { .nfds = p.max_fd + 1 };
        FD_ZERO(&s.watched);
        for (int i = 0; i < n; i++)
            FD_SET(p.watched[i], &s.watched);
        printf("select %.1f\n", median_ns_per_call(select_loop, &s));
    }

    struct poll_state ps = { .fds = calloc((size_t)n, sizeof(struct pollfd)), .count = (nfds_t)n };
    if (ps.fds == NULL)
        die("calloc");
    for (int i = 0; i < n; i++)
        ps.fds[i] = (struct pollfd){ .fd = p.watched[i], .events = POLLIN };
    printf("poll %.1f\n", median_ns_per_call(poll_loop, &ps));

    struct epoll_state es = { .epfd = epoll_create1(EPOLL_CLOEXEC), .events = calloc(EVENT_BUFFER, sizeof(struct epoll_event)), .capacity = EVENT_BUFFER };
    if (es.epfd < 0)
        die("epoll_create1");
    if (es.events == NULL)
        die("calloc");
    for (int i = 0; i < n; i++) {
        struct epoll_event ev = { .events = EPOLLIN, .data.u64 = (unsigned long long)i };
        if (epoll_ctl(es.epfd, EPOLL_CTL_ADD, p.watched[i], &ev) != 0)
            die("epoll_ctl");
    }
    printf("epoll %.1f\n", median_ns_per_call(epoll_loop, &es));
    return 0;
}
