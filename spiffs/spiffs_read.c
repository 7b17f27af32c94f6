/*
** spiffs_read.c: the read side of the SPIFFS library: firmware geometry
** rules and probe, mount checks, lookup scans, list, stat, read, usage.
** Spec: docs/spiffs.md §1.3-§1.6, §1.16-§1.18. Twin: spiffs_write.c.
** May call: libc. Every loop is bounded by the page count, so corrupt
** images give an error code, never a hang or an out-of-bounds access.
*/
#include "spiffs/spiffs_int.h"

#include <string.h>

uint32_t spiffs_fw_block_size(uint32_t size)
{
    return size < SPIFFS_SMALL_FS_LIMIT ? SPIFFS_BLOCK_SMALL
                                        : SPIFFS_BLOCK_LARGE;
}

int spiffs_fw_region(uint32_t part_addr, uint32_t part_size,
                     uint32_t *fs_addr, uint32_t *fs_size)
{
    uint64_t a = ((uint64_t)part_addr + 0x1FFF) & ~(uint64_t)0x1FFF;
    uint64_t e = ((uint64_t)part_addr + part_size) & ~(uint64_t)0x1FFF;
    if (e < a + SPIFFS_MIN_FS_SIZE)
        return SPIFFS_EINVAL;
    *fs_addr = (uint32_t)a;
    *fs_size = (uint32_t)(e - a);
    return 0;
}

uint32_t spiffs_file_pages(uint64_t size)
{
    return spiffs_ix_pages(size) + spiffs_data_pages(size);
}

static int read_magic(const spiffs_config_t *cfg, uint32_t bs, uint32_t b,
                      uint16_t *m)
{
    uint8_t v[2];
    int r = cfg->read(cfg->context, b * bs + SPIFFS_LU_MAGIC_OFF, v, 2);
    *m = SPIFFS_LE16(v);
    return r;
}

int spiffs_probe(const spiffs_config_t *cfg, uint32_t bs, uint32_t *fs_size)
{
    uint16_t m[3], c[3];
    int r;
    if (bs == 0 || cfg->fs_size / bs < 3)
        return SPIFFS_EPROBE;
    for (uint32_t b = 0; b < 3; b++) {
        if ((r = read_magic(cfg, bs, b, &m[b])) < 0)
            return r;
        c[b] = (uint16_t)(m[b] ^ SPIFFS_MAGIC_BASE);
    }
    uint32_t n = 0;
    if (m[0] == 0xFFFF) {
        if ((uint16_t)(c[1] - c[2]) == 1)
            n = (uint32_t)c[1] + 1;
    } else if (c[0] < 3) {
        return SPIFFS_EPROBE;
    } else if (m[1] == 0xFFFF) {
        if ((uint16_t)(c[0] - c[2]) == 2)
            n = c[0];
    } else if (m[2] == 0xFFFF) {
        if ((uint16_t)(c[0] - c[1]) == 1)
            n = c[0];
    } else if ((uint16_t)(c[0] - c[1]) == 1 &&
               (uint16_t)(c[1] - c[2]) == 1) {
        n = c[0];
    }
    if (n < 3)
        return SPIFFS_EPROBE;
    *fs_size = n * bs;
    return 0;
}

int spiffs_detect_block_size(const spiffs_config_t *cfg, uint32_t *bsp)
{
    uint32_t fw = spiffs_fw_block_size(cfg->fs_size);
    uint32_t cand[2] = { fw, fw == SPIFFS_BLOCK_LARGE ? SPIFFS_BLOCK_SMALL
                                                      : SPIFFS_BLOCK_LARGE };
    uint32_t best = 0, best_hits = 0;
    for (int i = 0; i < 2; i++) {
        uint32_t bs = cand[i], n = cfg->fs_size / bs, hits = 0;
        if (n == 0 || cfg->fs_size % bs != 0)
            continue;
        for (uint32_t b = 0; b < n; b++) {
            uint16_t m;
            int r = read_magic(cfg, bs, b, &m);
            if (r < 0)
                return r;
            hits += m == spiffs_magic(n, b);
        }
        if (hits > best_hits) {
            best = bs;
            best_hits = hits;
        }
    }
    if (best_hits == 0)
        return SPIFFS_ENOTFS;
    *bsp = best;
    return 0;
}

