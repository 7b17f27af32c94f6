/*
** spiffs_repair.c: what spiffs_mount does with SPIFFS_MOUNT_REPAIR after
** the magics: it settles whatever a power cut left of an operation, so
** that every file holds its old or its new content, no page is lost to a
** half-done write or remove, and fsck finds nothing a cut can leave. On a
** file system no cut has touched it only reads.
** Spec: docs/spiffs.md §5.2, §5.6. Twin: spiffs_fsck.c (reports what this
** mends and changes nothing). May call: libc.
**
** Steps, each a pass over the lookup entries (no memory beyond the
** stack): (1) pages no reader can use are dropped; (2) a replacement's
** new version, still invisible, is made final if the old one was already
** hidden, else removed; (3) removes are finished; (4) pages of objects
** without a live header are dropped; (5) per file, duplicate headers and
** index pages are dropped (the header of the largest size wins, then the
** first in lookup order), then data pages no slot points to, then slots
** past the end and bytes past the end of the last data page are reset.
** "Dropped" is one write: the lookup entry becomes 0x0000 (deleted).
*/
#include "spiffs/spiffs_int.h"

#include <string.h>

/* What the page behind a live lookup entry is. */
enum {
    PG_BAD,         /* unusable: drop it                                */
    PG_DATA,        /* a data page                                      */
    PG_IX,          /* an index page of span >= 1                       */
    PG_HDR,         /* a live index header (spiffs_is_header)           */
    PG_NEW,         /* a header not yet final: a replacement in progress */
    PG_GONE         /* a header with IXDELE cleared: a remove in progress */
};

static int page_kind(const uint8_t *h, uint16_t lu)
{
    uint8_t f = h[4];
    int ix = (lu & SPIFFS_ID_IX_FLAG) != 0;
    if (SPIFFS_LE16(h) != lu || (f & SPIFFS_F_USED) ||
        ((f & SPIFFS_F_INDEX) == 0) != ix || !(f & SPIFFS_F_DELET))
        return PG_BAD;
    if (!ix || SPIFFS_LE16(h + 2) != 0)
        return (f & SPIFFS_F_FINAL) ? PG_BAD : ix ? PG_IX : PG_DATA;
    switch (f & (SPIFFS_F_IXDELE | SPIFFS_F_FINAL)) {
    case SPIFFS_F_IXDELE:                   return PG_HDR;
    case SPIFFS_F_IXDELE | SPIFFS_F_FINAL:  return PG_NEW;
    case 0:                                 return PG_GONE;
    default:                                return PG_BAD;
    }
}

/* A live lookup entry and the start of its page (through the name). */
typedef struct entry {
    uint32_t pix;
    uint16_t lu, id;
    int kind;
    uint8_t h[SPIFFS_OFF_HSLOTS];
} entry_t;

typedef int (*entry_fn)(spiffs_t *fs, void *ctx, const entry_t *e);

/* Call fn for every live lookup entry (of object id only, unless id is
** 0), in lookup order; stops at and returns a non-zero result. fn may
** change lookup entries. Only index headers are read past byte 5. */
static int each_entry(spiffs_t *fs, uint16_t id, entry_fn fn, void *ctx)
{
    entry_t en;
    for (uint32_t b = 0; b < fs->nblocks; b++) {
        for (uint32_t e = 0; e < fs->epb; e++) {
            int r = spiffs_lu(fs, b, e, &en.lu);
            if (r < 0)
                return r;
            en.id = en.lu & (uint16_t)~SPIFFS_ID_IX_FLAG;
            if (en.lu == SPIFFS_LU_FREE || en.lu == SPIFFS_LU_DELETED ||
                (id != 0 && en.id != id))
                continue;
            en.pix = spiffs_entry_pix(fs, b, e);
            r = spiffs_rd(fs, SPIFFS_PIX_ADDR(en.pix), en.h, 5);
            if (r < 0)
                return r;
            en.kind = page_kind(en.h, en.lu);
            if (en.kind != PG_BAD && en.kind != PG_DATA &&
                en.kind != PG_IX &&
                (r = spiffs_rd(fs, SPIFFS_PIX_ADDR(en.pix) + 5, en.h + 5,
                               sizeof en.h - 5)) < 0)
                return r;
            if ((r = fn(fs, ctx, &en)) != 0)
                return r;
        }
    }
    return 0;
}

