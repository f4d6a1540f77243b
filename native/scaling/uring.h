/*
 * uring: the few io_uring calls native/scaling needs, over the raw io_uring_setup/io_uring_enter syscalls and the
 * mmap'd rings (no liburing), so the C io_uring column is built from the same syscalls as the managed
 * IoUringMultiplexer: one-shot IORING_OP_POLL_ADD per descriptor, re-armed after each completion, submitted by the
 * io_uring_enter that waits.
 */
#ifndef SCALING_URING_H
#define SCALING_URING_H

#include <linux/io_uring.h>
#include <stdint.h>

struct uring {
    int fd;
    unsigned sq_entries;
    unsigned *sq_head;
    unsigned *sq_tail;
    unsigned sq_mask;
    unsigned sqe_tail; /* our tail: SQEs up to here are filled, published to the kernel by uring_enter */
    struct io_uring_sqe *sqes;
    unsigned *cq_head;
    unsigned *cq_tail;
    unsigned cq_mask;
    struct io_uring_cqe *cqes;
};

/* io_uring_setup with the managed backend's sizes and flags, then maps the rings. Exits 5 when io_uring is disabled,
 * blocked or missing (the managed benchmark turns that into an n/a cell), 1 on any other failure. */
void uring_init(struct uring *ring, unsigned sq_entries, unsigned cq_entries);

/* Queues a one-shot POLL_ADD for POLLIN on fd with user_data; submitted by the next uring_enter (or now, when the
 * submission queue is full). */
void uring_poll_add(struct uring *ring, int fd, uint64_t user_data);

/* One io_uring_enter: submits every queued SQE and, when `wait` and the completion queue is empty, waits for one
 * completion. EINTR returns normally (the caller reaps whatever is there and waits again). */
void uring_enter(struct uring *ring, int wait);

/* The oldest unread completion `index` entries past the head, or NULL; uring_advance(count) hands them back. */
struct io_uring_cqe *uring_peek(struct uring *ring, unsigned index);
void uring_advance(struct uring *ring, unsigned count);

#endif
