/*
 * The ceiling recover is measured against (issue #5): the addon's C kernels driven straight from
 * C, one pthread per core, no Node, no JavaScript, no pool. Each thread derives batches of the
 * path's lane width (PBKDF2-HMAC-SHA256, 32-byte key) until the time is up.
 *
 *   kernel-bench PATH|all THREADS SECONDS ITERATIONS
 *
 * Prints one JSON object per path: {"path", "threads", "iterations", "guesses", "seconds",
 * "guessesPerSecond"}. "all" measures every path this CPU runs (one thread each unless THREADS).
 * Built on demand by bench/kdf.ts (src/kdf/kernel-ceiling.ts) with the system C compiler.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "../src/kdf.h"

typedef struct {
  const path_t *path;
  double seconds;
  uint64_t iterations;
  uint64_t done;
  double elapsed;
  int id;
} job_t;

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void *worker(void *arg) {
  job_t *j = arg;
  unsigned w = j->path->width;
  uint8_t pwbuf[128][16];
  const uint8_t *pw[128];
  size_t len[128];
  uint8_t out[128 * 32];
  const uint8_t salt[20] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20};
  double t0 = now();
  uint64_t round = 0;
  do {
    for (unsigned i = 0; i < w; i++) {
      len[i] = (size_t)snprintf((char *)pwbuf[i], sizeof pwbuf[i], "t%d-%llu-%u", j->id, (unsigned long long)round, i);
      pw[i] = pwbuf[i];
    }
    if (kdf_pbkdf2_batch(KDF_SHA256, j->path, pw, len, w, salt, sizeof salt, j->iterations, out, 32, NULL) != 0) break;
    j->done += w;
    round++;
  } while (now() - t0 < j->seconds);
  j->elapsed = now() - t0;
  return NULL;
}

static void run(const path_t *path, int threads, double seconds, uint64_t iterations) {
  pthread_t tid[256];
  job_t jobs[256];
  for (int t = 0; t < threads; t++) {
    jobs[t] = (job_t){path, seconds, iterations, 0, 0, t};
    pthread_create(&tid[t], NULL, worker, &jobs[t]);
  }
  double rate = 0;
  uint64_t total = 0;
  double longest = 0;
  for (int t = 0; t < threads; t++) {
    pthread_join(tid[t], NULL);
    rate += jobs[t].done / jobs[t].elapsed; /* each thread's own rate over its own whole batches */
    total += jobs[t].done;
    if (jobs[t].elapsed > longest) longest = jobs[t].elapsed;
  }
  printf("{\"path\":\"%s\",\"threads\":%d,\"iterations\":%llu,\"guesses\":%llu,\"seconds\":%.3f,\"guessesPerSecond\":%.4f}\n", path->name, threads,
         (unsigned long long)iterations, (unsigned long long)total, longest, rate);
  fflush(stdout);
}

int main(int argc, char **argv) {
  if (argc != 5) {
    fprintf(stderr, "usage: kernel-bench PATH|all THREADS SECONDS ITERATIONS\n");
    return 2;
  }
  int threads = atoi(argv[2]);
  double seconds = atof(argv[3]);
  uint64_t iterations = strtoull(argv[4], NULL, 10);
  if (threads < 1 || threads > 256 || seconds <= 0 || iterations < 1) {
    fprintf(stderr, "kernel-bench: bad arguments\n");
    return 2;
  }
  if (strcmp(argv[1], "all") == 0) {
    const path_t *list[32];
    int avail[32];
    size_t n = kdf_paths(list, avail, 32);
    for (size_t i = 0; i < n; i++)
      if (avail[i]) run(list[i], threads, seconds, iterations);
    return 0;
  }
  const path_t *p = kdf_find_path(argv[1]);
  if (!p) {
    fprintf(stderr, "kernel-bench: path %s is unknown or not runnable here\n", argv[1]);
    return 3;
  }
  run(p, threads, seconds, iterations);
  return 0;
}
