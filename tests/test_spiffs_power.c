/*
** tests/test_spiffs_power.c: SPIFFS power-cut safety. Each operation the
** library offers (write of a new file, create + append, a loop of
** appends, replace, rename, remove, and each of those while garbage
** collection runs) is cut at every one of its flash programs and erases
** (the RAM backend's budget); then the "reboot" mounts the flash as the
** cut left it, as the firmware does (SPIFFS_MOUNT_REPAIR), and asserts:
** the mount succeeds, fsck finds nothing, the live page count is that of
** the files, every file holds its old or its new content (a loop of
** appends: the old content plus a whole number of the appends), a second
** mount writes nothing, and every file still takes an append.
** Spec: docs/spiffs.md §5.6. May call: the SPIFFS library, harness.
*/
#include "tests/harness.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "spiffs/spiffs.h"

/* ---- states: what the files may hold after a cut ------------------- */

#define MAXF 24

typedef struct pfile {
    char name[32];
    const uint8_t *data;
    uint32_t len;
} pfile_t;

/* The whole content of the file system: every file, any order. */
typedef struct state {
    pfile_t f[MAXF];
    int n;
} state_t;

static void st_put(state_t *s, const char *name, const uint8_t *d,
                   uint32_t len)
{
    for (int i = 0; i < s->n; i++) {
        if (strcmp(s->f[i].name, name) == 0) {
            s->f[i].data = d;
            s->f[i].len = len;
            return;
        }
    }
    snprintf(s->f[s->n].name, sizeof s->f[0].name, "%s", name);
    s->f[s->n].data = d;
    s->f[s->n++].len = len;
}

static const pfile_t *st_get(const state_t *s, const char *name)
{
    for (int i = 0; i < s->n; i++)
        if (strcmp(s->f[i].name, name) == 0)
            return &s->f[i];
    return NULL;
}

static void st_del(state_t *s, const char *name)
{
    for (int i = 0; i < s->n; i++)
        if (strcmp(s->f[i].name, name) == 0)
            s->f[i] = s->f[--s->n];
}

static uint32_t st_pages(const state_t *s)
{
    uint32_t p = 0;
    for (int i = 0; i < s->n; i++)
        p += spiffs_file_pages(s->f[i].len);
    return p;
}

struct count {
    int n;
};
static int count_cb(void *ctx, const spiffs_stat_t *st)
{
    (void)st;
    ((struct count *)ctx)->n++;
    return 0;
}

/* Does the file system hold exactly state s? */
static int st_matches(spiffs_t *fs, const state_t *s)
{
    struct count c = { 0 };
    static uint8_t got[70000];
    if (spiffs_list(fs, count_cb, &c) != 0 || c.n != s->n)
        return 0;
    for (int i = 0; i < s->n; i++) {
        long n = spiffs_read(fs, s->f[i].name, 0, got, sizeof got);
        if (n != (long)s->f[i].len ||
            (n > 0 && memcmp(got, s->f[i].data, (size_t)n) != 0))
            return 0;
    }
    return 1;
}

static char issue[256];
static void issue_cb(void *ctx, const spiffs_issue_t *is)
{
    (void)ctx;
    snprintf(issue, sizeof issue, "%s", is->msg);
}

/* ---- the rig: a flash image, its base copy and a mounted FS --------- */

typedef struct rig {
    uint8_t *buf, *base;
    uint32_t size;
    spiffs_ram_t ram;
    spiffs_config_t cfg;
    spiffs_t fs;
} rig_t;

static int rig_new(rig_t *rg, uint32_t size)
{
    rg->size = size;
    rg->buf = malloc(size);
    rg->base = malloc(size);
    if (!rg->buf || !rg->base)
        return -1;
    spiffs_ram_config(&rg->ram, rg->buf, size, SPIFFS_RAM_STRICT, 0,
                      &rg->cfg);
    int r = spiffs_format(&rg->cfg);
    return r < 0 ? r : spiffs_mount(&rg->fs, &rg->cfg, 0);
}

static void rig_free(rig_t *rg)
{
    free(rg->buf);
    free(rg->base);
}

/* ---- the matrix ------------------------------------------------------ */

typedef int (*op_fn)(spiffs_t *fs, void *arg);

