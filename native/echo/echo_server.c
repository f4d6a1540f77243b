/*
 * echo_server: a minimal level-triggered epoll echo server in C, the reference the managed EchoServer sample is
 * measured against. One thread, non-blocking sockets, a fixed per-connection buffer (bytes that cannot be written
 * back yet stay in it and reading pauses until they drain: back-pressure, never unbounded buffering).
 *
 * usage: echo_server PORT        (listens on 127.0.0.1:PORT; PORT 0 picks one and prints it)
 * stops on SIGINT or SIGTERM.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#define BUFFER_SIZE 16384
#define MAX_EVENTS 256

struct connection {
    int fd;
    size_t pending; /* bytes read, not yet echoed */
    char buffer[BUFFER_SIZE];
};

static volatile sig_atomic_t stopping;

static void on_signal(int signo)
{
    (void)signo;
    stopping = 1;
}

static void die(const char *what)
{
    perror(what);
    exit(1);
}

static void watch(int epfd, int op, int fd, unsigned events, void *data)
{
    struct epoll_event ev = { .events = events, .data.ptr = data };
    if (epoll_ctl(epfd, op, fd, &ev) != 0)
        die("epoll_ctl");
}

static void close_connection(struct connection *c)
{
    close(c->fd); /* closing drops it from the epoll interest list */
    free(c);
}

/* Writes what is pending; returns 0 when the connection must close. */
static int flush(struct connection *c)
{
    size_t sent = 0;
    while (sent < c->pending) {
        ssize_t n = send(c->fd, c->buffer + sent, c->pending - sent, MSG_NOSIGNAL);
        if (n < 0) {
            if (errno == EAGAIN)
                break;
            return 0;
        }
        sent += (size_t)n;
    }
    memmove(c->buffer, c->buffer + sent, c->pending - sent);
    c->pending -= sent;
    return 1;
}

static void on_connection_event(int epfd, struct connection *c, unsigned events)
{
    if (events & EPOLLIN && c->pending < BUFFER_SIZE) {
        ssize_t n = recv(c->fd, c->buffer + c->pending, BUFFER_SIZE - c->pending, 0);
        if (n == 0 || (n < 0 && errno != EAGAIN)) {
            close_connection(c);
            return;
        }
        if (n > 0)
            c->pending += (size_t)n;
    } else if (events & (EPOLLERR | EPOLLHUP) && !(events & EPOLLOUT)) {
        close_connection(c);
        return;
    }
    if (!flush(c)) {
        close_connection(c);
        return;
    }
    /* Wait for writability only while bytes are stuck, and stop reading while the buffer is full. */
    unsigned want = (c->pending < BUFFER_SIZE ? EPOLLIN : 0) | (c->pending > 0 ? EPOLLOUT : 0);
    watch(epfd, EPOLL_CTL_MOD, c->fd, want | EPOLLRDHUP, c);
}

static void accept_all(int epfd, int listener)
{
    for (;;) {
        int fd = accept4(listener, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
        if (fd < 0) {
            if (errno != EAGAIN && errno != EINTR && errno != ECONNABORTED)
                perror("accept4"); /* EMFILE and friends: keep serving, try again on the next event */
            return;
        }
        int one = 1;
        setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        struct connection *c = malloc(sizeof *c);
        if (!c) {
            close(fd);
            continue;
        }
        c->fd = fd;
        c->pending = 0;
        watch(epfd, EPOLL_CTL_ADD, fd, EPOLLIN | EPOLLRDHUP, c);
    }
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: %s PORT\n", argv[0]);
        return 2;
    }
    struct sigaction sa = { .sa_handler = on_signal };
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);

    int listener = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (listener < 0)
        die("socket");
    int one = 1;
    setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    struct sockaddr_in address = { .sin_family = AF_INET, .sin_port = htons((uint16_t)atoi(argv[1])) };
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (bind(listener, (struct sockaddr *)&address, sizeof address) != 0)
        die("bind");
    if (listen(listener, 4096) != 0)
        die("listen");
    socklen_t length = sizeof address;
    getsockname(listener, (struct sockaddr *)&address, &length);
    printf("listening on 127.0.0.1:%d\n", ntohs(address.sin_port));
    fflush(stdout);

    int epfd = epoll_create1(EPOLL_CLOEXEC);
    if (epfd < 0)
        die("epoll_create1");
    watch(epfd, EPOLL_CTL_ADD, listener, EPOLLIN, NULL);

    struct epoll_event events[MAX_EVENTS];
    while (!stopping) {
        int n = epoll_wait(epfd, events, MAX_EVENTS, 1000);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            die("epoll_wait");
        }
        for (int i = 0; i < n; i++) {
            if (events[i].data.ptr == NULL)
                accept_all(epfd, listener);
            else
                on_connection_event(epfd, events[i].data.ptr, events[i].events);
        }
    }
    close(epfd);
    close(listener);
    return 0;
}
