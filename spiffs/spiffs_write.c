/*
** spiffs_write.c: the write side of the SPIFFS library: format, page
** allocation, create, append, write, rename, remove and garbage
** collection, all NOR-safe (a programmed byte only loses bits).
** Spec: docs/spiffs.md §1.4-§1.15, §1.17. Twin: spiffs_read.c.
** May call: libc.
**
** Layout: pages are taken in (block, entry) order from a cursor, always
** the first free entry of a block (§1.13), so a fresh FS filled by
** create + append gets the canonical clean layout of §1.15: header page,
** then data pages, each index page just before the data it describes, and
** the header's size and slots filled in place (they start as all ones).
** A page whose new bytes would need a 0 bit turned back into 1 is written
** to a fresh page instead and the old one deleted ("relocated").
** Space: live pages never exceed (N - 2) * entries per block (§1.17); GC
** runs only before an operation, never in the middle of one.
** Power cuts (§5.6): every operation keeps the old version readable until
** one last write switches to the new one; what a cut leaves around that
** write, spiffs_repair.c settles at the next mount.
*/
#include "spiffs/spiffs_int.h"

#include <string.h>

static int gc_block(spiffs_t *fs);

/* Erase block b, then write its erase count and magic (§1.14). */
static int block_init_ec(spiffs_t *fs, uint32_t b, uint16_t ec)
{
    uint8_t v[2];
    int r = spiffs_er(fs, b);
    if (r < 0)
        return r;
    spiffs_put16(v, ec);
    r = spiffs_wr(fs, b * fs->block_size + SPIFFS_LU_ERASE_OFF, v, 2);
    if (r < 0)
        return r;
    spiffs_put16(v, spiffs_magic(fs->nblocks, b));
    return spiffs_wr(fs, b * fs->block_size + SPIFFS_LU_MAGIC_OFF, v, 2);
}

SPIFFS_INTERNAL int spiffs_block_init(spiffs_t *fs, uint32_t b)
{
    uint16_t ec = (uint16_t)(fs->max_erase + 1);
    if (ec == 0xFFFF)
        ec = 0;
    fs->max_erase = ec;
    return block_init_ec(fs, b, ec);
}

int spiffs_format(const spiffs_config_t *cfg)
{
    spiffs_t fs;
    int r = spiffs_mount_force(&fs, cfg);   /* geometry; magics ignored */
    if (r < 0 && fs.nblocks == 0)
        return r;
    for (uint32_t b = 0; b < fs.nblocks; b++)
        if ((r = block_init_ec(&fs, b, 0)) < 0)
            return r;
    return 0;
}

int spiffs_name_check(const char *name)
{
    size_t n = name ? strlen(name) : 0;
    if (n == 0 || n > SPIFFS_NAME_MAX || name[0] == '/')
        return SPIFFS_ENAME;
    return 0;
}

/* ---- page primitives ---------------------------------------------- */

SPIFFS_INTERNAL int spiffs_set_lu(spiffs_t *fs, uint32_t pix, uint16_t v)
{
    uint8_t b[2];
    uint32_t blk = pix / fs->ppb, e = pix % fs->ppb - SPIFFS_LOOKUP_PAGES;
    spiffs_put16(b, v);
    return spiffs_wr(fs, blk * fs->block_size + 2 * e, b, 2);
}

SPIFFS_INTERNAL int spiffs_clear_flags(spiffs_t *fs, uint32_t pix,
                                       uint8_t bits)
{
    uint8_t f;
    int r = spiffs_rd(fs, SPIFFS_PIX_ADDR(pix) + 4, &f, 1);
    if (r < 0)
        return r;
    f &= (uint8_t)~bits;
    return spiffs_wr(fs, SPIFFS_PIX_ADDR(pix) + 4, &f, 1);
}

SPIFFS_INTERNAL int spiffs_delete_page(spiffs_t *fs, uint32_t pix)
{
    int r = spiffs_clear_flags(fs, pix, SPIFFS_F_DELET);
    return r < 0 ? r : spiffs_set_lu(fs, pix, SPIFFS_LU_DELETED);
}