static int drop(spiffs_t *fs, uint32_t pix)
{
    return spiffs_set_lu(fs, pix, SPIFFS_LU_DELETED);
}

static uint32_t hdr_size(const uint8_t *h)
{
    uint32_t s = SPIFFS_LE32(h + SPIFFS_OFF_SIZE);
    return s == SPIFFS_SIZE_UNDEF ? 0 : s;
}

static int same_name(const uint8_t *a, const uint8_t *b)
{
    return memcmp(a + SPIFFS_OFF_NAME, b + SPIFFS_OFF_NAME,
                  SPIFFS_NAME_LEN) == 0;
}

/* ---- (1) unusable pages, (3) removes ------------------------------- */

/* ctx counts the removes in progress. */
static int drop_bad(spiffs_t *fs, void *ctx, const entry_t *e)
{
    *(uint32_t *)ctx += e->kind == PG_GONE;
    return e->kind == PG_BAD ? drop(fs, e->pix) : 0;
}

static int finish_remove(spiffs_t *fs, void *ctx, const entry_t *e)
{
    (void)ctx;
    return e->kind == PG_GONE ? spiffs_purge(fs, e->id, e->pix) : 0;
}

/* ---- (2) replacements ------------------------------------------------ */

struct names {
    const uint8_t *h;       /* the new version's header                  */
    int live, gone;         /* headers of that name: live, being removed */
};

static int count_names(spiffs_t *fs, void *ctx, const entry_t *e)
{
    struct names *n = ctx;
    (void)fs;
    if ((e->kind == PG_HDR || e->kind == PG_GONE) && same_name(e->h, n->h)) {
        n->live += e->kind == PG_HDR;
        n->gone += e->kind == PG_GONE;
    }
    return 0;
}

/* spiffs_write_file hides the old version only once the new one is
** complete: so a hidden old version means "commit", none means "undo".
** ctx: the number of removes in progress (none: no need to look). */
static int settle_new(spiffs_t *fs, void *ctx, const entry_t *e)
{
    if (e->kind != PG_NEW)
        return 0;
    struct names n = { e->h, 0, 0 };
    int r = *(const uint32_t *)ctx ? each_entry(fs, 0, count_names, &n) : 0;
    if (r < 0)
        return r;
    if (n.gone > 0 && n.live == 0)
        return spiffs_clear_flags(fs, e->pix, SPIFFS_F_FINAL);
    return spiffs_purge(fs, e->id, e->pix);
}

/* ---- (4) orphans, in windows of 2048 ids ---------------------------- */

#define WIN 2048u

struct orphans {
    uint32_t base, max_id;
    uint8_t map[WIN / 8];   /* ids of the window with a live header      */
};

static int map_headers(spiffs_t *fs, void *ctx, const entry_t *e)
{
    struct orphans *o = ctx;
    (void)fs;
    if (e->id > o->max_id)
        o->max_id = e->id;
    uint32_t i = e->id - o->base;
    if (e->kind == PG_HDR && e->id >= o->base && i < WIN)
        o->map[i / 8] |= (uint8_t)(1u << (i % 8));
    return 0;
}

static int drop_orphan(spiffs_t *fs, void *ctx, const entry_t *e)
{
    const struct orphans *o = ctx;
    uint32_t i = e->id - o->base;
    if (e->id < o->base || i >= WIN || (o->map[i / 8] & (1u << (i % 8))))
        return 0;
    return drop(fs, e->pix);
}

