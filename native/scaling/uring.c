/* uring: raw io_uring syscalls and ring bookkeeping for native/scaling (see uring.h). */
#define _GNU_SOURCE
#include "uring.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

/* scaling's exit code when io_uring cannot run here (NativeScaling.cs reads it). */
#define EXIT_IO_URING_UNAVAILABLE 5

static void die(const char *what)
{
    perror(what);
    exit(1);
}

static void *map_region(int fd, size_t size, off_t offset)
{
    void *address = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE, fd, offset);
    if (address == MAP_FAILED)
        die("mmap(io_uring)");
    return address;
}

void uring_init(struct uring *ring, unsigned sq_entries, unsigned cq_entries)
{
    struct io_uring_params p;
    memset(&p, 0, sizeof p);
    /* The flags IoUringRing.Create asks for, so both columns run on identically configured rings. */
    p.flags = IORING_SETUP_CQSIZE | IORING_SETUP_CLAMP | IORING_SETUP_SUBMIT_ALL;
    p.cq_entries = cq_entries;
    int fd = (int)syscall(__NR_io_uring_setup, sq_entries, &p);
    if (fd < 0 && errno == EINVAL) { /* SUBMIT_ALL is Linux 5.18 */
        memset(&p, 0, sizeof p);
        p.flags = IORING_SETUP_CQSIZE | IORING_SETUP_CLAMP;
        p.cq_entries = cq_entries;
        fd = (int)syscall(__NR_io_uring_setup, sq_entries, &p);
    }
    if (fd < 0) {
        int error = errno;
        fprintf(stderr, "io_uring_setup: %s\n", strerror(error));
        exit(error == EPERM || error == ENOSYS ? EXIT_IO_URING_UNAVAILABLE : 1);
    }

    size_t sq_size = p.sq_off.array + p.sq_entries * sizeof(unsigned);
    size_t cq_size = p.cq_off.cqes + p.cq_entries * sizeof(struct io_uring_cqe);
    int single = (p.features & IORING_FEAT_SINGLE_MMAP) != 0;
    if (single && cq_size > sq_size)
        sq_size = cq_size;
    char *sq = map_region(fd, sq_size, IORING_OFF_SQ_RING);
    char *cq = single ? sq : map_region(fd, cq_size, IORING_OFF_CQ_RING);
    ring->sqes = map_region(fd, p.sq_entries * sizeof(struct io_uring_sqe), IORING_OFF_SQES);

    ring->fd = fd;
    ring->sq_entries = p.sq_entries;
    ring->sq_head = (unsigned *)(sq + p.sq_off.head);
    ring->sq_tail = (unsigned *)(sq + p.sq_off.tail);
    ring->sq_mask = *(unsigned *)(sq + p.sq_off.ring_mask);
    ring->cq_head = (unsigned *)(cq + p.cq_off.head);
    ring->cq_tail = (unsigned *)(cq + p.cq_off.tail);
    ring->cq_mask = *(unsigned *)(cq + p.cq_off.ring_mask);
    ring->cqes = (struct io_uring_cqe *)(cq + p.cq_off.cqes);
    /* Identity index array, once: ring slot i always names SQE i (as the managed ring does). */
    unsigned *array = (unsigned *)(sq + p.sq_off.array);
    for (unsigned i = 0; i < p.sq_entries; i++)
        array[i] = i;
    ring->sqe_tail = *ring->sq_tail;
}

static void submit_all(struct uring *ring)
{
    while (ring->sqe_tail != __atomic_load_n(ring->sq_head, __ATOMIC_ACQUIRE)) {
        __atomic_store_n(ring->sq_tail, ring->sqe_tail, __ATOMIC_RELEASE);
        unsigned pending = ring->sqe_tail - __atomic_load_n(ring->sq_head, __ATOMIC_ACQUIRE);
        if (syscall(__NR_io_uring_enter, ring->fd, pending, 0, 0, NULL, 0) < 0 && errno != EINTR)
            die("io_uring_enter(submit)");
    }
}

void uring_poll_add(struct uring *ring, int fd, uint64_t user_data)
{
    if (ring->sqe_tail - __atomic_load_n(ring->sq_head, __ATOMIC_ACQUIRE) == ring->sq_entries)
        submit_all(ring);
    struct io_uring_sqe *sqe = &ring->sqes[ring->sqe_tail & ring->sq_mask];
    memset(sqe, 0, sizeof *sqe);
    sqe->opcode = IORING_OP_POLL_ADD;
    sqe->fd = fd;
    sqe->poll32_events = POLLIN;
    sqe->user_data = user_data;
    ring->sqe_tail++;
}

void uring_enter(struct uring *ring, int wait)
{
    /* Release: the SQEs filled above are visible to the kernel once it sees the new tail. */
    __atomic_store_n(ring->sq_tail, ring->sqe_tail, __ATOMIC_RELEASE);
    unsigned pending = ring->sqe_tail - __atomic_load_n(ring->sq_head, __ATOMIC_ACQUIRE);
    unsigned ready = __atomic_load_n(ring->cq_tail, __ATOMIC_ACQUIRE) - *ring->cq_head;
    unsigned min_complete = wait && ready == 0 ? 1 : 0;
    if (pending == 0 && min_complete == 0)
        return; /* completions are waiting and nothing to submit: no syscall, like the managed wait */
    if (syscall(__NR_io_uring_enter, ring->fd, pending, min_complete, IORING_ENTER_GETEVENTS, NULL, 0) < 0 &&
        errno != EINTR && errno != EAGAIN && errno != EBUSY)
        die("io_uring_enter");
}

struct io_uring_cqe *uring_peek(struct uring *ring, unsigned index)
{
    /* Acquire: the CQE contents are read only after the tail that covers them. */
    unsigned tail = __atomic_load_n(ring->cq_tail, __ATOMIC_ACQUIRE);
    unsigned head = *ring->cq_head + index;
    return head == tail ? NULL : &ring->cqes[head & ring->cq_mask];
}

void uring_advance(struct uring *ring, unsigned count)
{
    /* Release: our reads of those CQEs are done before the kernel may overwrite them. */
    __atomic_store_n(ring->cq_head, *ring->cq_head + count, __ATOMIC_RELEASE);
}
