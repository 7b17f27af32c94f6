/*
** tests/harness.h: the unit-test harness shared by every tests/test_*.c.
** A test is `TEST(test_<capability>_<case>) { ... }`; CHECK fails the
** current test with a message and returns from it. The harness prints one
** line per test, "PASS name" or "FAIL name: file:line: why", then
** "N passed, N failed", and exits non-zero if any test failed.
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
