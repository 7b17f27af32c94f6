/*
** spiffs_fsck.c: checks a SPIFFS image against every structural rule of
** the spec and reports each inconsistency through a callback (it never
** prints): block magics, lookup padding, lookup entries against page
** headers and flags, free pages erased, sequential allocation, headers,
** names, sizes, index pages and slots, data pages, tails, orphans, reserve.
** Spec: docs/spiffs.md §1.4-§1.13, §1.17, §1.18 step 5. Twin: none.
** May call: libc (malloc for one byte of state per page).
*/
#include "spiffs/spiffs_int.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Page states found by the lookup pass. */
enum { ST_FREE, ST_DELETED, ST_BAD, ST_DATA, ST_IX, ST_HDR };
#define ST_REF 0x80     /* data page: referenced by an index slot */

typedef struct fsck {
    spiffs_t *fs;
    spiffs_issue_fn fn;
    void *ctx;
    long count;
    uint8_t *st;        /* one state per pix */
} fsck_t;

__attribute__((format(printf, 4, 5)))
static void issue(fsck_t *k, int sev, long off, const char *fmt, ...)
{
    char msg[256];
    va_list ap;
    spiffs_issue_t is;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    is.severity = sev;
    is.offset = off;
    is.msg = msg;
    k->count++;
    if (k->fn)
        k->fn(k->ctx, &is);
}

static int check_blocks(fsck_t *k)
{
    spiffs_t *fs = k->fs;
    uint8_t lu[SPIFFS_PAGE_SIZE];
    uint32_t bad = 0;
    for (uint32_t b = 0; b < fs->nblocks; b++) {
        uint32_t base = b * fs->block_size;
        int r = spiffs_rd(fs, base, lu, sizeof lu);
        if (r < 0)
            return r;
        uint16_t m = SPIFFS_LE16(lu + SPIFFS_LU_MAGIC_OFF);
        if (m != spiffs_magic(fs->nblocks, b)) {
            bad++;
            issue(k, SPIFFS_ERROR, (long)base + SPIFFS_LU_MAGIC_OFF,
                  "block %u: magic 0x%04x, expected 0x%04x for %u blocks;"
                  " rebuild the image", b, m, spiffs_magic(fs->nblocks, b),
                  fs->nblocks);
        }
        for (uint32_t i = 2 * fs->epb; i < SPIFFS_LU_MAGIC_OFF; i++) {
            if (lu[i] != 0xFF) {
                issue(k, SPIFFS_WARN, (long)(base + i),
                      "block %u: lookup padding is 0x%02x, not 0xFF;"
                      " rebuild the image", b, lu[i]);
                break;
            }
        }
    }
    if (bad == 1)
        issue(k, SPIFFS_ERROR, -1, "one block has no valid magic: the"
              " firmware erases it at mount and its pages are lost;"
              " rebuild the image");
    else if (bad > 1)
        issue(k, SPIFFS_ERROR, -1, "%u blocks have no valid magic: the"
              " firmware would not mount this and would reformat it;"
              " rebuild the image", bad);
    return 0;
}

/* Pass 1: lookup entries against pages. */
static int check_pages(fsck_t *k)
{
    spiffs_t *fs = k->fs;
    uint8_t pg[SPIFFS_PAGE_SIZE];
    for (uint32_t b = 0; b < fs->nblocks; b++) {
        int seen_free = 0, first_free = 0;
        for (uint32_t e = 0; e < fs->epb; e++) {
            uint16_t lu;
            uint32_t pix = spiffs_entry_pix(fs, b, e);
            long off = (long)SPIFFS_PIX_ADDR(pix);
            int r = spiffs_lu(fs, b, e, &lu);
            if (r < 0)
                return r;
            k->st[pix] = ST_BAD;
            if (lu == SPIFFS_LU_DELETED) {
                k->st[pix] = ST_DELETED;
                continue;
            }
            if ((r = spiffs_rd(fs, (uint32_t)off, pg, sizeof pg)) < 0)
                return r;
            if (lu == SPIFFS_LU_FREE) {
                k->st[pix] = ST_FREE;
                if (e == 0)
                    first_free = 1;
                seen_free = 1;
                for (uint32_t i = 0; i < SPIFFS_PAGE_SIZE; i++) {
                    if (pg[i] != 0xFF) {
                        issue(k, SPIFFS_ERROR, off + (long)i, "page %u is"
                              " free in the lookup page but not erased;"
                              " rebuild the image", pix);
                        break;
                    }
                }
                continue;
            }
            if (seen_free) {
                issue(k, first_free ? SPIFFS_ERROR : SPIFFS_WARN, off,
                      "page %u is used after a free page of block %u%s;"
                      " rebuild the image", pix, b, first_free ?
                      " whose first entry is free: firmware counts the"
                      " block as free" : "");
                seen_free = 0;
            }
            uint16_t hid = SPIFFS_LE16(pg);
            uint8_t f = pg[4];
            int is_ix = (lu & SPIFFS_ID_IX_FLAG) != 0;
            if (hid != lu) {
                issue(k, SPIFFS_ERROR, off, "page %u: header id 0x%04x,"
                      " lookup entry 0x%04x; rebuild the image", pix, hid,
                      lu);
                continue;
            }
            if ((f & SPIFFS_F_USED) || ((f & SPIFFS_F_INDEX) == 0) != is_ix) {
                issue(k, SPIFFS_ERROR, off + 4, "page %u: flags 0x%02x do"
                      " not match a used %s page; rebuild the image", pix, f,
                      is_ix ? "index" : "data");
                continue;
            }
            if (!(f & SPIFFS_F_DELET) || (f & SPIFFS_F_FINAL)) {
                issue(k, SPIFFS_WARN, off + 4, "page %u: flags 0x%02x (%s)"
                      " but the lookup entry is live; space is lost until"
                      " the file system collects it", pix, f,
                      !(f & SPIFFS_F_DELET) ? "deleted" : "not finalised");
                continue;
            }
            if (!is_ix)
                k->st[pix] = ST_DATA;
            else if (SPIFFS_LE16(pg + 2) != 0)
                k->st[pix] = ST_IX;
            else if (spiffs_is_header(pg, lu))
                k->st[pix] = ST_HDR;
            else
                issue(k, SPIFFS_WARN, off + 4, "page %u: index header with"
                      " flags 0x%02x (a remove was interrupted); space is"
                      " lost until the file system collects it", pix, f);
        }
    }
    return 0;
}

