/* spawnloop.c: the machine's physical limit for the spawn path. It keeps N children of the fake
 * CLI in flight with posix_spawn (glibc uses CLONE_VM|CLONE_VFORK, so the cost does not grow with
 * our RSS) for S seconds and prints one JSON line: spawns/s and the p50/p99 of spawn-to-reap.
 * Like the gateway it gives each child its own session (POSIX_SPAWN_SETSID), stdin from
 * /dev/null and stdout on a pipe that it drains, so the only thing missing is HTTP and JSON.
 * Mode "fork" spawns the way libuv 1.44 does on Linux instead: fork(), then the parent blocks on
 * a CLOEXEC pipe until the child has exec'd. Its cost grows with the parent's mappings, so
 * running it with LD_PRELOAD of the server's libraries shows what they cost per spawn.
 * Mode "devnull" (issue 15's bare loop) sends stdout to /dev/null and learns of each exit from a
 * pidfd, so there is no pipe to drain at all: the floor under any gateway.
 *   usage: spawnloop <fakecli> <inflight> <seconds> [posix_spawn|fork|devnull] */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;
/* The children's environment: ours without LD_PRELOAD, which is only meant for this loop. */
static char **child_env;

struct slot {
  pid_t pid;
  int fd;
  double started;
};

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

static int use_fork;

/* libuv 1.44's way (src/unix/process.c): fork, set up the child, exec; the parent waits until a
 * CLOEXEC pipe closes (exec succeeded) or carries the child's errno. */
static int fork_exec(pid_t *pid, const char *path, int out, char **argv) {
  int sig[2];
  if (pipe2(sig, O_CLOEXEC) != 0) return errno;
  pid_t child = fork();
  if (child < 0) {
    int err = errno;
    close(sig[0]);
    close(sig[1]);
    return err;
  }
  if (child == 0) {
    setsid();
    int devnull = open("/dev/null", O_RDONLY);
    dup2(devnull, 0);
    dup2(out, 1);
    execve(path, argv, child_env);
    int err = errno;
    (void)!write(sig[1], &err, sizeof err);
    _exit(127);
  }
  close(sig[1]);
  int err = 0;
  ssize_t r;
  while ((r = read(sig[0], &err, sizeof err)) < 0 && errno == EINTR) {}
  close(sig[0]);
  *pid = child;
  return r > 0 ? err : 0;
}

static int use_devnull;

/* posix_spawn with the gateway's attributes: own session, stdin from /dev/null, stdout on
 * `out_fd`, or on /dev/null when it is -1. */
static int spawn_child(struct slot *s, const char *path, int out_fd) {
  posix_spawn_file_actions_t fa;
  posix_spawnattr_t at;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
  if (out_fd >= 0) posix_spawn_file_actions_adddup2(&fa, out_fd, 1);
  else posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
  posix_spawnattr_init(&at);
  posix_spawnattr_setflags(&at, POSIX_SPAWN_SETSID);
  char *argv[] = {(char *)path, "get", "pods", NULL};
  s->started = now();
  int rc = posix_spawn(&s->pid, path, &fa, &at, argv, child_env);
  posix_spawn_file_actions_destroy(&fa);
  posix_spawnattr_destroy(&at);
  return rc;
}

static int start(struct slot *s, const char *path) {
  if (use_devnull) {
    int rc = spawn_child(s, path, -1);
    if (rc != 0) { errno = rc; return -1; }
    /* The pidfd turns readable at exit; read() on it fails, which the loop takes as "done". */
    s->fd = (int)syscall(434 /* pidfd_open */, s->pid, 0);
    return s->fd < 0 ? -1 : 0;
  }
  int p[2];
  if (pipe2(p, O_CLOEXEC) != 0) return -1;
  if (use_fork) {
    char *fargv[] = {(char *)path, "get", "pods", NULL};
    s->started = now();
    int rc = fork_exec(&s->pid, path, p[1], fargv);
    close(p[1]);
    if (rc != 0) {
      close(p[0]);
      errno = rc;
      return -1;
    }
    s->fd = p[0];
    return 0;
  }
  int rc = spawn_child(s, path, p[1]);
  close(p[1]);
  if (rc != 0) {
    close(p[0]);
    errno = rc;
    return -1;
  }
  s->fd = p[0];
  return 0;
}

