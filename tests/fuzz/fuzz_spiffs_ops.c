/*
** tests/fuzz/fuzz_spiffs_ops.c: libFuzzer target for SPIFFS power cuts.
** The input is a program: a file-system size, then operations (create,
** append, write, rename, remove, and "gc": a write sized to what is free,
** so that garbage collection runs first) on names and sizes taken from the
** input, each optionally cut after an input-chosen number of flash
** programs and erases, then "rebooted" (mounted with SPIFFS_MOUNT_REPAIR,
** as the firmware does). A model holds the files. After every operation
** the file system must hold the model's files as they were before it or
** as the operation makes them (after a refusal or with no cut: exactly
** one of them), mount, pass fsck with no finding, and use exactly the
** pages the files need. Any violation aborts.
** Spec: docs/spiffs.md §5.4, §5.6. Twin: tests/test_spiffs_power.c (every
** cut of fixed scenarios). May call: the SPIFFS library, libc.
*/
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "spiffs/spiffs.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* ---- the model -------------------------------------------------------- */

#define NF 8

typedef struct mfile {
    const char *name;       /* NULL: no such file                        */
    uint8_t *data;
    uint32_t len;
} mfile_t;

typedef struct model {
    mfile_t f[NF];
} model_t;

/* Names the operations pick from: two invalid ones among them. */
static const char *const names[NF] = {
    "a", "init.lua", "www/index.html", "b", "c.txt",
    "abcdefghijklmnopqrstuvwxyz01234",  /* 31 bytes: the longest */
    "/lead", "abcdefghijklmnopqrstuvwxyz012345"
};

static void model_free(model_t *m)
{
    for (int i = 0; i < NF; i++)
        free(m->f[i].data);
    memset(m, 0, sizeof *m);
}

static uint8_t *dup(const uint8_t *d, uint32_t len)
{
    uint8_t *p = malloc(len + 1);
    if (!p)
        abort();
    if (len)
        memcpy(p, d, len);
    return p;
}

static void model_copy(model_t *to, const model_t *from)
{
    model_free(to);
    for (int i = 0; i < NF; i++) {
        to->f[i] = from->f[i];
        if (from->f[i].name)
            to->f[i].data = dup(from->f[i].data, from->f[i].len);
    }
}

static int slot_of(const model_t *m, const char *name)
{
    for (int i = 0; i < NF; i++)
        if (m->f[i].name && strcmp(m->f[i].name, name) == 0)
            return i;
    return -1;
}

/* File `name` gets d: in slot i, or in a free slot when i < 0. */
static void set_file(model_t *m, int i, const char *name, const uint8_t *d,
                     uint32_t len)
{
    for (int j = 0; i < 0 && j < NF; j++)
        if (!m->f[j].name)
            i = j;
    if (i < 0)
        abort();
    uint8_t *p = dup(d, len);
    free(m->f[i].data);
    m->f[i] = (mfile_t){ name, p, len };
}

/* ---- the file system against the model ------------------------------ */

static int count_cb(void *ctx, const spiffs_stat_t *st)
{
    (void)st;
    ++*(int *)ctx;
    return 0;
}

static uint8_t rbuf[131072];   /* more than the largest file            */

/* Does fs hold exactly the files of m? */
static int holds(spiffs_t *fs, const model_t *m)
{
    int listed = 0, files = 0;
    if (spiffs_list(fs, count_cb, &listed) != 0)
        return 0;
    for (int i = 0; i < NF; i++) {
        const mfile_t *f = &m->f[i];
        if (!f->name)
            continue;
        files++;
        long n = spiffs_read(fs, f->name, 0, rbuf, sizeof rbuf);
        if (n != (long)f->len || memcmp(rbuf, f->data, f->len) != 0)
            return 0;
    }
    return listed == files;
}

static uint32_t pages(const model_t *m)
{
    uint32_t p = 0;
    for (int i = 0; i < NF; i++)
        if (m->f[i].name)
            p += spiffs_file_pages(m->f[i].len);
    return p;
}

/* ---- one operation ------------------------------------------------------ */

typedef struct op {
    int code;               /* 0 create .. 5 gc                          */
    const char *name, *to;
    const uint8_t *data;
    uint32_t len;
} op_t;

static int run(spiffs_t *fs, const op_t *o)
{
    switch (o->code) {
    case 0: return spiffs_create(fs, o->name);
    case 1: return spiffs_append(fs, o->name, o->data, o->len);
    case 3: return spiffs_rename(fs, o->name, o->to);
    case 4: return spiffs_remove(fs, o->name);
    default: return spiffs_write_file(fs, o->name, o->data, o->len);
    }
}