static int drop_orphans(spiffs_t *fs)
{
    struct orphans o = { .base = 1, .max_id = 0 };
    do {
        memset(o.map, 0, sizeof o.map);
        int r = each_entry(fs, 0, map_headers, &o);
        if (r < 0 || (r = each_entry(fs, 0, drop_orphan, &o)) < 0)
            return r;
        o.base += WIN;
    } while (o.base <= o.max_id);
    return 0;
}

/* ---- (5) one file ----------------------------------------------------- */

/* Index spans a file can have: data pages of a 16 MiB FS / 124, + 2. */
#define MAX_IX (SPIFFS_MAX_FS_SIZE / SPIFFS_PAGE_SIZE / SPIFFS_IX_SLOTS + 2)

typedef struct file {
    uint32_t hpix, size, dpages, ixpages;
    uint16_t id;
    uint8_t seen[MAX_IX / 8 + 1];   /* index spans met                  */
    uint32_t cur_k, cur_pix;        /* last index page looked up        */
} file_t;

/* The header that stays: the largest size, then the first. */
static int best_header(spiffs_t *fs, void *ctx, const entry_t *e)
{
    file_t *f = ctx;
    (void)fs;
    if (e->kind == PG_HDR && hdr_size(e->h) > f->size) {
        f->hpix = e->pix;
        f->size = hdr_size(e->h);
    }
    return 0;
}

/* Other headers, index pages past the end or met before. */
static int drop_extra_ix(spiffs_t *fs, void *ctx, const entry_t *e)
{
    file_t *f = ctx;
    uint32_t k = SPIFFS_LE16(e->h + 2);
    if (e->kind == PG_HDR)
        return e->pix == f->hpix ? 0 : drop(fs, e->pix);
    if (e->kind != PG_IX)
        return 0;
    if (k >= f->ixpages || (f->seen[k / 8] & (1u << (k % 8))))
        return drop(fs, e->pix);
    f->seen[k / 8] |= (uint8_t)(1u << (k % 8));
    return 0;
}

/* Where the index page of span k is, or UINT32_MAX. */
static int ix_page(spiffs_t *fs, file_t *f, uint32_t k, uint32_t *pix)
{
    uint16_t p = (uint16_t)f->hpix;
    if (k != f->cur_k) {
        int r = k == 0 ? 0 : spiffs_find_ix(fs, f->id, (uint16_t)k, &p);
        if (r < 0 && r != SPIFFS_ENOENT)
            return r;
        f->cur_k = k;
        f->cur_pix = r < 0 ? UINT32_MAX : p;
    }
    *pix = f->cur_pix;
    return 0;
}

/* Data pages past the end or that no slot points to. */
static int drop_unused_data(spiffs_t *fs, void *ctx, const entry_t *e)
{
    file_t *f = ctx;
    uint32_t s = SPIFFS_LE16(e->h + 2), ipix;
    uint8_t sl[2];
    if (e->kind != PG_DATA)
        return 0;
    if (s >= f->dpages)
        return drop(fs, e->pix);
    int r = ix_page(fs, f, spiffs_ix_span(s), &ipix);
    if (r < 0)
        return r;
    if (ipix == UINT32_MAX)
        return drop(fs, e->pix);
    r = spiffs_rd(fs, SPIFFS_PIX_ADDR(ipix) + spiffs_slot_off(s), sl, 2);
    if (r < 0)
        return r;
    return SPIFFS_LE16(sl) == e->pix ? 0 : drop(fs, e->pix);
}