/* Run op on the base image with a cut after every number of flash
** operations it makes, reboot, and require one of the nok states (the
** last is the one a run without a cut gives). seen[i] counts the cuts
** that ended in state i. */
static void matrix(const char *what, rig_t *rg, op_fn op, void *arg,
                   const state_t *ok, int nok, int *seen)
{
    memcpy(rg->base, rg->buf, rg->size);
    /* the whole operation, uncut */
    CHECK(spiffs_mount(&rg->fs, &rg->cfg, 0) == 0, "%s: mount", what);
    uint32_t ops0 = rg->ram.progs + rg->ram.erases;
    int r = op(&rg->fs, arg);
    uint32_t nops = rg->ram.progs + rg->ram.erases - ops0;
    CHECK(r == 0, "%s: uncut: %s", what, spiffs_strerror(r));
    CHECK(spiffs_mount(&rg->fs, &rg->cfg, SPIFFS_MOUNT_REPAIR) == 0 &&
          st_matches(&rg->fs, &ok[nok - 1]), "%s: uncut: wrong result",
          what);
    for (int i = 0; i < nok; i++)
        seen[i] = 0;
    for (uint32_t cut = 0; cut < nops; cut++) {
        memcpy(rg->buf, rg->base, rg->size);
        CHECK(spiffs_mount(&rg->fs, &rg->cfg, 0) == 0, "%s: mount", what);
        rg->ram.budget = (int32_t)cut;
        r = op(&rg->fs, arg);
        rg->ram.budget = -1;
        CHECK(r == SPIFFS_EIO, "%s cut %u/%u: op returned %d", what, cut,
              nops, r);
        /* reboot */
        CHECK(spiffs_mount(&rg->fs, &rg->cfg, SPIFFS_MOUNT_REPAIR) == 0,
              "%s cut %u/%u: mount fails", what, cut, nops);
        issue[0] = 0;
        long n = spiffs_fsck(&rg->fs, issue_cb, NULL);
        CHECK(n == 0, "%s cut %u/%u: fsck finds %ld: %s", what, cut, nops,
              n, issue);
        int which = -1;
        for (int i = 0; i < nok && which < 0; i++)
            if (st_matches(&rg->fs, &ok[i]))
                which = i;
        CHECK(which >= 0, "%s cut %u/%u: the files hold neither the old"
              " nor the new content", what, cut, nops);
        seen[which]++;
        spiffs_usage_t u;
        CHECK(spiffs_usage(&rg->fs, &u) == 0 &&
              u.live_pages == st_pages(&ok[which]), "%s cut %u/%u: %u live"
              " pages, the files need %u (space lost)", what, cut, nops,
              u.live_pages, st_pages(&ok[which]));
        /* the repair is done: a second boot writes nothing */
        uint32_t before = rg->ram.progs + rg->ram.erases;
        CHECK(spiffs_mount(&rg->fs, &rg->cfg, SPIFFS_MOUNT_REPAIR) == 0 &&
              rg->ram.progs + rg->ram.erases == before, "%s cut %u/%u:"
              " the second mount writes again", what, cut, nops);
        /* and the file system works: every file takes an append */
        for (int i = 0; i < ok[which].n; i++) {
            const pfile_t *f = &ok[which].f[i];
            static uint8_t got[70000];
            r = spiffs_append(&rg->fs, f->name, "!", 1);
            long len = spiffs_read(&rg->fs, f->name, 0, got, sizeof got);
            CHECK(r == 0 && len == (long)f->len + 1 &&
                  !memcmp(got, f->data, f->len) && got[f->len] == '!',
                  "%s cut %u/%u: append to %s after the reboot: %d, reads"
                  " %ld bytes", what, cut, nops, f->name, r, len);
        }
        CHECK(spiffs_fsck(&rg->fs, issue_cb, NULL) == 0, "%s cut %u/%u:"
              " fsck after the appends: %s", what, cut, nops, issue);
    }
    memcpy(rg->buf, rg->base, rg->size);
    CHECK(spiffs_mount(&rg->fs, &rg->cfg, 0) == 0, "%s: mount", what);
}

/* ---- operations ------------------------------------------------------- */

typedef struct wr {
    const char *name, *to;
    const uint8_t *data;
    uint32_t len, chunk;
} wr_t;

