/*
 * scaling: the libevent bench.c method in plain C, the physical limit the managed scaling benchmark is compared with.
 *
 * n Unix socketpairs; `active` of them get one byte written at the start of a run; every time a pair is read, one byte
 * is written to the next pair (i + 1 mod n), until `writes` bytes have been written. A run's cost is the time from the
 * first write to the last read: it is dominated by how the multiplexer scales with the number of watched fds.
 *
 * usage: scaling BACKEND PAIRS ACTIVE WRITES RUNS [TRANSPORT]    (BACKEND: select | poll | epoll | io_uring)
 * TRANSPORT: pairs (the default: n socketpairs, 2n fds) or dgram (n AF_UNIX SOCK_DGRAM sockets bound to abstract
 * addresses, written with sendto from one sender socket: n + 1 fds, so twice the n fits under RLIMIT_NOFILE)
 * prints one line per run: microseconds (integer nanoseconds / 1000, three decimals)
 */
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/select.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "uring.h"

enum backend { BACKEND_SELECT, BACKEND_POLL, BACKEND_EPOLL, BACKEND_IO_URING };

struct bench {
    enum backend backend;
    int pairs;
    int active;
    int writes_per_run;
    int *readers; /* readers[i]: the end we wait on */
    int *writers; /* writers[i]: its peer, which we write to (pairs transport) */
    int dgram;    /* 1: readers are datagram sockets, written with sendto from `sender` */
    int sender;
    struct sockaddr_un *addresses; /* dgram: readers[i]'s abstract address */
    socklen_t *address_lengths;
    int epfd;
    struct pollfd *pollfds;
    struct epoll_event *events;
    struct uring ring; /* io_uring: one one-shot POLL_ADD per reader, user_data = its index */
    int *ready;        /* io_uring: the indexes one wait reaped */
    int max_fd;
    long writes_left;
    long reads_done;
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

/* Sends the one byte that readers[index] will read. */
static void write_to(struct bench *b, int index)
{
    ssize_t n = b->dgram ? sendto(b->sender, "e", 1, 0, (struct sockaddr *)&b->addresses[index], b->address_lengths[index])
                         : write(b->writers[index], "e", 1);
    if (n != 1)
        die(b->dgram ? "sendto" : "write");
}

/* One readable pair: consume its byte, pass one on to the next pair while writes remain. */
static void on_readable(struct bench *b, int index)
{
    char byte;
    if (read(b->readers[index], &byte, 1) != 1)
        die("read");
    b->reads_done++;
    if (b->writes_left > 0) {
        int next = index + 1 == b->pairs ? 0 : index + 1;
        write_to(b, next);
        b->writes_left--;
    }
}

/* io_uring the way IoUringMultiplexer waits, level-triggered: the io_uring_enter that waits also submits the re-arms
 * of the descriptors the previous wait reported (a descriptor that is still ready completes again at once), then the
 * completions in the CQ at that moment are taken as one batch and handled, and each handled descriptor's POLL_ADD is
 * queued for the next wait. Completions posted while the batch is handled wait for the next wait, as in the managed
 * loop: reaping them at once and deferring the re-arms would save most enters (the handlers' writes post the next
 * completion before the wait) but would break the level-triggered contract (a reported descriptor that is still
 * ready would not be reported by the next wait). */
static void wait_once_io_uring(struct bench *b)
{
    uring_enter(&b->ring, 1);
    /* Copy the batch out and hand the CQEs back before the handlers run, as the managed wait fills its caller's array. */
    int count = 0;
    struct io_uring_cqe *cqe;
    while (count < b->pairs && (cqe = uring_peek(&b->ring, (unsigned)count)) != NULL) {
        if (cqe->res < 0) {
            errno = -cqe->res;
            die("IORING_OP_POLL_ADD");
        }
        b->ready[count++] = (int)cqe->user_data;
    }
    uring_advance(&b->ring, (unsigned)count);
    for (int i = 0; i < count; i++) {
        on_readable(b, b->ready[i]);
        uring_poll_add(&b->ring, b->readers[b->ready[i]], (uint64_t)b->ready[i]);
    }
}

static void wait_once(struct bench *b)
{
    if (b->backend == BACKEND_IO_URING) {
        wait_once_io_uring(b);
    } else if (b->backend == BACKEND_EPOLL) {
        int n = epoll_wait(b->epfd, b->events, b->pairs, -1);
        if (n < 0 && errno != EINTR)
            die("epoll_wait");
        for (int i = 0; i < n; i++)
            on_readable(b, (int)b->events[i].data.u32);
    } else if (b->backend == BACKEND_POLL) {
        int n = poll(b->pollfds, (nfds_t)b->pairs, -1);
        if (n < 0 && errno != EINTR)
            die("poll");
        for (int i = 0; i < b->pairs && n > 0; i++) {
            if (b->pollfds[i].revents) {
                n--;
                on_readable(b, i);
            }
        }
    } else {
        fd_set readable;
        FD_ZERO(&readable);
        for (int i = 0; i < b->pairs; i++)
            FD_SET(b->readers[i], &readable);
        int n = select(b->max_fd + 1, &readable, NULL, NULL, NULL);
        if (n < 0 && errno != EINTR)
            die("select");
        for (int i = 0; i < b->pairs && n > 0; i++) {
            if (FD_ISSET(b->readers[i], &readable)) {
                n--;
                on_readable(b, i);
            }
        }
    }
}

static long long run_once(struct bench *b)
{
    long total_reads = (long)b->active + b->writes_per_run;
    int space = b->pairs / b->active;
    b->writes_left = b->writes_per_run;
    b->reads_done = 0;

    long long start = now_ns();
    for (int i = 0; i < b->active; i++)
        write_to(b, i * space);
    while (b->reads_done < total_reads)
        wait_once(b);
    return now_ns() - start;
}

static void setup(struct bench *b)
{
    struct rlimit limit;
    if (getrlimit(RLIMIT_NOFILE, &limit) != 0)
        die("getrlimit");
    rlim_t needed = (rlim_t)b->pairs * (b->dgram ? 1 : 2) + 64;
    if (limit.rlim_cur < needed) {
        if (limit.rlim_max < needed) {
            fprintf(stderr, "scaling: %d pairs need %lu fds, RLIMIT_NOFILE hard limit is %lu\n", b->pairs,
                    (unsigned long)needed, (unsigned long)limit.rlim_max);
            exit(3);
        }
        limit.rlim_cur = needed;
        if (setrlimit(RLIMIT_NOFILE, &limit) != 0)
            die("setrlimit");
    }

    b->readers = calloc((size_t)b->pairs, sizeof(int));
    b->writers = calloc((size_t)b->pairs, sizeof(int));
    b->pollfds = calloc((size_t)b->pairs, sizeof(struct pollfd));
    b->events = calloc((size_t)b->pairs, sizeof(struct epoll_event));
    b->ready = calloc((size_t)b->pairs, sizeof(int));
    b->addresses = calloc((size_t)b->pairs, sizeof(struct sockaddr_un));
    b->address_lengths = calloc((size_t)b->pairs, sizeof(socklen_t));
    if (!b->readers || !b->writers || !b->pollfds || !b->events || !b->ready || !b->addresses || !b->address_lengths)
        die("calloc");
    if (b->dgram) {
        b->sender = socket(AF_UNIX, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
        if (b->sender < 0)
            die("socket");
    }

    b->epfd = epoll_create1(EPOLL_CLOEXEC);
    if (b->epfd < 0)
        die("epoll_create1");
    /* IoUringMultiplexer's default sizes: 256 SQEs, 4096 CQEs. */
    if (b->backend == BACKEND_IO_URING)
        uring_init(&b->ring, 256, 4096);
    for (int i = 0; i < b->pairs; i++) {
        int fds[2];
        if (b->dgram) {
            /* abstract namespace (sun_path[0] == 0): no file on disk, the name goes away with the socket */
            fds[0] = socket(AF_UNIX, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
            if (fds[0] < 0)
                die("socket");
            fds[1] = -1;
            struct sockaddr_un *address = &b->addresses[i];
            address->sun_family = AF_UNIX;
            int length = snprintf(address->sun_path + 1, sizeof address->sun_path - 1, "scaling-%d-%d", (int)getpid(), i);
            b->address_lengths[i] = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + 1 + (size_t)length);
            if (bind(fds[0], (struct sockaddr *)address, b->address_lengths[i]) != 0)
                die("bind");
        } else if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, fds) != 0)
            die("socketpair");
        b->readers[i] = fds[0];
        b->writers[i] = fds[1];
        if (fds[0] > b->max_fd)
            b->max_fd = fds[0];
        b->pollfds[i].fd = fds[0];
        b->pollfds[i].events = POLLIN;
        struct epoll_event ev = { .events = EPOLLIN, .data.u32 = (uint32_t)i };
        if (b->backend == BACKEND_EPOLL && epoll_ctl(b->epfd, EPOLL_CTL_ADD, fds[0], &ev) != 0)
            die("epoll_ctl");
        if (b->backend == BACKEND_IO_URING)
            uring_poll_add(&b->ring, fds[0], (uint64_t)i);
    }
    if (b->backend == BACKEND_SELECT && b->max_fd >= FD_SETSIZE) {
        fprintf(stderr, "scaling: select cannot watch fd %d (FD_SETSIZE %d)\n", b->max_fd, FD_SETSIZE);
        exit(4);
    }
}

