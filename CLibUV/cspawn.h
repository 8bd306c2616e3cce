/* cspawn: the posix_spawn spawner's C half (see Sources/UVKit/PosixSpawn.swift). posix_spawn's
 * file actions and attributes are opaque glibc structs and wait statuses are macros, which Swift
 * cannot use; the whole start-a-child sequence lives here so its error paths are in one place.
 * Why posix_spawn at all: glibc spawns with clone(CLONE_VM|CLONE_VFORK), which copies no page
 * tables; libuv 1.44's uv_spawn forks, and that copy was ~45% of the server's CPU per command
 * (Benchmarks/README.md, "Spawner"). */
#ifndef CLIBUV_CSPAWN_H
#define CLIBUV_CSPAWN_H

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdint.h>
#include <unistd.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>

/* glibc >= 2.29 / 2.34 (Debian 12 has 2.36); declared here because the prototypes sit behind
 * _GNU_SOURCE, which a module map cannot set for headers the Glibc module already built. */
extern int posix_spawn_file_actions_addchdir_np(posix_spawn_file_actions_t *, const char *);
extern int posix_spawn_file_actions_addclosefrom_np(posix_spawn_file_actions_t *, int);
#ifndef POSIX_SPAWN_SETSID
#define POSIX_SPAWN_SETSID 0x80
#endif
#ifndef SYS_pidfd_open
#define SYS_pidfd_open 434
#endif

/* A pidfd for pid (CLOEXEC by definition), or -errno. Linux >= 5.3. */
static inline int cuv_pidfd_open(pid_t pid) {
    long fd = syscall(SYS_pidfd_open, pid, 0);
    return fd < 0 ? -errno : (int)fd;
}

static inline void cuv_close_fds(int *fds, int n) {
    for (int i = 0; i < n; i++) if (fds[i] >= 0) { close(fds[i]); fds[i] = -1; }
}

/* Starts `file` (absolute; no PATH search) in its own session with stdout and stderr on fresh
 * pipes and stdin on a pipe (want_stdin) or /dev/null; every other descriptor is closed in the
 * child, every signal back to default and unblocked — what uv_spawn with UV_PROCESS_DETACHED
 * gives. On success returns 0 with the parent's ends in parent_fds[0..2] (stdin write end or -1,
 * stdout read end, stderr read end), the pid and a pidfd that turns readable at exit. On failure
 * returns -errno and leaves nothing behind: no descriptor, no child, no zombie. */
static inline int cuv_spawn_child(const char *file, char *const argv[], char *const envp[], const char *cwd,
                                  int want_stdin, int parent_fds[3], pid_t *pid_out, int *pidfd_out) {
    int in_p[2] = {-1, -1}, out_p[2] = {-1, -1}, err_p[2] = {-1, -1};
    parent_fds[0] = parent_fds[1] = parent_fds[2] = -1;
    if (pipe2(out_p, O_CLOEXEC) < 0) return -errno;
    if (pipe2(err_p, O_CLOEXEC) < 0) { int e = -errno; cuv_close_fds(out_p, 2); return e; }
    if (want_stdin && pipe2(in_p, O_CLOEXEC) < 0) {
        int e = -errno; cuv_close_fds(out_p, 2); cuv_close_fds(err_p, 2); return e;
    }
    posix_spawn_file_actions_t fa;
    posix_spawnattr_t attr;
    sigset_t all, none;
    sigfillset(&all);
    sigemptyset(&none);
    int rc = posix_spawn_file_actions_init(&fa);
    if (rc == 0) {
        rc = posix_spawnattr_init(&attr);
        if (rc != 0) posix_spawn_file_actions_destroy(&fa);
    }
    if (rc == 0) {
        /* Stdio descriptors 0-2 of the server are always open (cuv_process_hygiene), so every pipe
         * end is >= 3 and the dup2s cannot clobber each other. */
        rc = want_stdin ? posix_spawn_file_actions_adddup2(&fa, in_p[0], 0)
                        : posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
        if (rc == 0) rc = posix_spawn_file_actions_adddup2(&fa, out_p[1], 1);
        if (rc == 0) rc = posix_spawn_file_actions_adddup2(&fa, err_p[1], 2);
        if (rc == 0) rc = posix_spawn_file_actions_addclosefrom_np(&fa, 3);
        if (rc == 0 && cwd != NULL) rc = posix_spawn_file_actions_addchdir_np(&fa, cwd);
        if (rc == 0) rc = posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSID | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
        if (rc == 0) rc = posix_spawnattr_setsigmask(&attr, &none);
        if (rc == 0) rc = posix_spawnattr_setsigdefault(&attr, &all);
        pid_t pid = -1;
        /* glibc reaps a child whose exec failed before returning the error. */
        if (rc == 0) rc = posix_spawn(&pid, file, &fa, &attr, argv, envp);
        posix_spawn_file_actions_destroy(&fa);
        posix_spawnattr_destroy(&attr);
        if (rc == 0) {
            int pidfd = cuv_pidfd_open(pid);
            if (pidfd < 0) {
                /* No way to learn of its exit: stop it now rather than leak it. */
                kill(-pid, SIGKILL);
                while (waitpid(pid, NULL, 0) < 0 && errno == EINTR) {}
                rc = -pidfd;
            } else {
                *pid_out = pid;
                *pidfd_out = pidfd;
            }
        }
    }
    close(out_p[1]);
    close(err_p[1]);
    if (in_p[0] >= 0) close(in_p[0]);
    if (rc != 0) {
        close(out_p[0]);
        close(err_p[0]);
        if (in_p[1] >= 0) close(in_p[1]);
        return -rc;
    }
    parent_fds[0] = in_p[1];
    parent_fds[1] = out_p[0];
    parent_fds[2] = err_p[0];
    return 0;
}

/* CPU time used so far by process pid, all its threads, in nanoseconds (the kernel's
 * per-process CPU clock); -errno when it cannot be read (gone, reaped). */
static inline int64_t cuv_process_cpu_ns(pid_t pid) {
    clockid_t clock;
    int rc = clock_getcpuclockid(pid, &clock);
    if (rc != 0) return -rc;
    struct timespec ts;
    if (clock_gettime(clock, &ts) != 0) return -errno;
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* Reaps pid without blocking: 1 = reaped (status decoded as libuv does), 0 = still running,
 * -errno on error (ECHILD: someone else reaped it). */
static inline int cuv_reap(pid_t pid, int64_t *exit_status, int *term_signal) {
    int status = 0;
    pid_t r;
    do r = waitpid(pid, &status, WNOHANG); while (r < 0 && errno == EINTR);
    if (r == 0) return 0;
    if (r < 0) return -errno;
    *exit_status = WIFEXITED(status) ? WEXITSTATUS(status) : 0;
    *term_signal = WIFSIGNALED(status) ? WTERMSIG(status) : 0;
    return 1;
}

#endif
