/*
 * N-API glue (plain C, no node-addon-api). pbkdf2Batch() copies its inputs, runs the batch on its
 * own thread (not libuv's pool, so long batches never stall file I/O) and settles a promise through
 * a thread-safe function. Cancellation: the caller passes an Int32Array; setting element 0 to a
 * non-zero value stops the batch within KDF_CANCEL_STRIDE iterations (well under 100 ms).
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#define NAPI_VERSION 8
#include <node_api.h>
#include "kdf.h"

typedef struct {
  napi_deferred deferred;
  napi_threadsafe_function tsfn;
  napi_ref cancel_ref;
  const volatile int32_t *cancel;
  kdf_hash_t hash;
  const path_t *path;
  uint8_t **pw;
  size_t *pwlen;
  size_t n;
  uint8_t *salt;
  size_t saltlen;
  uint64_t iterations;
  size_t dklen;
  uint8_t *out;
  int rc;
} job_t;

#define CHECK(call) do { if ((call) != napi_ok) { napi_throw_error(env, NULL, "irescue-native: " #call " failed"); return NULL; } } while (0)

static void job_free(job_t *j) {
  if (!j) return;
  if (j->pw)
    for (size_t i = 0; i < j->n; i++) {
      if (j->pw[i]) kdf_wipe(j->pw[i], j->pwlen[i]);
      free(j->pw[i]);
    }
  free(j->pw);
  free(j->pwlen);
  free(j->salt);
  if (j->out) kdf_wipe(j->out, j->n * j->dklen);
  free(j->out);
  free(j);
}

static int get_bytes(napi_env env, napi_value v, uint8_t **data, size_t *len) {
  bool is_ta = false;
  if (napi_is_typedarray(env, v, &is_ta) != napi_ok || !is_ta) return 0;
  napi_typedarray_type type;
  size_t length, offset;
  void *p;
  napi_value ab;
  if (napi_get_typedarray_info(env, v, &type, &length, &p, &ab, &offset) != napi_ok) return 0;
  if (type != napi_uint8_array && type != napi_uint8_clamped_array && type != napi_int8_array) return 0;
  *data = p;
  *len = length;
  return 1;
}

static void settle(napi_env env, napi_value js_cb, void *context, void *data) {
  job_t *j = data;
  if (env != NULL) {
    napi_value result;
    if (j->rc == 0) {
      void *copy;
      if (napi_create_buffer_copy(env, j->n * j->dklen, j->out, &copy, &result) == napi_ok)
        napi_resolve_deferred(env, j->deferred, result);
    } else {
      napi_value msg, code;
      const char *text = j->rc == -1 ? "PBKDF2 batch cancelled" : "PBKDF2 batch: out of memory";
      napi_create_string_utf8(env, text, NAPI_AUTO_LENGTH, &msg);
      napi_create_error(env, NULL, msg, &result);
      napi_create_string_utf8(env, j->rc == -1 ? "CANCELLED" : "ENOMEM", NAPI_AUTO_LENGTH, &code);
      napi_set_named_property(env, result, "code", code);
      napi_reject_deferred(env, j->deferred, result);
    }
    if (j->cancel_ref) napi_delete_reference(env, j->cancel_ref);
  }
  job_free(j);
}

static void *worker(void *arg) {
  job_t *j = arg;
  napi_threadsafe_function tsfn = j->tsfn;
  j->rc = kdf_pbkdf2_batch(j->hash, j->path, (const uint8_t *const *)j->pw, j->pwlen, j->n, j->salt, j->saltlen,
                           j->iterations, j->out, j->dklen, j->cancel);
  napi_call_threadsafe_function(tsfn, j, napi_tsfn_blocking);
  napi_release_threadsafe_function(tsfn, napi_tsfn_release);
  return NULL;
}

/* pbkdf2Batch(passwords: Uint8Array[], salt, iterations, keyLength, hash: 'sha1'|'sha256', path: string, cancel?: Int32Array) */
static napi_value pbkdf2_batch(napi_env env, napi_callback_info info) {
  size_t argc = 7;
  napi_value argv[7];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (argc < 6) { napi_throw_type_error(env, NULL, "pbkdf2Batch: expected 6 or 7 arguments"); return NULL; }
  bool is_array;
  uint32_t n;
  CHECK(napi_is_array(env, argv[0], &is_array));
  if (!is_array) { napi_throw_type_error(env, NULL, "pbkdf2Batch: passwords must be an array"); return NULL; }
  CHECK(napi_get_array_length(env, argv[0], &n));
  uint8_t *salt;
  size_t saltlen;
  if (!get_bytes(env, argv[1], &salt, &saltlen)) { napi_throw_type_error(env, NULL, "pbkdf2Batch: salt must be a Uint8Array"); return NULL; }
  double iterations, dklen;
  CHECK(napi_get_value_double(env, argv[2], &iterations));
  CHECK(napi_get_value_double(env, argv[3], &dklen));
  if (!(iterations >= 1 && iterations <= 4294967295.0) || iterations != (double)(uint64_t)iterations) {
    napi_throw_range_error(env, NULL, "pbkdf2Batch: iterations must be an integer from 1 to 2^32-1"); return NULL;
  }
  if (!(dklen >= 1 && dklen <= 1024) || dklen != (double)(uint64_t)dklen) {
    napi_throw_range_error(env, NULL, "pbkdf2Batch: keyLength must be an integer from 1 to 1024"); return NULL;
  }
  char hash[16], pathname[32];
  size_t len;
  CHECK(napi_get_value_string_utf8(env, argv[4], hash, sizeof hash, &len));
  CHECK(napi_get_value_string_utf8(env, argv[5], pathname, sizeof pathname, &len));
  kdf_hash_t h;
  if (strcmp(hash, "sha256") == 0) h = KDF_SHA256;
  else if (strcmp(hash, "sha1") == 0) h = KDF_SHA1;
  else { napi_throw_type_error(env, NULL, "pbkdf2Batch: hash must be 'sha1' or 'sha256'"); return NULL; }
  const path_t *path = kdf_find_path(pathname);
  if (!path) { napi_throw_error(env, NULL, "pbkdf2Batch: that path is unknown or this CPU cannot run it"); return NULL; }

  int32_t *cancel = NULL;
  if (argc >= 7) {
    napi_valuetype t;
    CHECK(napi_typeof(env, argv[6], &t));
    if (t != napi_undefined && t != napi_null) {
      bool is_ta = false;
      napi_typedarray_type type = napi_uint8_array;
      size_t length = 0, offset;
      void *p = NULL;
      napi_value ab;
      CHECK(napi_is_typedarray(env, argv[6], &is_ta));
      if (is_ta) CHECK(napi_get_typedarray_info(env, argv[6], &type, &length, &p, &ab, &offset));
      if (!is_ta || type != napi_int32_array || length < 1) { napi_throw_type_error(env, NULL, "pbkdf2Batch: cancel must be an Int32Array"); return NULL; }
      cancel = p;
    }
  }

  job_t *j = calloc(1, sizeof *j);
  if (!j) { napi_throw_error(env, NULL, "pbkdf2Batch: out of memory"); return NULL; }
  j->hash = h;
  j->path = path;
  j->n = n;
  j->iterations = (uint64_t)iterations;
  j->dklen = (size_t)dklen;
  j->cancel = cancel;
  j->pw = calloc(n ? n : 1, sizeof *j->pw);
  j->pwlen = calloc(n ? n : 1, sizeof *j->pwlen);
  j->salt = malloc(saltlen ? saltlen : 1);
  j->out = malloc(n * j->dklen > 0 ? n * j->dklen : 1);
  if (!j->pw || !j->pwlen || !j->salt || !j->out) { job_free(j); napi_throw_error(env, NULL, "pbkdf2Batch: out of memory"); return NULL; }
  memcpy(j->salt, salt, saltlen);
  j->saltlen = saltlen;
  for (uint32_t i = 0; i < n; i++) {
    napi_value el;
    uint8_t *p;
    size_t l;
    if (napi_get_element(env, argv[0], i, &el) != napi_ok || !get_bytes(env, el, &p, &l)) {
      job_free(j); napi_throw_type_error(env, NULL, "pbkdf2Batch: every password must be a Uint8Array"); return NULL;
    }
    j->pw[i] = malloc(l ? l : 1);
    if (!j->pw[i]) { job_free(j); napi_throw_error(env, NULL, "pbkdf2Batch: out of memory"); return NULL; }
    memcpy(j->pw[i], p, l);
    j->pwlen[i] = l;
  }

  napi_value promise, name;
  if (cancel) CHECK(napi_create_reference(env, argv[6], 1, &j->cancel_ref));
  CHECK(napi_create_promise(env, &j->deferred, &promise));
  CHECK(napi_create_string_utf8(env, "irescue-pbkdf2", NAPI_AUTO_LENGTH, &name));
  CHECK(napi_create_threadsafe_function(env, NULL, NULL, name, 0, 1, NULL, NULL, NULL, settle, &j->tsfn));
  pthread_t th;
  pthread_attr_t attr;
  pthread_attr_init(&attr);
  pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
  int err = pthread_create(&th, &attr, worker, j);
  pthread_attr_destroy(&attr);
  if (err != 0) {
    napi_release_threadsafe_function(j->tsfn, napi_tsfn_abort);
    if (j->cancel_ref) napi_delete_reference(env, j->cancel_ref);
    napi_value msg, e;
    napi_create_string_utf8(env, "pbkdf2Batch: could not start a thread", NAPI_AUTO_LENGTH, &msg);
    napi_create_error(env, NULL, msg, &e);
    napi_reject_deferred(env, j->deferred, e);
    job_free(j);
  }
  return promise;
}

