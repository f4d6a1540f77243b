/*
 * Layout probe: prints the sizes, offsets and constants LinuxIoMux declares in C#, taken from the real system
 * headers of this machine, one "NAME VALUE" line each. LayoutProbeTests runs it and compares every line with the
 * managed definitions, so a wrong struct or constant fails a test instead of corrupting memory.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <stddef.h>
#include <stdio.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/resource.h>
#include <sys/select.h>
#include <signal.h>
#include <sys/signalfd.h>
#include <sys/timerfd.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>

/* struct epoll_params and its ioctls are in <linux/eventpoll.h> from Linux 6.9; older headers (Debian 12's 6.1) lack
 * them, so the probe then declares them from the kernel's uapi definition and derives the numbers with _IOW/_IOR. */
#include <linux/ioctl.h>
#include <linux/types.h>
#ifndef EPIOCSPARAMS
struct epoll_params {
    __u32 busy_poll_usecs;
    __u16 busy_poll_budget;
    __u8 prefer_busy_poll;
    __u8 __pad;
};
#define EPOLL_IOC_TYPE 0x8A
#define EPIOCSPARAMS _IOW(EPOLL_IOC_TYPE, 0x01, struct epoll_params)
#define EPIOCGPARAMS _IOR(EPOLL_IOC_TYPE, 0x02, struct epoll_params)
#endif

#define SIZE(type) printf("sizeof(%s) %zu\n", #type, sizeof(type))
#define OFFSET(type, field) printf("offsetof(%s,%s) %zu\n", #type, #field, offsetof(type, field))
/* Every constant here fits in 32 bits; EPOLLET is 1u << 31, so print them all as unsigned. */
#define CONSTANT(name) printf("%s %u\n", #name, (unsigned int)(name))

int main(void)
{
    SIZE(struct epoll_event);
    OFFSET(struct epoll_event, events);
    OFFSET(struct epoll_event, data);
    SIZE(struct pollfd);
    OFFSET(struct pollfd, fd);
    OFFSET(struct pollfd, events);
    OFFSET(struct pollfd, revents);
    SIZE(fd_set);
    SIZE(struct timeval);
    OFFSET(struct timeval, tv_usec);
    SIZE(struct timespec);
    OFFSET(struct timespec, tv_nsec);
    SIZE(nfds_t);
    SIZE(sigset_t);
    SIZE(struct signalfd_siginfo);
    OFFSET(struct signalfd_siginfo, ssi_signo);
    OFFSET(struct signalfd_siginfo, ssi_errno);
    OFFSET(struct signalfd_siginfo, ssi_code);
    OFFSET(struct signalfd_siginfo, ssi_pid);
    OFFSET(struct signalfd_siginfo, ssi_uid);
    OFFSET(struct signalfd_siginfo, ssi_status);
    OFFSET(struct signalfd_siginfo, ssi_int);
    SIZE(struct epoll_params);
    OFFSET(struct epoll_params, busy_poll_budget);
    OFFSET(struct epoll_params, prefer_busy_poll);
    CONSTANT(EPIOCSPARAMS);
    CONSTANT(EPIOCGPARAMS);
    SIZE(struct itimerspec);
    OFFSET(struct itimerspec, it_value);
    SIZE(struct rlimit);
    OFFSET(struct rlimit, rlim_max);

    CONSTANT(FD_SETSIZE);

    CONSTANT(EPOLL_CLOEXEC);
    CONSTANT(EPOLL_CTL_ADD);
    CONSTANT(EPOLL_CTL_DEL);
    CONSTANT(EPOLL_CTL_MOD);
    CONSTANT(EPOLLIN);
    CONSTANT(EPOLLPRI);
    CONSTANT(EPOLLOUT);
    CONSTANT(EPOLLERR);
    CONSTANT(EPOLLHUP);
    CONSTANT(EPOLLRDNORM);
    CONSTANT(EPOLLRDBAND);
    CONSTANT(EPOLLWRNORM);
    CONSTANT(EPOLLWRBAND);
    CONSTANT(EPOLLMSG);
    CONSTANT(EPOLLRDHUP);
    CONSTANT(EPOLLEXCLUSIVE);
    CONSTANT(EPOLLWAKEUP);
    CONSTANT(EPOLLONESHOT);
    CONSTANT(EPOLLET);

    CONSTANT(POLLIN);
    CONSTANT(POLLPRI);
    CONSTANT(POLLOUT);
    CONSTANT(POLLERR);
    CONSTANT(POLLHUP);
    CONSTANT(POLLNVAL);
    CONSTANT(POLLRDNORM);
    CONSTANT(POLLRDBAND);
    CONSTANT(POLLWRNORM);
    CONSTANT(POLLWRBAND);
    CONSTANT(POLLRDHUP);

    CONSTANT(EFD_SEMAPHORE);
    CONSTANT(EFD_NONBLOCK);
    CONSTANT(EFD_CLOEXEC);
    CONSTANT(AF_UNIX);
    CONSTANT(SOCK_STREAM);
    CONSTANT(SOCK_NONBLOCK);
    CONSTANT(SOCK_CLOEXEC);
    CONSTANT(O_NONBLOCK);
    CONSTANT(O_CLOEXEC);
    CONSTANT(RLIMIT_NOFILE);

    /* glibc's _NSIG is the highest signal + 1 (65); the kernel's sigset is (_NSIG - 1) / 8 = 8 bytes. */
    CONSTANT(_NSIG);
    CONSTANT(_SIGSET_NWORDS);
    CONSTANT(SIG_BLOCK);
    CONSTANT(SIG_UNBLOCK);
    CONSTANT(SIG_SETMASK);
    CONSTANT(SFD_NONBLOCK);
    CONSTANT(SFD_CLOEXEC);
    CONSTANT(SIGHUP);
    CONSTANT(SIGINT);
    CONSTANT(SIGQUIT);
    CONSTANT(SIGUSR1);
    CONSTANT(SIGUSR2);
    CONSTANT(SIGPIPE);
    CONSTANT(SIGALRM);
    CONSTANT(SIGTERM);
    CONSTANT(SIGCHLD);
    CONSTANT(SIGCONT);
    CONSTANT(SIGWINCH);
    CONSTANT(CLOCK_MONOTONIC);
    CONSTANT(CLOCK_BOOTTIME);
    CONSTANT(TFD_NONBLOCK);
    CONSTANT(TFD_CLOEXEC);
    CONSTANT(TFD_TIMER_ABSTIME);
    CONSTANT(CPU_SETSIZE);
    printf("RLIM_INFINITY %llu\n", (unsigned long long)RLIM_INFINITY);
    return 0;
}
