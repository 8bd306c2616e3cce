/* fakecli.c: the fake kubectl the benchmarks spawn. It does as little as a CLI can, so a
 * benchmark measures the gateway and process creation, not the tool.
 *   fakecli ...                 prints "ok\n"
 *   fakecli ... sleep S ...     sleeps S seconds (may be fractional), then prints "ok\n"
 *   fakecli ... bytes N ...     writes N bytes of text in 64 KiB blocks (lines of 63 'x' + '\n')
 * The mode words are looked for anywhere in argv because the gateway may add flags around the
 * user's words (`kubectl get sleep 1` reaches us as `get sleep 1`). Static buffers, no stdio,
 * so the child does no allocation beyond what the dynamic loader needs. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static char block[65536];

static int write_all(const char *p, size_t n) {
  while (n > 0) {
    ssize_t w = write(1, p, n);
    if (w < 0) {
      if (errno == EINTR) continue;
      return -1;
    }
    p += w;
    n -= (size_t)w;
  }
  return 0;
}

int main(int argc, char **argv) {
  double sleep_s = 0;
  long long bytes = -1;
  for (int i = 1; i + 1 < argc; i++) {
    if (strcmp(argv[i], "sleep") == 0) sleep_s = strtod(argv[i + 1], NULL);
    if (strcmp(argv[i], "bytes") == 0) bytes = strtoll(argv[i + 1], NULL, 10);
  }
  if (sleep_s > 0) {
    struct timespec ts;
    ts.tv_sec = (time_t)sleep_s;
    ts.tv_nsec = (long)((sleep_s - (double)ts.tv_sec) * 1e9);
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {}
  }
  if (bytes < 0) return write_all("ok\n", 3) == 0 ? 0 : 1;
  for (size_t i = 0; i < sizeof block; i++) block[i] = (i % 64 == 63) ? '\n' : 'x';
  while (bytes > 0) {
    size_t n = bytes < (long long)sizeof block ? (size_t)bytes : sizeof block;
    if (write_all(block, n) != 0) return 1;
    bytes -= (long long)n;
  }
  return 0;
}