static int all_ff(const uint8_t *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (p[i] != 0xFF)
            return 0;
    return 1;
}

/* Take the first free entry of the first block with one, from the cursor
** on, skipping block `avoid`; a free entry whose page is not erased is
** marked deleted and skipped. */
static int alloc_page(spiffs_t *fs, uint32_t avoid, uint32_t *pixp)
{
    uint8_t pg[SPIFFS_PAGE_SIZE];
    for (uint32_t i = 0; i < fs->nblocks; i++) {
        uint32_t b = (fs->cursor + i) % fs->nblocks;
        if (b == avoid)
            continue;
        for (uint32_t e = 0; e < fs->epb; e++) {
            uint16_t lu;
            int r = spiffs_lu(fs, b, e, &lu);
            if (r < 0)
                return r;
            if (lu != SPIFFS_LU_FREE)
                continue;
            uint32_t pix = spiffs_entry_pix(fs, b, e);
            if ((r = spiffs_rd(fs, SPIFFS_PIX_ADDR(pix), pg, sizeof pg)) < 0)
                return r;
            if (!all_ff(pg, sizeof pg)) {
                if ((r = spiffs_set_lu(fs, pix, SPIFFS_LU_DELETED)) < 0)
                    return r;
                continue;
            }
            fs->cursor = b;
            *pixp = pix;
            return 0;
        }
    }
    return SPIFFS_ENOSPC;
}

/* Allocate a page, write its lookup entry, then its 256 bytes. */
SPIFFS_INTERNAL int spiffs_new_page(spiffs_t *fs, uint16_t lu,
                                    const uint8_t *page, uint32_t avoid,
                                    uint32_t *pixp)
{
    uint32_t pix;
    int r = alloc_page(fs, avoid, &pix);
    if (r < 0 || (r = spiffs_set_lu(fs, pix, lu)) < 0)
        return r;
    if ((r = spiffs_wr(fs, SPIFFS_PIX_ADDR(pix), page, SPIFFS_PAGE_SIZE)) < 0)
        return r;
    *pixp = pix;
    return 0;
}

/* spiffs_int.h; in place, only the changed range is programmed. */
SPIFFS_INTERNAL int spiffs_update_page(spiffs_t *fs, uint32_t pix,
                                       uint16_t lu, const uint8_t *page,
                                       uint32_t *newpix, uint32_t *stale)
{
    uint8_t cur[SPIFFS_PAGE_SIZE];
    int r = spiffs_rd(fs, SPIFFS_PIX_ADDR(pix), cur, sizeof cur);
    if (r < 0)
        return r;
    size_t lo = SPIFFS_PAGE_SIZE, hi = 0, i;
    int inplace = 1;
    for (i = 0; i < SPIFFS_PAGE_SIZE; i++) {
        if (cur[i] == page[i])
            continue;
        if ((cur[i] & page[i]) != page[i])
            inplace = 0;
        if (lo == SPIFFS_PAGE_SIZE)
            lo = i;
        hi = i + 1;
    }
    *newpix = pix;
    if (stale)
        *stale = UINT32_MAX;
    if (lo == SPIFFS_PAGE_SIZE)
        return 0;
    if (inplace)
        return spiffs_wr(fs, SPIFFS_PIX_ADDR(pix) + (uint32_t)lo, page + lo,
                         (uint32_t)(hi - lo));
    if ((r = spiffs_new_page(fs, lu, page, UINT32_MAX, newpix)) < 0)
        return r;
    if (stale) {
        *stale = pix;
        return 0;
    }
    return spiffs_delete_page(fs, pix);
}

static void page_header(uint8_t *page, uint16_t id, uint16_t span,
                        uint8_t flags)
{
    memset(page, 0xFF, SPIFFS_PAGE_SIZE);
    spiffs_put16(page, id);
    spiffs_put16(page + 2, span);
    page[4] = flags;
}

/* ---- space -------------------------------------------------------- */