/* ---- storage access with a one-page lookup cache ------------------ */

SPIFFS_INTERNAL int spiffs_rd(spiffs_t *fs, uint32_t addr, void *buf,
                              uint32_t n)
{
    if (addr > fs->cfg.fs_size || n > fs->cfg.fs_size - addr)
        return SPIFFS_EINVAL;
    return fs->cfg.read(fs->cfg.context, addr, buf, n);
}

static void drop_cache(spiffs_t *fs, uint32_t addr, uint32_t n)
{
    if (fs->lu_block >= 0) {
        uint32_t a = (uint32_t)fs->lu_block * fs->block_size;
        if (addr < a + SPIFFS_PAGE_SIZE && addr + n > a)
            fs->lu_block = -1;
    }
}

SPIFFS_INTERNAL int spiffs_wr(spiffs_t *fs, uint32_t addr, const void *buf,
                              uint32_t n)
{
    if (addr > fs->cfg.fs_size || n > fs->cfg.fs_size - addr)
        return SPIFFS_EINVAL;
    drop_cache(fs, addr, n);
    return fs->cfg.prog(fs->cfg.context, addr, buf, n);
}

SPIFFS_INTERNAL int spiffs_er(spiffs_t *fs, uint32_t b)
{
    drop_cache(fs, b * fs->block_size, fs->block_size);
    return fs->cfg.erase(fs->cfg.context, b * fs->block_size,
                         fs->block_size);
}

SPIFFS_INTERNAL int spiffs_lu(spiffs_t *fs, uint32_t b, uint32_t e,
                              uint16_t *v)
{
    if (fs->lu_block != (int32_t)b) {
        int r = spiffs_rd(fs, b * fs->block_size, fs->lu, SPIFFS_PAGE_SIZE);
        if (r < 0)
            return r;
        fs->lu_block = (int32_t)b;
    }
    *v = SPIFFS_LE16(fs->lu + 2 * e);
    return 0;
}

SPIFFS_INTERNAL uint32_t spiffs_entry_pix(const spiffs_t *fs, uint32_t b,
                                          uint32_t e)
{
    return b * fs->ppb + SPIFFS_LOOKUP_PAGES + e;
}

SPIFFS_INTERNAL int spiffs_pix_ok(const spiffs_t *fs, uint32_t pix)
{
    return pix < fs->nblocks * fs->ppb && pix % fs->ppb >=
           SPIFFS_LOOKUP_PAGES;
}

SPIFFS_INTERNAL int spiffs_hdr_ok(const uint8_t *h, uint16_t id,
                                  uint16_t span, int ix)
{
    uint16_t hid = SPIFFS_LE16(h);
    uint8_t want = ix ? SPIFFS_FLAGS_INDEX : SPIFFS_FLAGS_DATA;
    if (ix)
        id |= SPIFFS_ID_IX_FLAG;
    return hid == id && SPIFFS_LE16(h + 2) == span &&
           (h[4] & SPIFFS_FLAGS_MASK) == (want & SPIFFS_FLAGS_MASK);
}

SPIFFS_INTERNAL int spiffs_is_header(const uint8_t *h, uint16_t lu)
{
    /* §1.6: lookup bit 15, span 0, DELET = 1, IXDELE = 1, FINAL = 0; and
    ** the page itself must agree with the lookup entry and be written. */
    return (lu & SPIFFS_ID_IX_FLAG) && lu != SPIFFS_LU_FREE &&
           SPIFFS_LE16(h) == lu && SPIFFS_LE16(h + 2) == 0 &&
           (h[4] & 0xC2) == 0xC0 && (h[4] & SPIFFS_F_USED) == 0 &&
           (h[4] & SPIFFS_F_INDEX) == 0;
}