int main(int argc, char **argv) {
  if (argc != 4 && argc != 5) {
    fprintf(stderr, "usage: %s <fakecli> <inflight> <seconds> [posix_spawn|fork|devnull]\n", argv[0]);
    return 2;
  }
  use_fork = argc == 5 && strcmp(argv[4], "fork") == 0;
  use_devnull = argc == 5 && strcmp(argv[4], "devnull") == 0;
  size_t nenv = 0;
  while (environ[nenv]) nenv++;
  child_env = calloc(nenv + 1, sizeof *child_env);
  if (!child_env) return 1;
  for (size_t i = 0, j = 0; i < nenv; i++)
    if (strncmp(environ[i], "LD_PRELOAD=", 11) != 0) child_env[j++] = environ[i];
  const char *path = argv[1];
  int n = atoi(argv[2]);
  double seconds = atof(argv[3]);
  if (n < 1 || n > 4096 || seconds <= 0) return 2;
  struct slot *slots = calloc((size_t)n, sizeof *slots);
  struct pollfd *pfds = calloc((size_t)n, sizeof *pfds);
  size_t cap = 1 << 20, count = 0;
  double *lat = malloc(cap * sizeof *lat);
  if (!slots || !pfds || !lat) return 1;
  double t0 = now(), deadline = t0 + seconds;
  for (int i = 0; i < n; i++)
    if (start(&slots[i], path) != 0) { perror("posix_spawn"); return 1; }
  int live = n;
  char buf[4096];
  while (live > 0) {
    /* A child is done once its pipe is at EOF and it has been reaped, as in the gateway. */
    for (int i = 0; i < n; i++) {
      pfds[i].fd = slots[i].fd;
      pfds[i].events = POLLIN;
      pfds[i].revents = 0;
    }
    if (poll(pfds, (nfds_t)n, 1000) < 0 && errno != EINTR) { perror("poll"); return 1; }
    for (int i = 0; i < n; i++) {
      struct slot *s = &slots[i];
      if (s->fd < 0 || !(pfds[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
      ssize_t r = read(s->fd, buf, sizeof buf);
      if (r > 0 || (r < 0 && errno == EINTR)) continue;
      close(s->fd);
      s->fd = -1;
      int status;
      while (waitpid(s->pid, &status, 0) < 0 && errno == EINTR) {}
      if (count == cap) {
        cap *= 2;
        double *grown = realloc(lat, cap * sizeof *lat);
        if (!grown) return 1;
        lat = grown;
      }
      double t = now();
      lat[count++] = t - s->started;
      if (t < deadline) {
        if (start(s, path) != 0) { perror("posix_spawn"); return 1; }
      } else {
        live--;
      }
    }
  }
  double elapsed = now() - t0;
  /* The loop's own CPU (not its children's): what spawning costs the parent, comparable with
   * the gateway's CPU per request. */
  struct rusage ru;
  getrusage(RUSAGE_SELF, &ru);
  double cpu = (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 +
               (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
  qsort(lat, count, sizeof *lat, cmp_double);
  double p50 = count ? lat[count / 2] : 0, p99 = count ? lat[(size_t)((double)count * 0.99)] : 0;
  printf("{\"spawns\": %zu, \"seconds\": %.3f, \"rps\": %.1f, \"p50_ms\": %.3f, \"p99_ms\": %.3f, "
         "\"parent_cpu_us\": %.1f}\n",
         count, elapsed, (double)count / elapsed, p50 * 1e3, p99 * 1e3, count ? cpu / (double)count * 1e6 : 0);
  return 0;
}
