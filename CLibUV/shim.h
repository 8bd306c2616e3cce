/* CLibUV shim: exposes libuv to Swift. A system-library target cannot hold .c files, so
 * every helper here is static inline. They exist because Swift cannot express C casts
 * between handle types, union members of uv_stdio_container_t, or errno reads in one place. */
#ifndef CLIBUV_SHIM_H
#define CLIBUV_SHIM_H

#include <uv.h>
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <unistd.h>
#include <sys/types.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/stat.h>
#include <sys/resource.h>
#include <netinet/in.h>
#include <netinet/tcp.h>

static inline uv_handle_t *cuv_handle(void *h) { return (uv_handle_t *)h; }
static inline uv_stream_t *cuv_stream(void *h) { return (uv_stream_t *)h; }

/* uv_stdio_container_t holds a union; Swift imports it awkwardly, so set it here. */
static inline void cuv_stdio_ignore(uv_stdio_container_t *c) {
    c->flags = UV_IGNORE;
    c->data.fd = -1;
}
static inline void cuv_stdio_pipe(uv_stdio_container_t *c, uv_pipe_t *pipe, int writable_by_child) {
    c->flags = (uv_stdio_flags)(UV_CREATE_PIPE | (writable_by_child ? UV_WRITABLE_PIPE : UV_READABLE_PIPE));
    c->data.stream = (uv_stream_t *)pipe;
}
static inline void cuv_stdio_fd(uv_stdio_container_t *c, int fd) {
    c->flags = UV_INHERIT_FD;
    c->data.fd = fd;
}

/* kill(2) on a whole process group; libuv has no API for it (uv_process_kill is kill(pid)). */
static inline int cuv_kill_group(int pid, int sig) {
    if (pid <= 0) return UV_EINVAL;
    return kill(-pid, sig) == 0 ? 0 : -errno;
}

/* Ignore SIGPIPE; SIGCHLD back to default so children stay waitable (libuv reaps through its own
 * SIGCHLD watcher, the posix_spawn spawner through pidfds); descriptors 0-2 opened on /dev/null
 * when the server was started without them, so no socket or pipe ever lands on a stdio number. */
static inline void cuv_process_hygiene(void) {
    signal(SIGPIPE, SIG_IGN);
    signal(SIGCHLD, SIG_DFL);
    for (int fd = 0; fd < 3; fd++) {
        if (fcntl(fd, F_GETFD) < 0 && errno == EBADF) {
            int got = open("/dev/null", O_RDWR);
            if (got >= 0 && got != fd) close(got);
        }
    }
    uv_disable_stdio_inheritance();
}

static inline size_t cuv_write_queue_size(uv_stream_t *s) { return s->write_queue_size; }

static inline int cuv_errno(void) { return errno; }

/* Datagram send for sd_notify (NOTIFY_SOCKET); abstract names start with '@'. */
static inline int cuv_sd_notify(const char *path, const char *msg, size_t len) {
    if (path == NULL || path[0] == 0) return 0;
    int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return -errno;
    struct sockaddr_un addr;
    memset(&addr, 0, sizeof(addr));
    addr.sun_family = AF_UNIX;
    size_t plen = strlen(path);
    if (plen >= sizeof(addr.sun_path)) { close(fd); return UV_EINVAL; }
    memcpy(addr.sun_path, path, plen);
    if (path[0] == '@') addr.sun_path[0] = 0;
    socklen_t alen = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + plen);
    ssize_t n = sendto(fd, msg, len, MSG_NOSIGNAL, (struct sockaddr *)&addr, alen);
    int err = n < 0 ? -errno : 0;
    close(fd);
    return err;
}

static inline int cuv_set_reuseport(int fd) {
    int one = 1;
    return setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &one, sizeof(one)) == 0 ? 0 : -errno;
}

#endif