SPIFFS_INTERNAL void spiffs_hdr_stat(const uint8_t *page, uint16_t pix,
                                     spiffs_stat_t *st)
{
    memset(st, 0, sizeof *st);
    size_t len = 0;
    while (len < SPIFFS_NAME_LEN && page[SPIFFS_OFF_NAME + len] != 0)
        len++;
    memcpy(st->name, page + SPIFFS_OFF_NAME, len);
    st->name[len] = 0;
    st->raw_size = SPIFFS_LE32(page + SPIFFS_OFF_SIZE);
    st->size = st->raw_size == SPIFFS_SIZE_UNDEF ? 0 : st->raw_size;
    st->id = SPIFFS_LE16(page) & (uint16_t)~SPIFFS_ID_IX_FLAG;
    st->hpix = pix;
    st->type = page[SPIFFS_OFF_TYPE];
}

/* Walk live index headers in lookup order; fn returns non-zero to stop. */
typedef int (*hdr_fn)(void *ctx, const uint8_t *page, uint16_t pix);

static int walk_headers(spiffs_t *fs, hdr_fn fn, void *ctx)
{
    uint8_t page[SPIFFS_OFF_HSLOTS];
    for (uint32_t b = 0; b < fs->nblocks; b++) {
        for (uint32_t e = 0; e < fs->epb; e++) {
            uint16_t lu;
            int r = spiffs_lu(fs, b, e, &lu);
            if (r < 0)
                return r;
            if (lu == SPIFFS_LU_FREE || !(lu & SPIFFS_ID_IX_FLAG))
                continue;
            uint32_t pix = spiffs_entry_pix(fs, b, e);
            r = spiffs_rd(fs, SPIFFS_PIX_ADDR(pix), page, sizeof page);
            if (r < 0)
                return r;
            if (!spiffs_is_header(page, lu))
                continue;
            if ((r = fn(ctx, page, (uint16_t)pix)) != 0)
                return r;
        }
    }
    return 0;
}

struct find_ctx {
    const char *name;
    spiffs_stat_t *st;
};

static int find_cb(void *ctx, const uint8_t *page, uint16_t pix)
{
    struct find_ctx *f = ctx;
    spiffs_stat_t st;
    spiffs_hdr_stat(page, pix, &st);
    if (strcmp(st.name, f->name) != 0)
        return 0;
    *f->st = st;
    return 1;
}

SPIFFS_INTERNAL int spiffs_find(spiffs_t *fs, const char *name,
                                spiffs_stat_t *st)
{
    struct find_ctx f = { name, st };
    int r = walk_headers(fs, find_cb, &f);
    if (r < 0)
        return r;
    return r == 1 ? 0 : SPIFFS_ENOENT;
}

SPIFFS_INTERNAL int spiffs_find_ix(spiffs_t *fs, uint16_t id, uint16_t k,
                                   uint16_t *pixp)
{
    uint16_t want = id | SPIFFS_ID_IX_FLAG;
    uint8_t h[5];
    for (uint32_t b = 0; b < fs->nblocks; b++) {
        for (uint32_t e = 0; e < fs->epb; e++) {
            uint16_t lu;
            int r = spiffs_lu(fs, b, e, &lu);
            if (r < 0)
                return r;
            if (lu != want)
                continue;
            uint32_t pix = spiffs_entry_pix(fs, b, e);
            if ((r = spiffs_rd(fs, SPIFFS_PIX_ADDR(pix), h, 5)) < 0)
                return r;
            if (!spiffs_hdr_ok(h, id, k, 1))
                continue;
            if (k == 0 && !spiffs_is_header(h, lu))
                continue;
            *pixp = (uint16_t)pix;
            return 0;
        }
    }
    return SPIFFS_ENOENT;
}

/* ---- mount --------------------------------------------------------- */

