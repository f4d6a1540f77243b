/*
 * deny_io_uring ERRNO PROGRAM [ARGS...]: runs PROGRAM under a seccomp filter that fails io_uring_setup,
 * io_uring_enter and io_uring_register with ERRNO (EPERM, as Docker's default profile does, or ENOSYS, as gVisor
 * and some runtimes do) and allows everything else. The tests use it to see what a user in such a container sees.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

#if defined(__x86_64__)
#define CURRENT_ARCH AUDIT_ARCH_X86_64
#elif defined(__aarch64__)
#define CURRENT_ARCH AUDIT_ARCH_AARCH64
#else
#error "deny_io_uring: add this architecture's AUDIT_ARCH_ value"
#endif

/* io_uring_setup, io_uring_enter, io_uring_register: 425, 426, 427 on every architecture (Linux 5.1). */
#define FIRST_IO_URING_SYSCALL 425
#define LAST_IO_URING_SYSCALL 427

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: %s EPERM|ENOSYS PROGRAM [ARGS...]\n", argv[0]);
        return 2;
    }

    unsigned int err;
    if (strcmp(argv[1], "EPERM") == 0) {
        err = EPERM;
    } else if (strcmp(argv[1], "ENOSYS") == 0) {
        err = ENOSYS;
    } else {
        fprintf(stderr, "%s: unknown errno '%s' (EPERM or ENOSYS)\n", argv[0], argv[1]);
        return 2;
    }

    struct sock_filter filter[] = {
        /* Another architecture's syscall numbers mean something else: allow (only this one is tested). */
        BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch)),
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, CURRENT_ARCH, 1, 0),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
        BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
        BPF_JUMP(BPF_JMP | BPF_JGE | BPF_K, FIRST_IO_URING_SYSCALL, 0, 2),
        BPF_JUMP(BPF_JMP | BPF_JGT | BPF_K, LAST_IO_URING_SYSCALL, 1, 0),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | (err & SECCOMP_RET_DATA)),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
    };
    struct sock_fprog program = { .len = sizeof filter / sizeof filter[0], .filter = filter };

    /* Without CAP_SYS_ADMIN a filter needs no_new_privs; with it, this is harmless. */
    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) {
        perror("prctl(PR_SET_NO_NEW_PRIVS)");
        return 1;
    }
    if (prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &program, 0, 0) != 0) {
        perror("prctl(PR_SET_SECCOMP)");
        return 1;
    }

    execvp(argv[2], argv + 2);
    perror("execvp");
    return 127;
}