/* Pass 2: one object from its header. */
static int check_object(fsck_t *k, uint32_t hpix)
{
    spiffs_t *fs = k->fs;
    uint8_t hdr[SPIFFS_PAGE_SIZE], ix[SPIFFS_PAGE_SIZE], pg[SPIFFS_PAGE_SIZE];
    long hoff = (long)SPIFFS_PIX_ADDR(hpix);
    int r = spiffs_rd(fs, (uint32_t)hoff, hdr, sizeof hdr);
    if (r < 0)
        return r;
    spiffs_stat_t st;
    spiffs_hdr_stat(hdr, (uint16_t)hpix, &st);
    const char *nm = st.name;
    if (memchr(hdr + SPIFFS_OFF_NAME, 0, SPIFFS_NAME_LEN) == NULL)
        issue(k, SPIFFS_ERROR, hoff + SPIFFS_OFF_NAME, "file \"%s\": name"
              " has no NUL within 32 bytes; the firmware cannot open it;"
              " rename it to 31 bytes or less", nm);
    else if (st.name[0] == 0)
        issue(k, SPIFFS_ERROR, hoff + SPIFFS_OFF_NAME, "object 0x%04x has"
              " an empty name; remove it", st.id);
    else if (st.name[0] == '/')
        issue(k, SPIFFS_WARN, hoff + SPIFFS_OFF_NAME, "file \"%s\": name"
              " starts with '/'; NodeMCU cannot open it by its usual name;"
              " rename it without the '/'", nm);
    if (st.type != SPIFFS_TYPE_FILE)
        issue(k, SPIFFS_WARN, hoff + SPIFFS_OFF_TYPE, "file \"%s\": object"
              " type %u, not 1 (file)", nm, st.type);
    if (st.raw_size == 0)
        issue(k, SPIFFS_WARN, hoff + SPIFFS_OFF_SIZE, "file \"%s\": empty"
              " file stored with size 0, not 0xFFFFFFFF; an append on the"
              " device is lost after reboot; rebuild the image", nm);
    /* duplicates among earlier headers */
    for (uint32_t p = 0; p < hpix; p++) {
        if ((k->st[p] & 0x7F) != ST_HDR)
            continue;
        uint8_t o[SPIFFS_OFF_HSLOTS];
        spiffs_stat_t os;
        if ((r = spiffs_rd(fs, SPIFFS_PIX_ADDR(p), o, sizeof o)) < 0)
            return r;
        spiffs_hdr_stat(o, (uint16_t)p, &os);
        if (os.id == st.id)
            issue(k, SPIFFS_ERROR, hoff, "file \"%s\": object 0x%04x has a"
                  " second index header at page %u; remove one", nm, st.id,
                  p);
        else if (strcmp(os.name, st.name) == 0)
            issue(k, SPIFFS_ERROR, hoff, "file \"%s\" exists twice"
                  " (objects 0x%04x and 0x%04x); the second is invisible;"
                  " remove one", nm, os.id, st.id);
    }
    uint64_t dpages = spiffs_data_pages(st.size);
    if (dpages > (uint64_t)fs->nblocks * fs->epb) {
        issue(k, SPIFFS_ERROR, hoff + SPIFFS_OFF_SIZE, "file \"%s\": size"
              " %u cannot fit in the file system; remove the file", nm,
              st.size);
        return 0;
    }
    uint32_t nix = spiffs_ix_pages(st.size);
    for (uint32_t kk = 0; kk < nix; kk++) {
        uint16_t ipix = (uint16_t)hpix;
        uint32_t s0 = kk == 0 ? 0 : SPIFFS_HDR_SLOTS +
                      (kk - 1) * SPIFFS_IX_SLOTS;
        uint32_t ns = kk == 0 ? SPIFFS_HDR_SLOTS : SPIFFS_IX_SLOTS;
        if (kk > 0) {
            r = spiffs_find_ix(fs, st.id, (uint16_t)kk, &ipix);
            if (r == SPIFFS_ENOENT) {
                issue(k, SPIFFS_ERROR, hoff, "file \"%s\": index page %u"
                      " is missing; bytes from %u on cannot be read;"
                      " remove the file", nm, kk,
                      s0 * SPIFFS_DATA_PER_PAGE);
                continue;
            }
            if (r < 0)
                return r;
        }
        long ioff = (long)SPIFFS_PIX_ADDR(ipix);
        if ((r = spiffs_rd(fs, (uint32_t)ioff, ix, sizeof ix)) < 0)
            return r;
        for (uint32_t s = s0; s < s0 + ns; s++) {
            uint32_t so = spiffs_slot_off(s);
            uint16_t dpix = SPIFFS_LE16(ix + so);
            if (s >= dpages) {
                if (dpix != 0xFFFF) {
                    issue(k, SPIFFS_WARN, ioff + (long)so, "file \"%s\":"
                          " unused index slot %u is 0x%04x, not 0xFFFF; a"
                          " device append would corrupt it", nm, s, dpix);
                    break;
                }
                continue;
            }
            if (!spiffs_pix_ok(fs, dpix) || (k->st[dpix] & 0x7F) != ST_DATA) {
                issue(k, SPIFFS_ERROR, ioff + (long)so, "file \"%s\": data"
                      " span %u points to page %u, which is not a valid"
                      " data page; remove the file", nm, s, dpix);
                continue;
            }
            if ((r = spiffs_rd(fs, SPIFFS_PIX_ADDR(dpix), pg,
                               sizeof pg)) < 0)
                return r;
            if (!spiffs_hdr_ok(pg, st.id, (uint16_t)s, 0)) {
                issue(k, SPIFFS_ERROR, (long)SPIFFS_PIX_ADDR(dpix), "file"
                      " \"%s\": page %u holds object 0x%04x span %u, not"
                      " span %u; remove the file", nm, dpix,
                      SPIFFS_LE16(pg), SPIFFS_LE16(pg + 2), s);
                continue;
            }
            if (k->st[dpix] & ST_REF)
                issue(k, SPIFFS_ERROR, (long)SPIFFS_PIX_ADDR(dpix), "data"
                      " page %u is used twice (file \"%s\" span %u);"
                      " rebuild the image", dpix, nm, s);
            k->st[dpix] |= ST_REF;
            uint32_t used = st.size - s * SPIFFS_DATA_PER_PAGE;
            if (s + 1 == dpages && used < SPIFFS_DATA_PER_PAGE) {
                for (uint32_t i = SPIFFS_OFF_DATA + used;
                     i < SPIFFS_PAGE_SIZE; i++) {
                    if (pg[i] != 0xFF) {
                        issue(k, SPIFFS_WARN, (long)(SPIFFS_PIX_ADDR(dpix) +
                              i), "file \"%s\": tail of the last data page"
                              " is not 0xFF; a device append would corrupt"
                              " it; rebuild the image", nm);
                        break;
                    }
                }
            }
        }
        if (kk > 0)
            k->st[ipix] |= ST_REF;
    }
    k->st[hpix] |= ST_REF;
    return 0;
}