/* Room for `new_live` more live pages within the reserve, and at least
** `need_free` free pages plus one block's worth (so that a later
** collection always has somewhere to move a victim's live pages),
** collecting garbage for them if needed. */
static int ensure(spiffs_t *fs, int64_t new_live, uint32_t need_free)
{
    uint32_t want = need_free + fs->epb;
    for (uint32_t round = 0; round <= fs->nblocks; round++) {
        spiffs_usage_t u;
        int r = spiffs_usage(fs, &u);
        if (r < 0)
            return r;
        if ((int64_t)u.live_pages + new_live > (int64_t)u.limit_pages)
            return SPIFFS_ENOSPC;
        if (u.free_pages >= want)
            return 0;
        if ((r = gc_block(fs)) < 0)
            return r;
    }
    return SPIFFS_ENOSPC;
}

/* Lowest object id no lookup entry uses, in windows of 2048 ids. */
static int alloc_id(spiffs_t *fs, uint16_t *idp)
{
    uint8_t map[256];
    for (uint32_t base = 1; base <= SPIFFS_ID_MAX; base += 2048) {
        memset(map, 0, sizeof map);
        for (uint32_t b = 0; b < fs->nblocks; b++) {
            for (uint32_t e = 0; e < fs->epb; e++) {
                uint16_t lu;
                int r = spiffs_lu(fs, b, e, &lu);
                if (r < 0)
                    return r;
                if (lu == SPIFFS_LU_FREE || lu == SPIFFS_LU_DELETED)
                    continue;
                uint32_t id = lu & (uint16_t)~SPIFFS_ID_IX_FLAG;
                if (id >= base && id < base + 2048)
                    map[(id - base) / 8] |= (uint8_t)(1u << ((id - base) % 8));
            }
        }
        for (uint32_t i = 0; i < 2048 && base + i <= SPIFFS_ID_MAX; i++) {
            if (!(map[i / 8] & (1u << (i % 8)))) {
                *idp = (uint16_t)(base + i);
                return 0;
            }
        }
    }
    return SPIFFS_ENOID;
}

/* ---- create, append, write ---------------------------------------- */

static void set_name(uint8_t *page, const char *name)
{
    memset(page + SPIFFS_OFF_NAME, 0, SPIFFS_NAME_LEN);
    memcpy(page + SPIFFS_OFF_NAME, name, strlen(name));
}

/* A new empty object `name` under the lowest free id, its header with
** flags `flags` (§1.7); st describes it. */
static int new_object(spiffs_t *fs, const char *name, uint8_t flags,
                      spiffs_stat_t *st)
{
    uint8_t page[SPIFFS_PAGE_SIZE];
    uint16_t id;
    uint32_t pix;
    int r = alloc_id(fs, &id);
    if (r < 0)
        return r;
    page_header(page, id | SPIFFS_ID_IX_FLAG, 0, flags);
    spiffs_put32(page + SPIFFS_OFF_SIZE, SPIFFS_SIZE_UNDEF);
    page[SPIFFS_OFF_TYPE] = SPIFFS_TYPE_FILE;
    set_name(page, name);
    r = spiffs_new_page(fs, id | SPIFFS_ID_IX_FLAG, page, UINT32_MAX, &pix);
    if (r < 0)
        return r;
    spiffs_hdr_stat(page, (uint16_t)pix, st);
    return 0;
}

int spiffs_create(spiffs_t *fs, const char *name)
{
    spiffs_stat_t st;
    int r = spiffs_name_check(name);
    if (r < 0)
        return r;
    r = spiffs_find(fs, name, &st);
    if (r == 0)
        return SPIFFS_EEXIST;
    if (r != SPIFFS_ENOENT)
        return r;
    if ((r = ensure(fs, 1, 1)) < 0)
        return r;
    return new_object(fs, name, SPIFFS_FLAGS_INDEX, &st);
}

