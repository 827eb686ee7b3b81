/*
 * Stand-alone check harness for the PBKDF2 core without Node (used to test the ARMv8 path under
 * qemu-user with a cross compiler). Reads lines "hash path iterations keylen salt_hex pw_hex
 * [pw_hex...]" on stdin ('-' for an empty hex field), prints one line of hex keys per input line,
 * or "unavailable" when this CPU cannot run the path. `kat --paths` lists runnable paths.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "../src/kdf.h"

static size_t unhex(const char *s, uint8_t *out) {
  if (strcmp(s, "-") == 0) return 0;
  size_t n = strlen(s) / 2;
  for (size_t i = 0; i < n; i++) sscanf(s + 2 * i, "%2hhx", &out[i]);
  return n;
}

int main(int argc, char **argv) {
  if (argc > 1 && strcmp(argv[1], "--paths") == 0) {
    const path_t *list[32];
    int avail[32];
    size_t n = kdf_paths(list, avail, 32);
    for (size_t i = 0; i < n; i++) if (avail[i]) printf("%s %u\n", list[i]->name, list[i]->width);
    return 0;
  }
  static char line[1 << 16];
  while (fgets(line, sizeof line, stdin)) {
    char *tok[64];
    int nt = 0;
    for (char *t = strtok(line, " \n"); t && nt < 64; t = strtok(NULL, " \n")) tok[nt++] = t;
    if (nt < 6) continue;
    const path_t *path = kdf_find_path(tok[1]);
    if (!path) { puts("unavailable"); continue; }
    kdf_hash_t hash = strcmp(tok[0], "sha1") == 0 ? KDF_SHA1 : KDF_SHA256;
    uint64_t iterations = strtoull(tok[2], NULL, 10);
    size_t dklen = strtoul(tok[3], NULL, 10);
    static uint8_t salt[4096], pwbuf[58][2048];
    size_t saltlen = unhex(tok[4], salt);
    const uint8_t *pw[58];
    size_t pwlen[58], n = 0;
    for (int i = 5; i < nt; i++, n++) { pwlen[n] = unhex(tok[i], pwbuf[n]); pw[n] = pwbuf[n]; }
    uint8_t *out = malloc(n * dklen);
    if (kdf_pbkdf2_batch(hash, path, pw, pwlen, n, salt, saltlen, iterations, out, dklen, NULL) != 0) { puts("error"); free(out); continue; }
    for (size_t i = 0; i < n * dklen; i++) printf("%02x", out[i]);
    putchar('\n');
    free(out);
  }
  return 0;
}