static int op_write(spiffs_t *fs, void *arg)
{
    const wr_t *w = arg;
    return spiffs_write_file(fs, w->name, w->data, w->len);
}

static int op_create_append(spiffs_t *fs, void *arg)
{
    const wr_t *w = arg;
    int r = spiffs_create(fs, w->name);
    return r < 0 ? r : spiffs_append(fs, w->name, w->data, w->len);
}

/* Append len bytes in chunks (the last may be short). */
static int op_appends(spiffs_t *fs, void *arg)
{
    const wr_t *w = arg;
    for (uint32_t o = 0; o < w->len; o += w->chunk) {
        uint32_t n = w->len - o < w->chunk ? w->len - o : w->chunk;
        int r = spiffs_append(fs, w->name, w->data + o, n);
        if (r < 0)
            return r;
    }
    return 0;
}

static int op_rename(spiffs_t *fs, void *arg)
{
    const wr_t *w = arg;
    return spiffs_rename(fs, w->name, w->to);
}

static int op_remove(spiffs_t *fs, void *arg)
{
    const wr_t *w = arg;
    return spiffs_remove(fs, w->name);
}

/* ---- scenarios ------------------------------------------------------- */

#define MAXOK 40

/* One scenario: the rig, the acceptable states (ok[0] the base's files),
** the contents it owns, and the cuts that ended in each state. */
typedef struct pcase {
    rig_t rg;
    state_t ok[MAXOK];
    uint8_t *own[12];
    int seen[MAXOK];
} pcase_t;

/* Deterministic bytes for file contents, owned by c. */
static uint8_t *bytes(pcase_t *c, uint32_t n, uint32_t seed)
{
    uint8_t *p = malloc(n + 1);
    uint32_t x = seed * 2654435761u + 1;
    for (uint32_t i = 0; i < n; i++) {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        p[i] = (uint8_t)x;
    }
    int k = 0;
    while (c->own[k])
        k++;
    return c->own[k] = p;
}

/* Store a file in the base image and in ok[0]. */
static int base_put(pcase_t *c, const char *name, uint32_t len,
                    uint32_t seed)
{
    uint8_t *d = bytes(c, len, seed);
    st_put(&c->ok[0], name, d, len);
    return spiffs_write_file(&c->rg.fs, name, d, len);
}

/* A 128 KiB FS (16 blocks of 8 KiB) holding two files that stay put. */
static pcase_t *base_fs(void)
{
    pcase_t *c = calloc(1, sizeof *c);
    if (!c || rig_new(&c->rg, 131072) != 0 ||
        base_put(c, "keep/a", 600, 1) != 0 ||
        base_put(c, "keep/b", 27000, 2) != 0)   /* needs index page 1 */
        return NULL;
    return c;
}

/* A nearly full 64 KiB FS with garbage spread over it: a write of 12000
** bytes must collect garbage first. Files "f0".."f8" of 4500 bytes (19
** pages), every other one removed. */
static pcase_t *base_gc(void)
{
    pcase_t *c = calloc(1, sizeof *c);
    char nm[16];
    if (!c || rig_new(&c->rg, 65536) != 0)
        return NULL;
    for (int i = 0; i < 9; i++) {
        snprintf(nm, sizeof nm, "f%d", i);
        if (base_put(c, nm, 4500, 20 + (uint32_t)i) != 0)
            return NULL;
    }
    for (int i = 0; i < 9; i += 2) {
        snprintf(nm, sizeof nm, "f%d", i);
        st_del(&c->ok[0], nm);
        if (spiffs_remove(&c->rg.fs, nm) != 0)
            return NULL;
    }
    return c;
}

/* ok[i] = ok[0] with `name` holding len bytes of d (NULL: absent). */
static void outcome(pcase_t *c, int i, const char *name, const uint8_t *d,
                    uint32_t len)
{
    c->ok[i] = c->ok[0];
    if (d)
        st_put(&c->ok[i], name, d, len);
    else
        st_del(&c->ok[i], name);
}

static void case_free(pcase_t *c)
{
    rig_free(&c->rg);
    for (size_t k = 0; k < sizeof c->own / sizeof c->own[0]; k++)
        free(c->own[k]);
    free(c);
}