/* Append to the file whose header is st (found after ensure()). Until
** the header's last write the old size stands and every page the old
** version reads stays as it was, its bytes at least: new bytes go to the
** tail of the last data page in place (it is 0xFF there, §1.9), else to a
** copy kept beside the original until the header has switched. */
static int append_at(spiffs_t *fs, const spiffs_stat_t *st,
                     const uint8_t *data, uint32_t n)
{
    uint8_t hbuf[SPIFFS_PAGE_SIZE], ibuf[SPIFFS_PAGE_SIZE];
    uint8_t pg[SPIFFS_PAGE_SIZE];
    uint16_t id = st->id, ixid = id | SPIFFS_ID_IX_FLAG;
    uint32_t pos = st->size, end = st->size + n, cur_k = 0, ipix = 0, np;
    uint32_t stale = UINT32_MAX;
    int r = spiffs_rd(fs, SPIFFS_PIX_ADDR(st->hpix), hbuf, sizeof hbuf);
    if (r < 0)
        return r;
    while (pos < end) {
        uint32_t s = pos / SPIFFS_DATA_PER_PAGE;
        uint32_t o = pos % SPIFFS_DATA_PER_PAGE;
        uint32_t k = spiffs_ix_span(s);
        if (k != cur_k) {
            if (cur_k > 0 && (r = spiffs_update_page(fs, ipix, ixid, ibuf,
                                                     &np, NULL)) < 0)
                return r;
            uint16_t p16;
            r = spiffs_find_ix(fs, id, (uint16_t)k, &p16);
            if (r == 0) {
                ipix = p16;
                r = spiffs_rd(fs, SPIFFS_PIX_ADDR(ipix), ibuf, sizeof ibuf);
            } else if (r == SPIFFS_ENOENT) {
                page_header(ibuf, ixid, (uint16_t)k, SPIFFS_FLAGS_INDEX);
                r = spiffs_new_page(fs, ixid, ibuf, UINT32_MAX, &ipix);
            }
            if (r < 0)
                return r;
            cur_k = k;
        }
        uint8_t *ix = cur_k == 0 ? hbuf : ibuf;
        uint8_t *slot = ix + spiffs_slot_off(s);
        uint32_t chunk = SPIFFS_DATA_PER_PAGE - o;
        if (chunk > end - pos)
            chunk = end - pos;
        if (o > 0) {
            uint16_t dpix = SPIFFS_LE16(slot);
            if (!spiffs_pix_ok(fs, dpix))
                return SPIFFS_ECORRUPT;
            if ((r = spiffs_rd(fs, SPIFFS_PIX_ADDR(dpix), pg, sizeof pg)) < 0)
                return r;
            if (!spiffs_hdr_ok(pg, id, (uint16_t)s, 0))
                return SPIFFS_ECORRUPT;
            memcpy(pg + SPIFFS_OFF_DATA + o, data, chunk);
            memset(pg + SPIFFS_OFF_DATA + o + chunk, 0xFF,
                   SPIFFS_DATA_PER_PAGE - o - chunk);
            if ((r = spiffs_update_page(fs, dpix, id, pg, &np, &stale)) < 0)
                return r;
        } else {
            page_header(pg, id, (uint16_t)s, SPIFFS_FLAGS_DATA);
            memcpy(pg + SPIFFS_OFF_DATA, data, chunk);
            if ((r = spiffs_new_page(fs, id, pg, UINT32_MAX, &np)) < 0)
                return r;
        }
        spiffs_put16(slot, (uint16_t)np);
        pos += chunk;
        data += chunk;
    }
    if (cur_k > 0 && (r = spiffs_update_page(fs, ipix, ixid, ibuf, &np,
                                             NULL)) < 0)
        return r;
    spiffs_put32(hbuf + SPIFFS_OFF_SIZE, end);
    if ((r = spiffs_update_page(fs, st->hpix, ixid, hbuf, &np, NULL)) < 0)
        return r;
    return stale == UINT32_MAX ? 0 : spiffs_delete_page(fs, stale);
}

int spiffs_append(spiffs_t *fs, const char *name, const void *data,
                  size_t n)
{
    spiffs_stat_t st;
    int r = spiffs_stat(fs, name, &st);
    if (r < 0 || n == 0)
        return r;
    if (n >= SPIFFS_SIZE_UNDEF - (uint64_t)st.size ||
        spiffs_data_pages((uint64_t)st.size + n) > fs->nblocks * fs->epb)
        return SPIFFS_ENOSPC;
    uint32_t grow = spiffs_file_pages((uint64_t)st.size + n) -
                    spiffs_file_pages(st.size);
    if ((r = ensure(fs, grow, grow + 4)) < 0)
        return r;
    if ((r = spiffs_find(fs, name, &st)) < 0)  /* GC may have moved it */
        return r;
    return append_at(fs, &st, data, (uint32_t)n);
}