long spiffs_fsck(spiffs_t *fs, spiffs_issue_fn fn, void *ctx)
{
    fsck_t k = { fs, fn, ctx, 0, NULL };
    uint32_t npix = fs->nblocks * fs->ppb;
    int r;
    k.st = calloc(npix ? npix : 1, 1);
    if (!k.st)
        return SPIFFS_EINVAL;
    if ((r = check_blocks(&k)) < 0 || (r = check_pages(&k)) < 0)
        goto out;
    for (uint32_t p = 0; p < npix; p++)
        if ((k.st[p] & 0x7F) == ST_HDR && (r = check_object(&k, p)) < 0)
            goto out;
    uint32_t live = 0;
    for (uint32_t p = 0; p < npix; p++) {
        uint8_t s = k.st[p] & 0x7F;
        int ref = (k.st[p] & ST_REF) != 0;
        long off = (long)SPIFFS_PIX_ADDR(p);
        if (p % fs->ppb < SPIFFS_LOOKUP_PAGES)
            continue;
        live += s != ST_FREE && s != ST_DELETED;
        if (s == ST_DATA && !ref)
            issue(&k, SPIFFS_WARN, off, "data page %u belongs to no file"
                  " (lost space); remove and re-add the file or rebuild",
                  p);
        else if (s == ST_IX && !ref)
            issue(&k, SPIFFS_WARN, off, "index page %u belongs to no file"
                  " (lost space); rebuild the image", p);
    }
    uint32_t limit = (fs->nblocks - SPIFFS_RESERVE_BLOCKS) * fs->epb;
    if (live > limit)
        issue(&k, SPIFFS_WARN, -1, "%u pages used, more than the %u that"
              " leave two blocks free: the firmware can read but not write"
              " files; build a larger image", live, limit);
    r = 0;
out:
    free(k.st);
    return r < 0 ? r : k.count;
}
