/*
** tests/harness.h: the unit-test harness shared by every tests/test_*.c.
** A test is `TEST(test_<capability>_<case>) { ... }`; CHECK fails the
** current test with a message and returns from it. The harness prints one
** line per test, "PASS name" or "FAIL name: file:line: why", then
** "N passed, N failed", and exits non-zero if any test failed. Also the
** helpers of data-driven tests: files, the vectors and their manifest.
** May call: libc. Linked into every test program.
*/
#ifndef HARNESS_H
#define HARNESS_H

#include <stddef.h>
#include <stdint.h>

typedef void (*th_fn_t)(void);

void th_register(const char *name, th_fn_t fn);
void th_fail(const char *file, int line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
int th_failed(void);

/* Helpers for data-driven tests. */
const char *th_vectors(void);              /* $VECTORS or tests/vectors */
const char *th_bindir(void);               /* $BINDIR: the tools under test */
const char *th_tmpdir(void);               /* a fresh directory per program */
/* Read a whole file; NULL if it cannot be read. Free with free(). */
uint8_t *th_read_file(const char *path, size_t *len);
int th_write_file(const char *path, const void *data, size_t len);
/* Offset of the first differing byte, or -1 when equal. */
long th_first_diff(const uint8_t *a, size_t na, const uint8_t *b, size_t nb);
/* A growing byte buffer kept NUL-terminated (captured console output);
** p is a valid string after th_buf_reset. */
typedef struct th_buf {
    char *p;
    size_t len, cap;
} th_buf_t;
void th_buf_add(th_buf_t *b, const char *s, size_t n);
void th_buf_reset(th_buf_t *b);
/* Read the vector file $VECTORS/rel; NULL if it cannot be read. */
uint8_t *th_read_vector(const char *rel, size_t *len);

/* A row of the vectors' MANIFEST.tsv (tests/vectors/README.md): what
** luac.cross made the vector `output` ("lfs51/hello.img") from, and its
** size ("" in a row of fewer columns). */
typedef struct th_row {
    char output[128], variant[64], options[256], inputs[1024], size[32];
} th_row_t;

/* The rows (at most 256) whose output starts with prefix, that have at
** least ncol columns and, unless variant is NULL, that variant. *rows is
** malloc'ed (free it); -1 when MANIFEST.tsv cannot be read. */
int th_manifest(const char *prefix, int ncol, const char *variant,
                th_row_t **rows);
/* Rebuild a row's vector: luac.cross run in $VECTORS/src/<dir> with args,
** then the row's options (its "-o NAME" writing NAME in th_tmpdir()) and
** inputs. *status is system()'s; returns the output, read back (free it),
** or NULL when luac.cross failed or it cannot be read. */
uint8_t *th_luac_row(const th_row_t *r, const char *dir, const char *args,
                     int *status, size_t *len);

#define TEST(name)                                                       \
    static void name(void);                                              \
    __attribute__((constructor)) static void name##_register(void)       \
    { th_register(#name, name); }                                        \
    static void name(void)

#define CHECK(cond, ...)                                                 \
    do {                                                                 \
        if (!(cond)) {                                                   \
            th_fail(__FILE__, __LINE__, __VA_ARGS__);                    \
            return;                                                      \
        }                                                                \
    } while (0)

#endif