int spiffs_write_file(spiffs_t *fs, const char *name, const void *data,
                      size_t n)
{
    spiffs_stat_t old, st;
    int r = spiffs_name_check(name);
    if (r < 0)
        return r;
    if ((uint64_t)n >= SPIFFS_SIZE_UNDEF ||
        spiffs_data_pages(n) > fs->nblocks * fs->epb)
        return SPIFFS_ENOSPC;
    /* The new version is written beside the old one, as an object whose
    ** header is not final (invisible, §1.6); then the old header is hidden
    ** (IXDELE) and the new one made final. A cut before the hiding leaves
    ** the old version, after it the new one (spiffs_repair.c). */
    uint32_t pages = spiffs_file_pages(n);
    if ((r = ensure(fs, pages, pages + 4)) < 0)
        return r;
    r = spiffs_find(fs, name, &old);
    if (r < 0 && r != SPIFFS_ENOENT)
        return r;
    int had = r == 0;
    r = new_object(fs, name, SPIFFS_FLAGS_INDEX | SPIFFS_F_FINAL, &st);
    if (r < 0)
        return r;
    if (n > 0 && (r = append_at(fs, &st, data, (uint32_t)n)) < 0) {
        spiffs_purge(fs, st.id, st.hpix);
        return r;
    }
    if (had && (r = spiffs_clear_flags(fs, old.hpix, SPIFFS_F_IXDELE)) < 0)
        return r;
    if ((r = spiffs_clear_flags(fs, st.hpix, SPIFFS_F_FINAL)) < 0)
        return r;
    return had ? spiffs_purge(fs, old.id, old.hpix) : 0;
}

/* ---- rename, remove ------------------------------------------------ */

int spiffs_rename(spiffs_t *fs, const char *from, const char *to)
{
    spiffs_stat_t st, st2;
    uint8_t page[SPIFFS_PAGE_SIZE];
    uint32_t np;
    int r = spiffs_name_check(to);
    if (r < 0)
        return r;
    if ((r = spiffs_stat(fs, from, &st)) < 0)
        return r;
    if (strcmp(from, to) == 0)
        return 0;
    r = spiffs_find(fs, to, &st2);
    if (r == 0)
        return SPIFFS_EEXIST;
    if (r != SPIFFS_ENOENT)
        return r;
    if ((r = ensure(fs, 0, 1)) < 0 || (r = spiffs_find(fs, from, &st)) < 0)
        return r;
    if ((r = spiffs_rd(fs, SPIFFS_PIX_ADDR(st.hpix), page, sizeof page)) < 0)
        return r;
    set_name(page, to);
    return spiffs_update_page(fs, st.hpix, st.id | SPIFFS_ID_IX_FLAG, page,
                              &np, NULL);
}

SPIFFS_INTERNAL int spiffs_purge(spiffs_t *fs, uint16_t id, uint32_t hpix)
{
    for (uint32_t b = 0; b < fs->nblocks; b++) {
        for (uint32_t e = 0; e < fs->epb; e++) {
            uint16_t lu;
            uint32_t pix = spiffs_entry_pix(fs, b, e);
            int r = spiffs_lu(fs, b, e, &lu);
            if (r < 0)
                return r;
            if (lu == SPIFFS_LU_FREE || lu == SPIFFS_LU_DELETED ||
                (lu & (uint16_t)~SPIFFS_ID_IX_FLAG) != id || pix == hpix)
                continue;
            if ((r = spiffs_delete_page(fs, pix)) < 0)
                return r;
        }
    }
    return spiffs_delete_page(fs, hpix);
}