int main(int argc, char **argv)
{
    if (argc != 6 && argc != 7) {
        fprintf(stderr, "usage: %s select|poll|epoll|io_uring PAIRS ACTIVE WRITES RUNS [pairs|dgram]\n", argv[0]);
        return 2;
    }
    struct bench b;
    memset(&b, 0, sizeof b);
    if (strcmp(argv[1], "select") == 0)
        b.backend = BACKEND_SELECT;
    else if (strcmp(argv[1], "poll") == 0)
        b.backend = BACKEND_POLL;
    else if (strcmp(argv[1], "epoll") == 0)
        b.backend = BACKEND_EPOLL;
    else if (strcmp(argv[1], "io_uring") == 0)
        b.backend = BACKEND_IO_URING;
    else {
        fprintf(stderr, "scaling: unknown backend '%s'\n", argv[1]);
        return 2;
    }
    if (argc == 7 && strcmp(argv[6], "dgram") == 0)
        b.dgram = 1;
    else if (argc == 7 && strcmp(argv[6], "pairs") != 0) {
        fprintf(stderr, "scaling: unknown transport '%s'\n", argv[6]);
        return 2;
    }
    b.pairs = atoi(argv[2]);
    b.active = atoi(argv[3]);
    b.writes_per_run = atoi(argv[4]);
    int runs = atoi(argv[5]);
    if (b.pairs < 1 || b.active < 1 || b.active > b.pairs || b.writes_per_run < 0 || runs < 1) {
        fprintf(stderr, "scaling: need PAIRS >= 1, 1 <= ACTIVE <= PAIRS, WRITES >= 0, RUNS >= 1\n");
        return 2;
    }

    setup(&b);
    run_once(&b); /* warm-up: page in the tables, fill the caches */
    for (int r = 0; r < runs; r++) {
        long long ns = run_once(&b);
        printf("%lld.%03lld\n", ns / 1000, ns % 1000);
    }
    return 0;
}