static int setup(spiffs_t *fs, const spiffs_config_t *cfg)
{
    memset(fs, 0, sizeof *fs);
    if (!cfg || !cfg->read || !cfg->prog || !cfg->erase)
        return SPIFFS_EINVAL;
    fs->cfg = *cfg;
    fs->block_size = cfg->block_size ? cfg->block_size
                                     : spiffs_fw_block_size(cfg->fs_size);
    if (fs->block_size != SPIFFS_BLOCK_SMALL &&
        fs->block_size != SPIFFS_BLOCK_LARGE)
        return SPIFFS_EINVAL;
    if (cfg->fs_size % fs->block_size != 0 ||
        cfg->fs_size / fs->block_size < 4 ||
        cfg->fs_size > SPIFFS_MAX_FS_SIZE)
        return SPIFFS_EINVAL;
    fs->nblocks = cfg->fs_size / fs->block_size;
    fs->ppb = fs->block_size / SPIFFS_PAGE_SIZE;
    fs->epb = fs->ppb - SPIFFS_LOOKUP_PAGES;
    fs->bad_block = -1;
    fs->lu_block = -1;
    return 0;
}

static int scan_blocks(spiffs_t *fs, uint32_t *bad)
{
    *bad = 0;
    for (uint32_t b = 0; b < fs->nblocks; b++) {
        uint8_t v[4];
        int r = spiffs_rd(fs, b * fs->block_size + SPIFFS_LU_MAGIC_OFF, v, 4);
        if (r < 0)
            return r;
        uint16_t ec = SPIFFS_LE16(v + 2);
        if (SPIFFS_LE16(v) != spiffs_magic(fs->nblocks, b)) {
            if (fs->bad_block < 0)
                fs->bad_block = (int)b;
            ++*bad;
        } else if (ec != 0xFFFF && ec > fs->max_erase) {
            fs->max_erase = ec;
        }
    }
    return 0;
}

int spiffs_mount_force(spiffs_t *fs, const spiffs_config_t *cfg)
{
    uint32_t bad;
    int r = setup(fs, cfg);
    return r < 0 ? r : scan_blocks(fs, &bad);
}

int spiffs_mount(spiffs_t *fs, const spiffs_config_t *cfg, int flags)
{
    uint32_t bad;
    int r = setup(fs, cfg);
    if (r < 0 || (r = scan_blocks(fs, &bad)) < 0)
        return r;
    if (bad > 1)
        return SPIFFS_ENOTFS;
    if (!(flags & SPIFFS_MOUNT_REPAIR))
        return 0;
    if (bad == 1) {
        if ((r = spiffs_block_init(fs, (uint32_t)fs->bad_block)) < 0)
            return r;
        fs->bad_block = -1;
    }
    return spiffs_repair(fs);
}

/* ---- list, stat, read, usage ------------------------------------- */

struct list_ctx {
    spiffs_list_fn fn;
    void *ctx;
};

static int list_cb(void *ctx, const uint8_t *page, uint16_t pix)
{
    struct list_ctx *l = ctx;
    spiffs_stat_t st;
    spiffs_hdr_stat(page, pix, &st);
    return l->fn(l->ctx, &st);
}

int spiffs_list(spiffs_t *fs, spiffs_list_fn fn, void *ctx)
{
    struct list_ctx l = { fn, ctx };
    return walk_headers(fs, list_cb, &l);
}

int spiffs_stat(spiffs_t *fs, const char *name, spiffs_stat_t *st)
{
    if (!name || strlen(name) > SPIFFS_NAME_LEN)
        return SPIFFS_ENOENT;
    return spiffs_find(fs, name, st);
}

