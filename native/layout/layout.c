/*
 * Layout probe: prints the sizes, offsets and constants LinuxIoMux declares in C#, taken from the real system
 * headers of this machine, one "NAME VALUE" line each. LayoutProbeTests runs it and compares every line with the
 * managed definitions, so a wrong struct or constant fails a test instead of corrupting memory.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <linux/io_uring.h>
#include <poll.h>
#include <sched.h>
#include <stddef.h>
#include <stdio.h>
#include <sys/epoll.h>
#include <sys/mman.h>
#include <sys/syscall.h>
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

    SIZE(struct io_uring_params);
    OFFSET(struct io_uring_params, cq_entries);
    OFFSET(struct io_uring_params, flags);
    OFFSET(struct io_uring_params, features);
    OFFSET(struct io_uring_params, sq_off);
    OFFSET(struct io_uring_params, cq_off);
    SIZE(struct io_sqring_offsets);
    OFFSET(struct io_sqring_offsets, tail);
    OFFSET(struct io_sqring_offsets, ring_mask);
    OFFSET(struct io_sqring_offsets, flags);
    OFFSET(struct io_sqring_offsets, array);
    SIZE(struct io_cqring_offsets);
    OFFSET(struct io_cqring_offsets, tail);
    OFFSET(struct io_cqring_offsets, ring_mask);
    OFFSET(struct io_cqring_offsets, overflow);
    OFFSET(struct io_cqring_offsets, cqes);
    SIZE(struct io_uring_sqe);
    OFFSET(struct io_uring_sqe, flags);
    OFFSET(struct io_uring_sqe, fd);
    OFFSET(struct io_uring_sqe, addr);
    OFFSET(struct io_uring_sqe, len);
    OFFSET(struct io_uring_sqe, poll32_events);
    OFFSET(struct io_uring_sqe, user_data);
    SIZE(struct io_uring_cqe);
    OFFSET(struct io_uring_cqe, res);
    OFFSET(struct io_uring_cqe, flags);
    SIZE(struct io_uring_getevents_arg);
    OFFSET(struct io_uring_getevents_arg, sigmask_sz);
    OFFSET(struct io_uring_getevents_arg, ts);

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
    CONSTANT(F_GETFL);
    CONSTANT(F_SETFL);
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
    CONSTANT(SYS_io_uring_setup);
    CONSTANT(SYS_io_uring_enter);
    CONSTANT(IORING_SETUP_CQSIZE);
    CONSTANT(IORING_SETUP_CLAMP);
    CONSTANT(IORING_SETUP_SUBMIT_ALL);
    CONSTANT(IORING_FEAT_SINGLE_MMAP);
    CONSTANT(IORING_FEAT_NODROP);
    CONSTANT(IORING_FEAT_EXT_ARG);
    CONSTANT(IORING_ENTER_GETEVENTS);
    CONSTANT(IORING_ENTER_EXT_ARG);
    CONSTANT(IORING_SQ_CQ_OVERFLOW);
    CONSTANT(IORING_OP_NOP);
    CONSTANT(IORING_OP_POLL_ADD);
    CONSTANT(IORING_OP_POLL_REMOVE);
    CONSTANT(IORING_POLL_ADD_MULTI);
    CONSTANT(IORING_OFF_SQ_RING);
    CONSTANT(IORING_OFF_CQ_RING);
    CONSTANT(IORING_OFF_SQES);
    CONSTANT(PROT_READ);
    CONSTANT(PROT_WRITE);
    CONSTANT(MAP_SHARED);
    CONSTANT(MAP_POPULATE);
    printf("RLIM_INFINITY %llu\n", (unsigned long long)RLIM_INFINITY);
    return 0;
}