int spiffs_remove(spiffs_t *fs, const char *name)
{
    spiffs_stat_t st;
    int r = spiffs_stat(fs, name, &st);
    if (r < 0)
        return r;
    /* §1.6: first hide the header (IXDELE), then delete every page of
    ** the object (stale copies too), the header last. */
    if ((r = spiffs_clear_flags(fs, st.hpix, SPIFFS_F_IXDELE)) < 0)
        return r;
    return spiffs_purge(fs, st.id, st.hpix);
}

/* ---- garbage collection -------------------------------------------- */

#define GC_MAX 128  /* >= entries per block (31) */

typedef struct gc_plan {
    uint32_t ndata, naff, nidx_here, garbage, deleted;
    uint16_t d_old[GC_MAX], d_span[GC_MAX], d_id[GC_MAX];
    uint8_t d_aff[GC_MAX];
    uint16_t a_id[GC_MAX], a_k[GC_MAX], a_pix[GC_MAX];
} gc_plan_t;

static int plan_aff(spiffs_t *fs, gc_plan_t *p, uint16_t id, uint16_t k,
                    int *idx, int *added)
{
    *added = 0;
    for (uint32_t i = 0; i < p->naff; i++) {
        if (p->a_id[i] == id && p->a_k[i] == k) {
            *idx = (int)i;
            return 0;
        }
    }
    uint16_t pix, hpix;
    int r = spiffs_find_ix(fs, id, k, &pix);
    if (r == 0 && k > 0)    /* index page of no file: an orphan (§5.6) */
        r = spiffs_find_ix(fs, id, 0, &hpix);
    if (r < 0)
        return r;
    p->a_id[p->naff] = id;
    p->a_k[p->naff] = k;
    p->a_pix[p->naff] = pix;
    *idx = (int)p->naff++;
    *added = 1;
    return 0;
}

/* What collecting block b involves: live data pages to copy, index pages
** to rewrite (those in b, and those elsewhere pointing into b). */
static int gc_plan(spiffs_t *fs, uint32_t b, gc_plan_t *p)
{
    uint8_t lu[SPIFFS_PAGE_SIZE], h[5];
    int r = spiffs_rd(fs, b * fs->block_size, lu, sizeof lu);
    if (r < 0)
        return r;
    memset(p, 0, sizeof *p);
    /* index pages of b first, so rewrites of them are known as local */
    for (int pass = 0; pass < 2; pass++) {
        for (uint32_t e = 0; e < fs->epb; e++) {
            uint16_t v = SPIFFS_LE16(lu + 2 * e);
            uint32_t pix = spiffs_entry_pix(fs, b, e);
            int idx, added;
            if (v == SPIFFS_LU_FREE)
                continue;
            if (v == SPIFFS_LU_DELETED) {
                p->deleted += pass == 0;
                continue;
            }
            int is_ix = (v & SPIFFS_ID_IX_FLAG) != 0;
            if (is_ix != (pass == 0))
                continue;
            if ((r = spiffs_rd(fs, SPIFFS_PIX_ADDR(pix), h, 5)) < 0)
                return r;
            uint16_t id = v & (uint16_t)~SPIFFS_ID_IX_FLAG;
            uint16_t span = SPIFFS_LE16(h + 2);
            if (!spiffs_hdr_ok(h, id, span, is_ix)) {
                p->garbage++;
                continue;
            }
            if (is_ix) {
                r = plan_aff(fs, p, id, span, &idx, &added);
                if (r == SPIFFS_ENOENT || (r == 0 && p->a_pix[idx] != pix)) {
                    if (r == 0 && added)
                        p->naff--;          /* a stale duplicate */
                    p->garbage++;
                    continue;
                }
                if (r < 0)
                    return r;
                p->nidx_here++;
                continue;
            }
            r = plan_aff(fs, p, id, (uint16_t)spiffs_ix_span(span), &idx,
                         &added);
            if (r == SPIFFS_ENOENT) {
                p->garbage++;               /* orphan data page */
                continue;
            }
            if (r < 0)
                return r;
            uint8_t sl[2];
            r = spiffs_rd(fs, SPIFFS_PIX_ADDR(p->a_pix[idx]) +
                          spiffs_slot_off(span), sl, 2);
            if (r < 0)
                return r;
            if (SPIFFS_LE16(sl) != pix) {
                p->garbage++;               /* superseded data page */
                continue;
            }
            p->d_old[p->ndata] = (uint16_t)pix;
            p->d_span[p->ndata] = span;
            p->d_id[p->ndata] = id;
            p->d_aff[p->ndata] = (uint8_t)idx;
            p->ndata++;
        }
    }
    return 0;
}