enum {
    BOTH = 1,       /* the first and the last state each follow some cut */
    GC = 2          /* the operation collects garbage (erases blocks)    */
};

/* The matrix over states ok[0..nok-1], with the checks `want` asks for.
** Frees c. */
static void run_case(pcase_t *c, const char *what, op_fn op, wr_t *w,
                     int nok, int want)
{
    uint32_t erases = c->rg.ram.erases;
    matrix(what, &c->rg, op, w, c->ok, nok, c->seen);
    if (!th_failed()) {
        printf("  %s:", what);
        for (int i = 0; i < nok; i++)
            printf(" %d", c->seen[i]);
        printf(" cuts per outcome, %u erases\n", c->rg.ram.erases - erases);
    }
    if ((want & BOTH) && !th_failed() &&
        (c->seen[0] == 0 || c->seen[nok - 1] == 0))
        th_fail(__FILE__, __LINE__, "%s: an outcome never seen", what);
    if ((want & GC) && !th_failed() && c->rg.ram.erases == erases)
        th_fail(__FILE__, __LINE__, "%s: no garbage collection", what);
    case_free(c);
}

TEST(test_spiffs_power_write_new)
{
    /* a new file: absent until its last write, never empty or short */
    pcase_t *c = base_fs();
    CHECK(c, "base");
    uint8_t *d = bytes(c, 3000, 3);
    outcome(c, 1, "new", d, 3000);
    wr_t w = { "new", NULL, d, 3000, 0 };
    run_case(c, "write new", op_write, &w, 2, 0);
}

TEST(test_spiffs_power_create_append)
{
    pcase_t *c = base_fs();
    CHECK(c, "base");
    uint8_t *d = bytes(c, 1000, 4);
    outcome(c, 1, "ca", d, 0);
    outcome(c, 2, "ca", d, 1000);
    wr_t w = { "ca", NULL, d, 1000, 0 };
    run_case(c, "create+append", op_create_append, &w, 3, 0);
}

/* A loop of appends to a file of `start` bytes: after a cut the file holds
** the old bytes plus a whole number of appends. */
static void appends(const char *what, uint32_t start, uint32_t len,
                    uint32_t chunk)
{
    pcase_t *c = base_fs();
    CHECK(c, "base");
    uint8_t *d = bytes(c, start + len, 5);
    int nok = 0;
    CHECK(spiffs_write_file(&c->rg.fs, "log", d, start) == 0, "log");
    st_put(&c->ok[0], "log", d, start);
    for (uint32_t o = chunk; o < len + chunk && nok + 1 < MAXOK; o += chunk)
        outcome(c, ++nok, "log", d, start + (o < len ? o : len));
    CHECK(nok + 1 < MAXOK, "too many chunks");
    wr_t w = { "log", NULL, d + start, len, chunk };
    run_case(c, what, op_appends, &w, nok + 1, BOTH);
}

TEST(test_spiffs_power_append_loop)
{
    /* bug (a): a cut while the header moves left two headers */
    appends("append loop", 100, 1200, 97);
}

TEST(test_spiffs_power_append_index_page)
{
    /* across data span 105: a new index page, then its slots */
    appends("append across index page 1", 26000, 900, 150);
}

TEST(test_spiffs_power_append_empty)
{
    /* the first append to an empty file writes the header in place */
    appends("append to empty", 0, 700, 300);
}

static void replace(const char *what, uint32_t old_len, uint32_t new_len)
{
    pcase_t *c = base_fs();
    CHECK(c && base_put(c, "cfg", old_len, 6) == 0, "base");
    uint8_t *d = bytes(c, new_len, 7);
    outcome(c, 1, "cfg", d, new_len);
    wr_t w = { "cfg", NULL, d, new_len, 0 };
    run_case(c, what, op_write, &w, 2, BOTH);
}

TEST(test_spiffs_power_replace)
{
    /* bug (b): the old file was removed before the new one was written */
    replace("replace", 2000, 2500);
}

TEST(test_spiffs_power_replace_empty)
{
    replace("replace with nothing", 2000, 0);
    replace("replace nothing", 0, 300);
}