/* A cut append leaves slots past the end set and bytes past the end in
** the last data page: the last index page is rewritten with those slots
** 0xFFFF, pointing to a copy of that data page with 0xFF past the end
** (§1.9). The old and new pages hold the same file, so a cut here is as
** harmless. Without free pages it stays as it is (appends cope). */
static int reset_tail(spiffs_t *fs, file_t *f)
{
    uint8_t ix[SPIFFS_PAGE_SIZE], pg[SPIFFS_PAGE_SIZE];
    uint32_t k = f->ixpages - 1, ipix, np, copy = 0, tail = UINT32_MAX;
    uint32_t s0 = k == 0 ? 0 : SPIFFS_HDR_SLOTS + (k - 1) * SPIFFS_IX_SLOTS;
    uint32_t s1 = s0 + (k == 0 ? SPIFFS_HDR_SLOTS : SPIFFS_IX_SLOTS);
    int r = ix_page(fs, f, k, &ipix), changed = 0;
    if (r < 0 || ipix == UINT32_MAX)
        return r;
    if ((r = spiffs_rd(fs, SPIFFS_PIX_ADDR(ipix), ix, sizeof ix)) < 0)
        return r;
    for (uint32_t s = f->dpages > s0 ? f->dpages : s0; s < s1; s++) {
        if (SPIFFS_LE16(ix + spiffs_slot_off(s)) != SPIFFS_LU_FREE) {
            spiffs_put16(ix + spiffs_slot_off(s), SPIFFS_LU_FREE);
            changed = 1;
        }
    }
    uint32_t used = f->size % SPIFFS_DATA_PER_PAGE, s = f->dpages - 1;
    uint16_t dpix = SPIFFS_LE16(ix + spiffs_slot_off(s));
    if (used > 0 && spiffs_pix_ok(fs, dpix)) {
        if ((r = spiffs_rd(fs, SPIFFS_PIX_ADDR(dpix), pg, sizeof pg)) < 0)
            return r;
        uint8_t *end = pg + SPIFFS_OFF_DATA + used;
        size_t n = SPIFFS_DATA_PER_PAGE - used;
        if (spiffs_hdr_ok(pg, f->id, (uint16_t)s, 0) &&
            (end[0] != 0xFF || memcmp(end, end + 1, n - 1) != 0)) {
            memset(end, 0xFF, n);
            r = spiffs_new_page(fs, f->id, pg, UINT32_MAX, &copy);
            if (r < 0)
                return r == SPIFFS_ENOSPC ? 0 : r;
            spiffs_put16(ix + spiffs_slot_off(s), (uint16_t)copy);
            tail = dpix;
            changed = 1;
        }
    }
    if (!changed)
        return 0;
    r = spiffs_update_page(fs, ipix, f->id | SPIFFS_ID_IX_FLAG, ix, &np,
                           NULL);
    if (r == SPIFFS_ENOSPC && tail != UINT32_MAX)
        return drop(fs, copy);
    if (r < 0)
        return r == SPIFFS_ENOSPC ? 0 : r;
    return tail == UINT32_MAX ? 0 : spiffs_delete_page(fs, tail);
}

static int mend_file(spiffs_t *fs, void *ctx, const entry_t *e)
{
    file_t f = { .hpix = e->pix, .size = hdr_size(e->h), .id = e->id,
                 .cur_k = UINT32_MAX };
    (void)ctx;
    if (e->kind != PG_HDR)
        return 0;
    int r = each_entry(fs, e->id, best_header, &f);
    if (r < 0 || f.hpix != e->pix)     /* a later header stays */
        return r;
    f.dpages = spiffs_data_pages(f.size);
    f.ixpages = spiffs_ix_pages(f.size);
    if ((uint64_t)f.dpages > (uint64_t)fs->nblocks * fs->epb)
        return 0;                       /* corrupt: not ours to mend */
    if ((r = each_entry(fs, e->id, drop_extra_ix, &f)) < 0 ||
        (r = each_entry(fs, e->id, drop_unused_data, &f)) < 0)
        return r;
    return f.dpages > 0 ? reset_tail(fs, &f) : 0;
}

SPIFFS_INTERNAL int spiffs_repair(spiffs_t *fs)
{
    uint32_t gone = 0;
    int r;
    if ((r = each_entry(fs, 0, drop_bad, &gone)) < 0 ||
        (r = each_entry(fs, 0, settle_new, &gone)) < 0 ||
        (r = each_entry(fs, 0, finish_remove, NULL)) < 0 ||
        (r = drop_orphans(fs)) < 0)
        return r;
    return each_entry(fs, 0, mend_file, NULL);
}