/* paths(): [{ name, description, lanes, available }] */
static napi_value paths(napi_env env, napi_callback_info info) {
  const path_t *list[32];
  int avail[32];
  size_t n = kdf_paths(list, avail, 32);
  napi_value arr;
  CHECK(napi_create_array_with_length(env, n, &arr));
  for (size_t i = 0; i < n; i++) {
    napi_value o, v;
    CHECK(napi_create_object(env, &o));
    CHECK(napi_create_string_utf8(env, list[i]->name, NAPI_AUTO_LENGTH, &v));
    CHECK(napi_set_named_property(env, o, "name", v));
    CHECK(napi_create_string_utf8(env, list[i]->description, NAPI_AUTO_LENGTH, &v));
    CHECK(napi_set_named_property(env, o, "description", v));
    CHECK(napi_create_uint32(env, list[i]->width, &v));
    CHECK(napi_set_named_property(env, o, "lanes", v));
    CHECK(napi_get_boolean(env, avail[i], &v));
    CHECK(napi_set_named_property(env, o, "available", v));
    CHECK(napi_set_element(env, arr, (uint32_t)i, o));
  }
  return arr;
}

/* cpuFeatures(): { shaNi, sse41, avx2, avx512, armv8Sha2 } */
static napi_value cpu_features(napi_env env, napi_callback_info info) {
  cpu_features_t f;
  cpu_detect(&f);
  napi_value o, v;
  CHECK(napi_create_object(env, &o));
#define SET(key, val) CHECK(napi_get_boolean(env, (val) != 0, &v)); CHECK(napi_set_named_property(env, o, key, v))
  SET("shaNi", f.sha_ni);
  SET("sse41", f.sse41);
  SET("avx2", f.avx2);
  SET("avx512", f.avx512);
  SET("armv8Sha2", f.armv8_sha2);
#undef SET
  return o;
}

static napi_value init(napi_env env, napi_value exports) {
  napi_property_descriptor props[] = {
    {"pbkdf2Batch", NULL, pbkdf2_batch, NULL, NULL, NULL, napi_enumerable, NULL},
    {"paths", NULL, paths, NULL, NULL, NULL, napi_enumerable, NULL},
    {"cpuFeatures", NULL, cpu_features, NULL, NULL, NULL, napi_enumerable, NULL},
  };
  CHECK(napi_define_properties(env, exports, sizeof props / sizeof props[0], props));
  return exports;
}

NAPI_MODULE(NODE_GYP_MODULE_NAME, init)