long spiffs_read(spiffs_t *fs, const char *name, uint32_t off, void *buf,
                 size_t n)
{
    spiffs_stat_t st;
    uint8_t ix[SPIFFS_PAGE_SIZE], pg[SPIFFS_PAGE_SIZE];
    int r = spiffs_stat(fs, name, &st);
    if (r < 0)
        return r;
    if ((uint64_t)spiffs_data_pages(st.size) > (uint64_t)fs->nblocks *
        fs->epb)
        return SPIFFS_ECORRUPT;
    if (off >= st.size)
        return 0;
    if (n > st.size - off)
        n = st.size - off;
    if (n > 0x7FFFFFFF)
        n = 0x7FFFFFFF;
    uint32_t cur_k = 0xFFFFFFFF;
    size_t done = 0;
    while (done < n) {
        uint32_t pos = off + (uint32_t)done;
        uint32_t s = pos / SPIFFS_DATA_PER_PAGE;
        uint32_t o = pos % SPIFFS_DATA_PER_PAGE;
        uint32_t k = spiffs_ix_span(s);
        if (k != cur_k) {
            uint16_t ipix = st.hpix;
            if (k > 0 && (r = spiffs_find_ix(fs, st.id, (uint16_t)k,
                                             &ipix)) < 0)
                return r == SPIFFS_ENOENT ? SPIFFS_ECORRUPT : r;
            if ((r = spiffs_rd(fs, SPIFFS_PIX_ADDR(ipix), ix, sizeof ix)) < 0)
                return r;
            cur_k = k;
        }
        uint16_t dpix = SPIFFS_LE16(ix + spiffs_slot_off(s));
        if (!spiffs_pix_ok(fs, dpix))
            return SPIFFS_ECORRUPT;
        if ((r = spiffs_rd(fs, SPIFFS_PIX_ADDR(dpix), pg, sizeof pg)) < 0)
            return r;
        if (!spiffs_hdr_ok(pg, st.id, (uint16_t)s, 0))
            return SPIFFS_ECORRUPT;
        size_t chunk = SPIFFS_DATA_PER_PAGE - o;
        if (chunk > n - done)
            chunk = n - done;
        memcpy((uint8_t *)buf + done, pg + SPIFFS_OFF_DATA + o, chunk);
        done += chunk;
    }
    return (long)done;
}

int spiffs_usage(spiffs_t *fs, spiffs_usage_t *u)
{
    memset(u, 0, sizeof *u);
    u->pages = fs->nblocks * fs->epb;
    u->limit_pages = (fs->nblocks - SPIFFS_RESERVE_BLOCKS) * fs->epb;
    for (uint32_t b = 0; b < fs->nblocks; b++) {
        for (uint32_t e = 0; e < fs->epb; e++) {
            uint16_t lu;
            int r = spiffs_lu(fs, b, e, &lu);
            if (r < 0)
                return r;
            if (lu == SPIFFS_LU_FREE)
                u->free_pages++;
            else if (lu == SPIFFS_LU_DELETED)
                u->deleted_pages++;
            else
                u->live_pages++;
        }
    }
    return 0;
}

int spiffs_info(spiffs_t *fs, uint32_t *total, uint32_t *used)
{
    spiffs_usage_t u;
    int r = spiffs_usage(fs, &u);
    if (r < 0)
        return r;
    *total = (u.limit_pages + 1) * SPIFFS_DATA_PER_PAGE;
    *used = u.live_pages * SPIFFS_DATA_PER_PAGE;
    return 0;
}

const char *spiffs_strerror(int err)
{
    switch (err) {
    case SPIFFS_OK:       return "ok";
    case SPIFFS_EIO:      return "storage error";
    case SPIFFS_EINVAL:   return "invalid argument or geometry";
    case SPIFFS_ENOTFS:   return "not a SPIFFS file system";
    case SPIFFS_EPROBE:   return "firmware probe fails";
    case SPIFFS_ENOENT:   return "no such file";
    case SPIFFS_EEXIST:   return "file exists";
    case SPIFFS_ENAME:    return "invalid name";
    case SPIFFS_ENOSPC:   return "file system full";
    case SPIFFS_ECORRUPT: return "corrupt file system";
    case SPIFFS_ENOID:    return "no free object id";
    case SPIFFS_ENOTNOR:  return "write would set a bit on NOR flash";
    default:              return "unknown error";
    }
}