TEST(test_spiffs_power_rename)
{
    pcase_t *c = base_fs();
    CHECK(c && base_put(c, "old name", 800, 8) == 0, "base");
    outcome(c, 1, "new name", st_get(&c->ok[0], "old name")->data, 800);
    st_del(&c->ok[1], "old name");
    wr_t w = { "old name", "new name", NULL, 0, 0 };
    run_case(c, "rename", op_rename, &w, 2, 0);
}

TEST(test_spiffs_power_remove)
{
    /* bug (c): an interrupted remove left pages nobody reclaims */
    pcase_t *c = base_fs();
    CHECK(c, "base");
    outcome(c, 1, "keep/b", NULL, 0);
    wr_t w = { "keep/b", NULL, NULL, 0, 0 };
    run_case(c, "remove", op_remove, &w, 2, BOTH);
}

/* A write that collects garbage first (the run prints the erases). */
static void gc_case(const char *what, op_fn op, const char *name, int append)
{
    pcase_t *c = base_gc();
    CHECK(c, "base");
    uint8_t *d = bytes(c, 4500 + 12000, 9);
    if (append)     /* the file's bytes, then the appended ones */
        memcpy(d, st_get(&c->ok[0], name)->data, 4500);
    outcome(c, 1, name, append ? d : d + 4500, append ? 16500 : 12000);
    wr_t w = { name, NULL, d + 4500, 12000, 12000 };
    run_case(c, what, op, &w, 2, GC);
}

TEST(test_spiffs_power_gc_write)
{
    gc_case("gc during a new write", op_write, "g", 0);
}

TEST(test_spiffs_power_gc_replace)
{
    gc_case("gc during a replace", op_write, "f1", 0);
}

TEST(test_spiffs_power_gc_append)
{
    gc_case("gc during an append", op_appends, "f1", 1);
}

TEST(test_spiffs_power_double_cut)
{
    /* a cut, a reboot, and a second cut in the same append loop: the
    ** repair of the first leaves nothing the second trips over */
    pcase_t *c = base_fs();
    CHECK(c, "base");
    rig_t *rg = &c->rg;
    uint8_t *d = bytes(c, 1400, 10), *mid = bytes(c, rg->size, 0);
    static uint8_t got[2000];
    CHECK(spiffs_write_file(&rg->fs, "log", d, 100) == 0, "log");
    memcpy(rg->base, rg->buf, rg->size);
    for (uint32_t c1 = 0; c1 < 60 && !th_failed(); c1 += 3) {
        memcpy(rg->buf, rg->base, rg->size);
        spiffs_mount(&rg->fs, &rg->cfg, 0);
        rg->ram.budget = (int32_t)c1;
        wr_t w = { "log", NULL, d + 100, 1300, 130 };
        op_appends(&rg->fs, &w);
        rg->ram.budget = -1;
        CHECK(spiffs_mount(&rg->fs, &rg->cfg, SPIFFS_MOUNT_REPAIR) == 0,
              "mount 1");
        memcpy(mid, rg->buf, rg->size);
        long have = spiffs_read(&rg->fs, "log", 0, got, sizeof got);
        CHECK(have >= 100 && (have - 100) % 130 == 0 &&
              !memcmp(got, d, (size_t)have), "cut %u: %ld bytes", c1, have);
        for (uint32_t c2 = 0; c2 < 40 && !th_failed(); c2++) {
            memcpy(rg->buf, mid, rg->size);
            spiffs_mount(&rg->fs, &rg->cfg, 0);
            rg->ram.budget = (int32_t)c2;
            wr_t w2 = { "log", NULL, d + have, 1400 - (uint32_t)have, 130 };
            op_appends(&rg->fs, &w2);
            rg->ram.budget = -1;
            CHECK(spiffs_mount(&rg->fs, &rg->cfg, SPIFFS_MOUNT_REPAIR) == 0,
                  "mount 2");
            CHECK(spiffs_fsck(&rg->fs, issue_cb, NULL) == 0, "cuts %u, %u:"
                  " fsck: %s", c1, c2, issue);
            long n = spiffs_read(&rg->fs, "log", 0, got, sizeof got);
            CHECK(n >= have && (n - have) % 130 == 0 &&
                  !memcmp(got, d, (size_t)n), "cuts %u, %u: %ld bytes", c1,
                  c2, n);
        }
    }
    case_free(c);
}
