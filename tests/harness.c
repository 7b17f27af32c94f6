/*
** tests/harness.c: registry and runner for TEST() cases (see harness.h).
** Optional argument: a substring; only tests whose names contain it run.
** May call: libc.
*/
#include "tests/harness.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define TH_MAX 4096

static struct { const char *name; th_fn_t fn; } tests[TH_MAX];
static int ntests;
static int current_failed;
static const char *current_name;
static char tmpdir[256];

void th_register(const char *name, th_fn_t fn)
{
    if (ntests < TH_MAX) {
        tests[ntests].name = name;
        tests[ntests].fn = fn;
        ntests++;
    }
}

void th_fail(const char *file, int line, const char *fmt, ...)
{
    va_list ap;
    if (current_failed)
        return;
    current_failed = 1;
    printf("FAIL %s: %s:%d: ", current_name, file, line);
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    printf("\n");
}

int th_failed(void) { return current_failed; }

const char *th_vectors(void)
{
    const char *v = getenv("VECTORS");
    return v && *v ? v : "tests/vectors";
}

const char *th_bindir(void)
{
    const char *v = getenv("BINDIR");
    return v && *v ? v : "build/rel/bin";
}

const char *th_tmpdir(void) { return tmpdir; }

uint8_t *th_read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    uint8_t *buf = NULL;
    size_t n = 0, cap = 0;
    if (!f)
        return NULL;
    for (;;) {
        if (n == cap) {
            uint8_t *nb;
            cap = cap ? cap * 2 : 65536;
            nb = realloc(buf, cap);
            if (!nb) { free(buf); fclose(f); return NULL; }
            buf = nb;
        }
        size_t r = fread(buf + n, 1, cap - n, f);
        if (r == 0)
            break;
        n += r;
    }
    fclose(f);
    *len = n;
    if (!buf)
        buf = malloc(1);
    return buf;
}

int th_write_file(const char *path, const void *data, size_t len)
{
    FILE *f = fopen(path, "wb");
    if (!f)
        return -1;
    if (fwrite(data, 1, len, f) != len) { fclose(f); return -1; }
    return fclose(f);
}

void th_buf_add(th_buf_t *b, const char *s, size_t n)
{
    if (b->len + n + 1 > b->cap) {
        b->cap = (b->len + n + 1) * 2;
        b->p = realloc(b->p, b->cap);
        if (!b->p) {
            fprintf(stderr, "harness: out of memory\n");
            exit(1);
        }
    }
    memcpy(b->p + b->len, s, n);
    b->len += n;
    b->p[b->len] = 0;
}

void th_buf_reset(th_buf_t *b)
{
    b->len = 0;
    th_buf_add(b, "", 0);
}

long th_first_diff(const uint8_t *a, size_t na, const uint8_t *b, size_t nb)
{
    size_t n = na < nb ? na : nb;
    for (size_t i = 0; i < n; i++)
        if (a[i] != b[i])
            return (long)i;
    return na == nb ? -1 : (long)n;
}

uint8_t *th_read_vector(const char *rel, size_t *len)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", th_vectors(), rel);
    return th_read_file(path, len);
}

/* ---- MANIFEST.tsv ------------------------------------------------------ */

#define TH_MAX_ROWS 256
#define TH_COLS 7       /* output variant options inputs sha256
                           payload_sha256 size */

int th_manifest(const char *prefix, int ncol, const char *variant,
                th_row_t **rows)
{
    char path[512];
    size_t n;
    snprintf(path, sizeof path, "%s/MANIFEST.tsv", th_vectors());
    char *text = (char *)th_read_file(path, &n);
    if (!text)
        return -1;
    text = realloc(text, n + 1);
    text[n] = 0;
    int count = 0;
    *rows = calloc(TH_MAX_ROWS, sizeof **rows);
    for (char *line = strtok(text, "\n"); line && count < TH_MAX_ROWS;
         line = strtok(NULL, "\n")) {
        char *f[TH_COLS] = { 0 };
        int k = 0;
        for (char *p = line; k < TH_COLS; k++) {
            f[k] = p;
            p = strchr(p, '\t');
            if (!p)
                break;
            *p++ = 0;
        }
        if (strncmp(f[0], prefix, strlen(prefix)) != 0 || !f[ncol - 1] ||
            (variant && strcmp(f[1], variant) != 0))
            continue;
        th_row_t *r = &(*rows)[count++];
        snprintf(r->output, sizeof r->output, "%s", f[0]);
        snprintf(r->variant, sizeof r->variant, "%s", f[1]);
        snprintf(r->options, sizeof r->options, "%s", f[2]);
        snprintf(r->inputs, sizeof r->inputs, "%s", f[3]);
        snprintf(r->size, sizeof r->size, "%s", f[6] ? f[6] : "");
    }
    free(text);
    return count;
}

uint8_t *th_luac_row(const th_row_t *r, const char *dir, const char *args,
                     int *status, size_t *len)
{
    char out[512], opts[512] = "", cmd[4096], copy[256];
    size_t k = 0;
    *status = -1;
    snprintf(out, sizeof out, "%s/%s", th_tmpdir(),
             strrchr(r->output, '/') + 1);
    snprintf(copy, sizeof copy, "%s", r->options);
    for (char *t = strtok(copy, " "); t; t = strtok(NULL, " ")) {
        if (strcmp(t, "-o") == 0) {
            strtok(NULL, " ");
            k += (size_t)snprintf(opts + k, sizeof opts - k, "-o '%s' ", out);
        } else {
            k += (size_t)snprintf(opts + k, sizeof opts - k, "%s ", t);
        }
        if (k >= sizeof opts)
            return NULL;
    }
    snprintf(cmd, sizeof cmd, "cd '%s/src/%s' && '%s/luac.cross' %s %s %s"
             " >/dev/null", th_vectors(), dir, th_bindir(), args, opts,
             r->inputs);
    *status = system(cmd);
    return *status == 0 ? th_read_file(out, len) : NULL;
}

int main(int argc, char **argv)
{
    int passed = 0, failed = 0;
    const char *filter = argc > 1 ? argv[1] : NULL;
    snprintf(tmpdir, sizeof tmpdir, "%s/lfs-test-%ld",
             getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp", (long)getpid());
    mkdir(tmpdir, 0700);
    setvbuf(stdout, NULL, _IOLBF, 0);
    for (int i = 0; i < ntests; i++) {
        if (filter && !strstr(tests[i].name, filter))
            continue;
        current_failed = 0;
        current_name = tests[i].name;
        tests[i].fn();
        if (current_failed) {
            failed++;
        } else {
            printf("PASS %s\n", tests[i].name);
            passed++;
        }
    }
    printf("%d passed, %d failed\n", passed, failed);
    return failed ? 1 : 0;
}