static int gc_run(spiffs_t *fs, uint32_t b, const gc_plan_t *p)
{
    uint8_t pg[SPIFFS_PAGE_SIZE];
    uint16_t d_new[GC_MAX];
    uint32_t np;
    int r;
    for (uint32_t i = 0; i < p->ndata; i++) {
        if ((r = spiffs_rd(fs, SPIFFS_PIX_ADDR(p->d_old[i]), pg,
                           sizeof pg)) < 0 ||
            (r = spiffs_new_page(fs, p->d_id[i], pg, b, &np)) < 0)
            return r;
        d_new[i] = (uint16_t)np;
    }
    for (uint32_t a = 0; a < p->naff; a++) {
        if ((r = spiffs_rd(fs, SPIFFS_PIX_ADDR(p->a_pix[a]), pg,
                           sizeof pg)) < 0)
            return r;
        for (uint32_t i = 0; i < p->ndata; i++)
            if (p->d_aff[i] == a)
                spiffs_put16(pg + spiffs_slot_off(p->d_span[i]), d_new[i]);
        if ((r = spiffs_new_page(fs, p->a_id[a] | SPIFFS_ID_IX_FLAG, pg, b,
                                 &np)) < 0 ||
            (r = spiffs_delete_page(fs, p->a_pix[a])) < 0)
            return r;
    }
    for (uint32_t i = 0; i < p->ndata; i++)
        if ((r = spiffs_delete_page(fs, p->d_old[i])) < 0)
            return r;
    return spiffs_block_init(fs, b);
}

/* Reclaim one block of deleted pages; SPIFFS_ENOSPC if none can be. */
static int gc_block(spiffs_t *fs)
{
    /* candidates: the blocks with the most deleted pages */
    enum { NCAND = 16 };
    uint32_t cb[NCAND], cd[NCAND], cf[NCAND], nc = 0, total_free = 0;
    gc_plan_t plan;
    for (uint32_t b = 0; b < fs->nblocks; b++) {
        uint32_t del = 0, fr = 0;
        for (uint32_t e = 0; e < fs->epb; e++) {
            uint16_t lu;
            int r = spiffs_lu(fs, b, e, &lu);
            if (r < 0)
                return r;
            del += lu == SPIFFS_LU_DELETED;
            fr += lu == SPIFFS_LU_FREE;
        }
        total_free += fr;
        if (del == 0)
            continue;
        uint32_t i = nc < NCAND ? nc++ : NCAND;
        while (i > 0 && cd[i - 1] < del) {
            if (i < NCAND) {
                cb[i] = cb[i - 1];
                cd[i] = cd[i - 1];
                cf[i] = cf[i - 1];
            }
            i--;
        }
        if (i < NCAND) {
            cb[i] = b;
            cd[i] = del;
            cf[i] = fr;
        }
    }
    /* of those, the feasible one that frees the most pages; one that frees
    ** none still helps when nothing better exists: it packs live pages
    ** (and their index pages) together, so later victims cost less */
    int best = -1;
    int64_t best_gain = -1;
    for (uint32_t c = 0; c < nc; c++) {
        int r = gc_plan(fs, cb[c], &plan);
        if (r < 0)
            return r;
        uint32_t need = plan.ndata + plan.naff;
        int64_t gain = (int64_t)plan.deleted + plan.garbage -
                       (plan.naff - plan.nidx_here);
        if (total_free - cf[c] >= need && gain > best_gain) {
            best = (int)c;
            best_gain = gain;
        }
    }
    if (best >= 0) {
        int r = gc_plan(fs, cb[best], &plan);
        return r < 0 ? r : gc_run(fs, cb[best], &plan);
    }
    return SPIFFS_ENOSPC;
}
