/*
** ldr_safe.c: the never-brick node.LFS.reload (ldr_safe.h): the pending
** record on SPIFFS around ldr51's incremental two passes, and finishing
** an interrupted reload at boot.
** Spec: docs/lfs51.md §5.1, §5.2. Twin: none. May call: ldr51, plat_fs, libc.
**
** Order of a reload, and what a power cut at each point leaves:
**   1 pass 1 + compare pass     no write: old LFS, no record
**   2 record written            partial record: ignored and removed at
**                               boot (old LFS); complete: boot redoes 3
**   3 pass 2 (header sector     IN_PROGRESS or erased header: boot check
**     first, IN_PROGRESS)       refuses it; the record makes boot finish
**                               the reload from the file
**   4 signature cleared         new LFS; the record makes boot check it
**                               (no write) and remove the record
**   5 record removed            new LFS; a half-removed record either
**                               still parses (as 4) or is removed
*/
#include "firmware/ldr/ldr_safe.h"

#include <stdio.h>
#include <string.h>

/* ldr51_file_t over a SPIFFS file. */
typedef struct fs_file {
    const plat_fs_t *fs;
    const char *name;
} fs_file_t;

static int fs_read(void *ctx, uint32_t off, uint8_t *buf, uint32_t n)
{
    fs_file_t *f = ctx;
    long got = f->fs->op->read(f->fs->fs, f->name, off, buf, n);
    return got < 0 ? -1 : (int)got;
}

static int open_file(const plat_fs_t *fs, const char *name, fs_file_t *ff,
                     ldr51_file_t *f)
{
    spiffs_stat_t st;
    if (fs == NULL || fs->fs == NULL ||
        fs->op->stat(fs->fs, name, &st) < 0)
        return -1;
    ff->fs = fs;
    ff->name = name;
    f->size = st.size;
    f->read = fs_read;
    f->ctx = ff;
    return 0;
}

static void copy_result(ldr_safe_result_t *res, const ldr51_reload_t *r)
{
    res->code = r->err;
    memcpy(res->msg, r->msg, sizeof res->msg);
    memcpy(res->detail, r->detail, sizeof res->detail);
    res->nsectors = r->nsectors;
    res->erased = r->erased;
    res->written = r->written;
    res->unchanged = r->unchanged;
}

/* ---- the record ---------------------------------------------------------- */

static int write_record(const plat_fs_t *fs, const char *name, int integral)
{
    char line[64];
    int n = snprintf(line, sizeof line, LDR_SAFE_TAG " %s %s\n",
                     integral ? "int" : "float", name);
    if (n < 0 || (size_t)n >= sizeof line)
        return -1;
    return fs->op->write_file(fs->fs, LDR_SAFE_RECORD, line, (size_t)n);
}

static void remove_record(const plat_fs_t *fs)
{
    fs->op->remove(fs->fs, LDR_SAFE_RECORD);
}

/* 1: a record exists (*name, *integral set if it parses, else name ""),
** 0: none. */
static int read_record(const plat_fs_t *fs, char *name, int *integral)
{
    char line[64];
    spiffs_stat_t st;
    name[0] = 0;
    *integral = 0;
    if (fs == NULL || fs->fs == NULL ||
        fs->op->stat(fs->fs, LDR_SAFE_RECORD, &st) < 0)
        return 0;
    if (st.size == 0 || st.size >= sizeof line)
        return 1;
    long got = fs->op->read(fs->fs, LDR_SAFE_RECORD, 0, line, st.size);
    if (got != (long)st.size || line[st.size - 1] != '\n')
        return 1;
    line[st.size - 1] = 0;
    const char *tag = LDR_SAFE_TAG " ", *p = line;
    if (strncmp(p, tag, strlen(tag)) != 0)
        return 1;
    p += strlen(tag);
    if (strncmp(p, "int ", 4) == 0) {
        *integral = 1;
        p += 4;
    } else if (strncmp(p, "float ", 6) == 0) {
        p += 6;
    } else {
        return 1;
    }
    size_t n = strlen(p);
    if (n == 0 || n > SPIFFS_NAME_MAX || memchr(p, '\n', n))
        return 1;
    memcpy(name, p, n + 1);
    return 1;
}

/* ---- reload ------------------------------------------------------------- */

/* Pass 1 and the compare pass, then (record) pass 2 (record). */
static int run(const ldr_safe_t *s, const char *name, int record,
               ldr_safe_result_t *res)
{
    ldr51_cfg_t cfg = s->cfg;
    ldr51_reload_t r;
    fs_file_t ff;
    ldr51_file_t f;
    cfg.incremental = 1;
    res->integral = cfg.integral;
    res->flash_touched = 0;
    int found = open_file(s->fs, name, &ff, &f) == 0;
    if (ldr51_reload_begin(&r, &cfg, found ? &f : NULL) == 0 &&
        ldr51_reload_validate(&r) == 0) {
        int any = 0;
        for (uint32_t i = 0; i < LDR51_SECTOR_WORDS; i++)
            any |= r.changed[i] != 0;
        if (any && record && write_record(s->fs, name, cfg.integral) < 0) {
            ldr51_reload_end(&r);
            copy_result(res, &r);
            res->code = LDR51_EFILE;
            snprintf(res->msg, sizeof res->msg, "%s", LDR_SAFE_MSG_RECORD);
            return res->code;
        }
        res->flash_touched = any;
        ldr51_reload_write(&r);
    }
    ldr51_reload_end(&r);
    copy_result(res, &r);
    return res->code;
}

int ldr_safe_reload(const ldr_safe_t *s, const char *name,
                    ldr_safe_result_t *res)
{
    memset(res, 0, sizeof *res);
    snprintf(res->name, sizeof res->name, "%s", name);
    run(s, name, 1, res);
    /* After pass 2 the record goes, unless the power went (then it is
    ** what the next boot needs). */
    if (res->flash_touched && res->code != LDR51_EFLASH)
        remove_record(s->fs);
    if (res->code == 0)
        res->flash_touched = 1;         /* success always restarts */
    return res->code;
}

int ldr_safe_resume(const ldr_safe_t *s, ldr_safe_result_t *res)
{
    char name[SPIFFS_NAME_LEN + 1];
    int integral;
    if (!read_record(s->fs, name, &integral))
        return 0;
    memset(res, 0, sizeof *res);
    if (!name[0]) {
        res->code = LDR51_EFILE;
        snprintf(res->msg, sizeof res->msg, "%s", LDR51_MSG_READ);
        snprintf(res->detail, sizeof res->detail, "the pending-reload"
                 " record %s is incomplete: the reload had not begun",
                 LDR_SAFE_RECORD);
        remove_record(s->fs);
        return 1;
    }
    memcpy(res->name, name, sizeof res->name);
    ldr_safe_t t = *s;
    t.cfg.integral = integral;
    run(&t, name, 0, res);
    if (res->code != LDR51_EFLASH)
        remove_record(s->fs);
    return 1;
}