/* What m becomes if o succeeds; 0, or the refusal o must meet (in the
** order the library checks). */
static int apply(model_t *m, const op_t *o)
{
    int i = slot_of(m, o->name), j = slot_of(m, o->to);
    switch (o->code) {
    case 0:
        if (spiffs_name_check(o->name) < 0)
            return SPIFFS_ENAME;
        if (i >= 0)
            return SPIFFS_EEXIST;
        set_file(m, -1, o->name, o->data, 0);
        return 0;
    case 1: {
        if (i < 0)
            return SPIFFS_ENOENT;
        uint8_t *p = malloc(m->f[i].len + o->len + 1);
        if (!p)
            abort();
        memcpy(p, m->f[i].data, m->f[i].len);
        memcpy(p + m->f[i].len, o->data, o->len);
        set_file(m, i, o->name, p, m->f[i].len + o->len);
        free(p);
        return 0;
    }
    case 3:
        if (spiffs_name_check(o->to) < 0)
            return SPIFFS_ENAME;
        if (i < 0)
            return SPIFFS_ENOENT;
        if (j >= 0 && j != i)
            return SPIFFS_EEXIST;
        m->f[i].name = o->to;
        return 0;
    case 4:
        if (i < 0)
            return SPIFFS_ENOENT;
        free(m->f[i].data);
        m->f[i] = (mfile_t){ NULL, NULL, 0 };
        return 0;
    default:
        if (spiffs_name_check(o->name) < 0)
            return SPIFFS_ENAME;
        set_file(m, i, o->name, o->data, o->len);
        return 0;
    }
}

/* ---- the program ------------------------------------------------------- */

static uint8_t content[65536];

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const uint32_t fs_sizes[4] = { 16384, 24576, 65536, 131072 };
    if (size < 1)
        return 0;
    uint32_t fsz = fs_sizes[data[0] & 3];
    uint8_t *img = malloc(fsz);
    spiffs_ram_t ram;
    spiffs_config_t cfg;
    spiffs_t fs;
    model_t m, next;
    memset(&m, 0, sizeof m);
    memset(&next, 0, sizeof next);
    if (!img)
        return 0;
    spiffs_ram_config(&ram, img, fsz, SPIFFS_RAM_STRICT, 0, &cfg);
    if (spiffs_format(&cfg) != 0 || spiffs_mount(&fs, &cfg, 0) != 0)
        abort();
    uint32_t total = (fs.nblocks - 2) * fs.epb * SPIFFS_DATA_PER_PAGE;
    /* each operation: code|cut flag, name, to, size (2), seed, cut (2) */
    for (size_t at = 1; at + 8 <= size; at += 8) {
        const uint8_t *p = data + at;
        op_t o = { p[0] % 6, names[p[1] % NF], names[p[2] % NF], content,
                   (uint32_t)(p[3] | p[4] << 8) };
        int cut = (p[0] & 0x80) != 0;
        spiffs_usage_t u;
        if (o.code == 5) {      /* gc: about what is free, and more */
            if (spiffs_usage(&fs, &u) != 0)
                abort();
            o.len = (u.free_pages + u.deleted_pages) *
                    SPIFFS_DATA_PER_PAGE / 2 + o.len % 2048;
        }
        if (o.len > total)
            o.len %= total;
        if (o.len >= sizeof content)
            o.len %= sizeof content;
        for (uint32_t i = 0; i < o.len; i++)
            content[i] = (uint8_t)(p[5] + i * 7 + (i >> 8));
        model_copy(&next, &m);
        int want = apply(&next, &o);
        ram.budget = cut ? p[6] | (p[7] & 3) << 8 : -1;   /* 0..1023 */
        int r = run(&fs, &o);
        int was_cut = ram.cut > 0;
        ram.budget = -1;
        ram.cut = 0;
        /* a refusal is the model's, or "full"; it changes nothing */
        if (!was_cut && r != want && !(r == SPIFFS_ENOSPC && want == 0))
            abort();
        if (was_cut && r != SPIFFS_EIO && r != want &&
            !(r == SPIFFS_ENOSPC && want == 0))
            abort();
        /* reboot; without a cut there is nothing to repair */
        uint32_t ops = ram.progs + ram.erases;
        if (spiffs_mount(&fs, &cfg, SPIFFS_MOUNT_REPAIR) != 0 ||
            (!was_cut && ram.progs + ram.erases != ops) ||
            spiffs_fsck(&fs, NULL, NULL) != 0)
            abort();
        int is_new = r == 0 || (r == SPIFFS_EIO && holds(&fs, &next));
        if (is_new)
            model_copy(&m, &next);
        if (!holds(&fs, &m) || spiffs_usage(&fs, &u) != 0 ||
            u.live_pages != pages(&m))
            abort();
    }
    model_free(&m);
    model_free(&next);
    free(img);
    return 0;
}
