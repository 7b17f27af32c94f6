/*
** ldr51.c: the Lua 5.1 LFS loader of the firmware (ldr51.h): the boot
** check over mapped flash, and node.LFS.reload's two inflate passes over
** the platform's NOR flash.
** Spec: docs/lfs51.md §5.1, §5.2; §3.2 (signature), §3.3 (relocation), §3.12
** (bitmap). Twin: lfs/lfs51_write.c. May call: plat, lfs/gz, lfs/lfs51.h
** constants, libc.
**
** Reload, as the device does it (§5.2):
**   begin     partition? file? longer than 200 bytes? L = last 4 bytes;
**             allocate the inflater (16 KiB history + 2 KiB block + 1 KiB
**             input), a 2 KiB relocation block and the diagnostic.
**   pass 1    inflate; on the first 2 KiB block (or at the end of a
**             shorter stream) check the header in the firmware's order,
**             then allocate the bitmap; copy every byte after flash_size
**             into it; the inflater checks distances, ISIZE and the CRC.
**   pass 2    erase sectors 0 .. (flash_size - 1) / 4096 of the partition;
**             inflate again; in each block below flash_size relocate the
**             marked words to 4v + base, force IN_PROGRESS into word 0 of
**             the first, write it; when the stream has checked out, write
**             word 0 again without IN_PROGRESS (NOR clears the bit). Any
**             failure erases the whole partition.
** A power cut during pass 2 leaves sector 0 erased or IN_PROGRESS set, so
** the boot check refuses the partition until the next reload.
**
** Incremental reload (cfg->incremental, ours; ldr51.h):
**   compare   after pass 1, inflate a third time; relocate each block as
**             pass 2 will (word 0 the plain signature) and read the flash
**             under it: a sector whose bytes differ is "changed", one
**             where a bit would have to go from 0 to 1 is "dirty" (needs
**             an erase). The relocated header must pass the boot check,
**             every relocated pointer must stay inside the image and no
**             bitmap bit may lie past the last image word: an image that
**             would be refused at boot or crash the VM is refused here,
**             before flash is touched.
**   pass 2    if nothing changed, nothing is written. Else, in stream
**             order: sector 0 first (erased only if dirty or if its
**             signature word cannot take IN_PROGRESS without an erase),
**             its first block carrying IN_PROGRESS; then each changed
**             sector, erased only if dirty, each 2 KiB block written only
**             where it differs from flash; unchanged sectors are skipped;
**             last, the signature word is written without IN_PROGRESS.
**   So a reload interrupted by a power cut and run again rewrites only
**   what the cut left unfinished, and the boot check refuses the
**   partition from the first change until the last write.
**
** Deviation (docs/architecture.md §6.3): the boot check also refuses a header
** whose pointers or sizes leave the image or the partition (flash_size
** above the partition, a misaligned mainProto, a bucket vector past the
** image, nROsize not a power of two), under the firmware's size-check
** message; NodeMCU would accept such a header and crash in the VM.
*/
#include "firmware/ldr/ldr51.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lfs/gz.h"
#include "lfs/lfs51.h"
#include "lfs/lfs51_check.h"

#define HEADER_BYTES ((uint32_t)sizeof(lfs51_header_t))

/* Header word offsets (docs/lfs51.md §3.1). */
_Static_assert(offsetof(lfs51_header_t, flash_size) == 0x04 &&
               offsetof(lfs51_header_t, mainProto) == 0x08 &&
               offsetof(lfs51_header_t, pROhash) == 0x0C &&
               offsetof(lfs51_header_t, nROuse) == 0x10 &&
               offsetof(lfs51_header_t, nROsize) == 0x14, "docs/lfs51.md §3.1");

struct ldr51_work {
    gz_inflate_t z;            /* the streaming inflater (~20 KiB)        */
    lfs_diag_t d;              /* its diagnostic                          */
    uint32_t block[GZ_CHUNK / 4];  /* relocation buffer, word-aligned    */
    ldr51_reload_t *r;
    uint32_t fpos;             /* next file byte to read                  */
    uint32_t out;              /* output bytes seen in this pass          */
    int pass;                  /* 1, 2, or PASS_COMPARE                   */
    int header_done;           /* the first block has been checked        */
    int active;                /* incremental pass 2: this sector is
                                  being rewritten                         */
    int wrote;                 /* ... and a block of it was written       */
    int wrote0;                /* a block of sector 0 was written         */
    uint8_t *image;            /* check pass: the relocated image, when
                                  flash_size bytes could be allocated     */
    int filled;                /* ... and it was inflated into            */
    uint32_t stop;             /* else: stop once this many bytes are out */
    uint32_t last;             /* ... the last word read                  */
    int stopped;               /* ... and it did                          */
    lfs51_check_t chk;         /* the image check (lfs51_check.h)         */
};

#define PASS_COMPARE 3
#define PASS_CHECK 4

static int bit_get(const uint32_t *set, uint32_t i)
{
    return (int)(set[i / 32] >> (i % 32) & 1u);
}

static void bit_set(uint32_t *set, uint32_t i)
{
    set[i / 32] |= 1u << (i % 32);
}

/* The signature the firmware requires (sig & ~ABSOLUTE must equal it). */
static uint32_t firmware_sig(int integral)
{
    return integral ? LFS51_SIG_INT : LFS51_SIG_FLOAT;
}

static void set_msg(char *msg, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void set_msg(char *msg, const char *fmt, ...)
{
    va_list ap;
    if (!msg)
        return;
    va_start(ap, fmt);
    vsnprintf(msg, LDR51_MSG_SIZE, fmt, ap);
    va_end(ap);
}

/* The partition must be sector-aligned, inside the flash and inside the
** window the cache maps (docs/lfs51.md §6). */
static int cfg_ok(const ldr51_cfg_t *c)
{
    uint32_t end = plat_flash_mapped_end() - PLAT_FLASH_MAPPED;
    return c->lfs_addr % PLAT_SECTOR_SIZE == 0 &&
           c->lfs_size % PLAT_SECTOR_SIZE == 0 &&
           c->lfs_addr <= end && c->lfs_size <= end - c->lfs_addr;
}

static uint32_t mapped_base(const ldr51_cfg_t *c)
{
    return PLAT_FLASH_MAPPED + c->lfs_addr;
}

/* Reload work memory from cfg's allocator, or malloc; NULL if none. */
static void *work_alloc(const ldr51_cfg_t *cfg, size_t n)
{
    return cfg->alloc ? cfg->alloc(cfg->alloc_ctx, n) : malloc(n);
}

static void work_free(const ldr51_cfg_t *cfg, void *p)
{
    if (p && cfg && cfg->alloc)
        cfg->free(cfg->alloc_ctx, p);
    else
        free(p);
}

/* ---- boot -------------------------------------------------------------- */

/* The size check. The firmware's part: pROhash set, mainProto inside the
** image. Ours (the deviation above): everything else the VM will follow
** stays inside the image and the partition. */
static int sizes_ok(const ldr51_cfg_t *cfg, uint32_t base, uint32_t size,
                    plat_ref_t mainp, plat_ref_t hash, uint32_t nsize)
{
    uint32_t moff = mainp - base, hoff = hash - base;
    uint32_t least = HEADER_BYTES + 4 * LFS51_PROTO_WORDS;
    if (hash == 0xFFFFFFFFu || moff >= size)
        return 0;
    if (size > cfg->lfs_size || size % 4 || size < least)
        return 0;
    if (moff % 4 || moff > size - 4 * LFS51_PROTO_WORDS)
        return 0;
    if (hoff % 4 || hoff < HEADER_BYTES || hoff > size)
        return 0;
    return nsize >= 2 && (nsize & (nsize - 1)) == 0 &&
           nsize <= (size - hoff) / 4;
}

/* lfs51_load_fn over mapped flash (sizes_ok bounded the image). */
static int flash_load(void *ctx, uint32_t addr, uint32_t *w)
{
    (void)ctx;
    *w = plat_load32(addr);
    return 0;
}

int ldr51_boot(const ldr51_cfg_t *cfg, ldr51_lfs_t *lfs, char *msg)
{
    memset(lfs, 0, sizeof *lfs);
    set_msg(msg, "%s", "");
    if (cfg->lfs_size == 0)
        return LDR51_ENOPART;
    if (!cfg_ok(cfg)) {
        set_msg(msg, "LFS partition 0x%x+0x%x is not sector-aligned"
                " inside the mapped flash", cfg->lfs_addr, cfg->lfs_size);
        return LDR51_EINVAL;
    }
    plat_ref_t base = mapped_base(cfg);
    uint32_t sig = plat_load32(base);
    uint32_t size = plat_load32(base + 0x04);
    plat_ref_t mainp = plat_load32(base + 0x08);
    plat_ref_t hash = plat_load32(base + 0x0C);
    uint32_t nuse = plat_load32(base + 0x10);
    uint32_t nsize = plat_load32(base + 0x14);
    uint32_t fw = firmware_sig(cfg->integral);
    if (sig == 0 || sig == 0xFFFFFFFFu) {
        set_msg(msg, LDR51_MSG_EMPTY);
        return LDR51_EEMPTY;
    }
    if ((sig & ~LFS51_SIG_ABSOLUTE) != fw) {
        set_msg(msg, LDR51_MSG_SIG "0x%x vs 0x%x",
                sig & ~LFS51_SIG_ABSOLUTE, fw);
        return LDR51_ESIG;
    }
    if (!sizes_ok(cfg, base, size, mainp, hash, nsize)) {
        set_msg(msg, LDR51_MSG_SIZECHK "mainProto 0x%x, pROhash 0x%x,"
                " flash_size 0x%x", mainp, hash, size);
        return LDR51_ESIZE;
    }
    lfs51_check_t chk;
    if (lfs51_check(&chk, flash_load, NULL, base, size, cfg->integral,
                    NULL)) {
        set_msg(msg, LDR51_MSG_SIZECHK "byte 0x%x: %s", chk.at, chk.what);
        return LDR51_ESIZE;
    }
    lfs->base = base;
    lfs->flash_sig = sig;
    lfs->flash_size = size;
    lfs->mainProto = mainp;
    lfs->pROhash = hash;
    lfs->nROuse = nuse;
    lfs->nROsize = nsize;
    return 0;
}

/* ---- reload: the file ---------------------------------------------------- */

static int mem_read(void *ctx, uint32_t off, uint8_t *buf, uint32_t n)
{
    memcpy(buf, (const uint8_t *)ctx + off, n);
    return (int)n;
}

void ldr51_file_mem(ldr51_file_t *f, const uint8_t *data, uint32_t n)
{
    f->size = n;
    f->read = mem_read;
    f->ctx = (void *)(uintptr_t)data;
}

/* gz_read_fn over the positional file. */
static int gz_in(void *ctx, uint8_t *buf, size_t n)
{
    ldr51_work_t *w = ctx;
    const ldr51_file_t *f = w->r->file;
    if (n > f->size - w->fpos)
        n = f->size - w->fpos;
    int got = f->read(f->ctx, w->fpos, buf, (uint32_t)n);
    if (got < 0 || (size_t)got != n)
        return -1;
    w->fpos += (uint32_t)n;
    return got;
}

/* ---- reload: errors ---------------------------------------------------- */

static int fail(ldr51_reload_t *r, int code, const char *text)
{
    if (!r->err) {
        r->err = code;
        set_msg(r->msg, "%s", text);
    }
    return r->err;
}

static int starts(const char *s, const char *prefix)
{
    return strncmp(s, prefix, strlen(prefix)) == 0;
}

/* Turn an inflater failure into the firmware's code and text (pass 1
** returns it to Lua; pass 2 prints it, §5.2). */
static int inflate_failed(ldr51_reload_t *r, int pass)
{
    const lfs_diag_t *d = &r->w->d;
    if (r->err)                     /* our own callback stopped it */
        return r->err;
    size_t n = strnlen(d->msg, sizeof r->detail - 1);
    memcpy(r->detail, d->msg, n);
    r->detail[n] = 0;
    if (starts(d->msg, GZ_MSG_CRC))
        return fail(r, LDR51_ECRC, pass == 1 ? LDR51_MSG_CRC
                                             : LDR51_MSG_P2CRC);
    if (starts(d->msg, GZ_MSG_DICT) && d->code == LFS_ELIMIT)
        return fail(r, LDR51_EDICT, LDR51_MSG_DICT);
    if (starts(d->msg, GZ_MSG_DICT) && pass == 2)
        return fail(r, LDR51_EDICT, LDR51_MSG_P2DICT);
    return fail(r, LDR51_EFILE, pass == 1 ? LDR51_MSG_READ
                                          : LDR51_MSG_P2DATA);
}

/* ---- reload: the passes ------------------------------------------------ */

/* Pass 1's header check, on the first block (n may be short). */
static int check_header(ldr51_reload_t *r, const uint8_t *p, size_t n)
{
    uint8_t h[HEADER_BYTES];
    const ldr51_cfg_t *c = r->cfg;
    uint32_t fw = firmware_sig(c->integral);
    memset(h, 0, sizeof h);
    memcpy(h, p, n < sizeof h ? n : sizeof h);
    uint32_t sig = lfs_le32(h), size = lfs_le32(h + 4);
    uint32_t nbm = size >= 4 ? 1 + (size / 4 - 1) / 32 : 0;
    snprintf(r->detail, sizeof r->detail, "image signature 0x%08x,"
             " firmware 0x%08x; flash_size %u, partition %u; inflated"
             " length %u, bitmap %u words", sig, fw, size, c->lfs_size,
             r->isize, nbm);
    const char *why = lfs51_reload_check(h, r->isize, fw, c->lfs_size);
    if (why)
        return fail(r, strcmp(why, LFS51_MSG_TOOBIG) == 0 ||
                       strcmp(why, LFS51_MSG_LENGTH) == 0 ? LDR51_ESIZE
                                                          : LDR51_ESIG, why);
    r->detail[0] = 0;
    r->flash_sig = sig;
    r->flash_size = size;
    r->nbitmap = nbm;
    r->bitmap = work_alloc(c, 4 * (size_t)nbm);
    if (!r->bitmap)
        return fail(r, LDR51_ENOMEM, LDR51_MSG_NOMEM);
    memset(r->bitmap, 0, 4 * (size_t)nbm);
    return 0;
}

static void pass1_block(ldr51_reload_t *r, uint32_t out, const uint8_t *p,
                        size_t n)
{
    uint32_t bmlen = 4 * r->nbitmap;
    uint8_t *bm = (uint8_t *)r->bitmap;
    for (size_t i = 0; i < n; i++) {
        uint32_t at = out + (uint32_t)i;
        if (at >= r->flash_size && at - r->flash_size < bmlen)
            bm[at - r->flash_size] = p[i];
    }
}

/* Copy the block at image offset out into the work buffer and relocate
** its marked words (docs/lfs51.md §3.3); returns the bytes inside the image.
** The first block must repeat the header pass 1 saw. */
static int relocate_block(ldr51_reload_t *r, uint32_t out, const uint8_t *p,
                          size_t n, uint32_t *len)
{
    ldr51_work_t *w = r->w;
    uint32_t base = mapped_base(r->cfg);
    uint32_t m = r->flash_size - out < n ? r->flash_size - out : (uint32_t)n;
    memcpy(w->block, p, m);
    if (out == 0 && (w->block[0] != r->flash_sig ||
                     w->block[1] != r->flash_size))
        return fail(r, LDR51_EFILE, LDR51_MSG_P2DATA);
    for (uint32_t j = 0; j < m / 4; j++) {
        uint32_t i = out / 4 + j;
        if (bit_get(r->bitmap, i))
            w->block[j] = 4 * w->block[j] + base;
    }
    *len = m;
    return 0;
}

static int pass2_block(ldr51_reload_t *r, uint32_t out, const uint8_t *p,
                       size_t n)
{
    ldr51_work_t *w = r->w;
    uint32_t m;
    if (out >= r->flash_size)
        return 0;                   /* bitmap bytes are never written */
    if (relocate_block(r, out, p, n, &m))
        return r->err;
    if (out == 0)
        w->block[0] = r->flash_sig | LFS51_SIG_INPROG;
    if (plat_flash_write(r->cfg->lfs_addr + out, w->block, m) < 0)
        return fail(r, LDR51_EFLASH, LDR51_MSG_P2FLASH);
    if (out % PLAT_SECTOR_SIZE == 0)
        r->written++;
    return 0;
}

/* ---- incremental reload ---------------------------------------------- */

static int sizecheck_fail(ldr51_reload_t *r, const char *fmt, uint32_t a,
                          uint32_t b)
{
    if (!r->err)
        snprintf(r->detail, sizeof r->detail, fmt, a, b);
    return fail(r, LDR51_ESIZE, LDR51_MSG_SIZECHK "the image would not"
                " boot");
}

/* The compare pass: what pass 2 would write, against the flash. */
static int compare_block(ldr51_reload_t *r, uint32_t out, const uint8_t *p,
                         size_t n)
{
    ldr51_work_t *w = r->w;
    const ldr51_cfg_t *c = r->cfg;
    uint32_t base = mapped_base(c), m;
    if (out >= r->flash_size)
        return 0;
    if (relocate_block(r, out, p, n, &m))
        return r->err;
    for (uint32_t j = 0; j < m / 4; j++) {
        uint32_t i = out / 4 + j;
        if (bit_get(r->bitmap, i) &&
            (w->block[j] - base) >= r->flash_size)
            return sizecheck_fail(r, "image word 0x%x is a pointer to"
                                  " 0x%x, outside the image", 4 * i,
                                  w->block[j]);
    }
    if (out == 0 && !sizes_ok(c, base, r->flash_size, w->block[2],
                              w->block[3], w->block[5]))
        return sizecheck_fail(r, "relocated header: mainProto 0x%x,"
                              " pROhash 0x%x", w->block[2], w->block[3]);
    plat_ref_t at = base + out;
    for (uint32_t j = 0; j < m / 4; j++) {
        uint32_t old = plat_load32(at + 4 * j), nw = w->block[j];
        uint32_t s = (out + 4 * j) / PLAT_SECTOR_SIZE;
        if (old != nw)
            bit_set(r->changed, s);
        if ((old & nw) != nw)
            bit_set(r->dirty, s);
    }
    return 0;
}

/* Incremental pass 2 (the file header says the order). */
static int pass2_block_inc(ldr51_reload_t *r, uint32_t out,
                           const uint8_t *p, size_t n)
{
    ldr51_work_t *w = r->w;
    const ldr51_cfg_t *c = r->cfg;
    uint32_t m, s = out / PLAT_SECTOR_SIZE;
    plat_ref_t at = mapped_base(c) + out;
    if (out >= r->flash_size)
        return 0;
    if (out % PLAT_SECTOR_SIZE == 0) {
        w->active = s == 0 || bit_get(r->changed, s);
        w->wrote = 0;
        if (!w->active) {
            r->unchanged++;
            return 0;
        }
    } else if (!w->active) {
        return 0;
    }
    if (relocate_block(r, out, p, n, &m))
        return r->err;
    if (out == 0)
        w->block[0] = r->flash_sig | LFS51_SIG_INPROG;
    if (out % PLAT_SECTOR_SIZE == 0) {
        uint32_t old0 = plat_load32(at);
        int erase = bit_get(r->dirty, s) ||
                    (out == 0 && (old0 & w->block[0]) != w->block[0]);
        if (erase) {
            if (plat_flash_erase(c->lfs_addr / PLAT_SECTOR_SIZE + s) < 0)
                return fail(r, LDR51_EFLASH, LDR51_MSG_P2FLASH);
            r->erased++;
        }
    }
    if (memcmp(plat_ptr(at), w->block, m) == 0)
        return 0;
    if (plat_flash_write(c->lfs_addr + out, w->block, m) < 0)
        return fail(r, LDR51_EFLASH, LDR51_MSG_P2FLASH);
    if (!w->wrote) {
        w->wrote = 1;
        w->wrote0 |= s == 0;
        r->written++;
    }
    return 0;
}

/* gz_write_fn: one output block of either pass. */
static int gz_out(void *ctx, const uint8_t *p, size_t n)
{
    ldr51_work_t *w = ctx;
    ldr51_reload_t *r = w->r;
    uint32_t out = w->out;
    w->out += (uint32_t)n;
    if (w->pass == 1) {
        if (!w->header_done) {
            w->header_done = 1;
            if (check_header(r, p, n))
                return LFS_EFORMAT;
        }
        pass1_block(r, out, p, n);
        return 0;
    }
    if (w->pass == PASS_CHECK && w->image) {
        if (out < r->flash_size)
            memcpy(w->image + out, p, r->flash_size - out < n
                                      ? r->flash_size - out : n);
        return 0;
    }
    if (w->pass == PASS_CHECK) {
        w->stopped = w->out >= w->stop;
        return w->stopped ? LFS_EIO : 0;
    }
    if (w->pass == PASS_COMPARE)
        return compare_block(r, out, p, n) ? LFS_EIO : 0;
    if (r->cfg->incremental)
        return pass2_block_inc(r, out, p, n) ? LFS_EIO : 0;
    return pass2_block(r, out, p, n) ? LFS_EIO : 0;
}

static int run_pass(ldr51_reload_t *r, int pass)
{
    ldr51_work_t *w = r->w;
    w->pass = pass;
    w->fpos = 0;
    w->out = 0;
    w->header_done = 0;
    w->active = 0;
    w->wrote = 0;
    w->wrote0 = 0;
    w->stopped = 0;
    lfs_diag_init(&w->d, NULL);
    gz_inflate_init(&w->z, r->file->size, gz_in, w, gz_out, w);
    if (gz_inflate_run(&w->z, r->isize, &w->d) < 0 && !w->stopped)
        return inflate_failed(r, pass == PASS_CHECK ? 1 : pass);
    if (pass == 1 && !w->header_done) {
        /* The stream produced nothing: check the empty header. */
        w->header_done = 1;
        return check_header(r, (const uint8_t *)"", 0);
    }
    return r->err;
}

int ldr51_reload_begin(ldr51_reload_t *r, const ldr51_cfg_t *cfg,
                       const ldr51_file_t *file)
{
    uint8_t last[4];
    memset(r, 0, sizeof *r);
    r->cfg = cfg;
    r->file = file;
    if (cfg->lfs_size == 0)
        return fail(r, LDR51_ENOPART, LDR51_MSG_NOPART);
    if (!cfg_ok(cfg)) {
        snprintf(r->detail, sizeof r->detail, "LFS partition 0x%x+0x%x is"
                 " not sector-aligned inside the mapped flash",
                 cfg->lfs_addr, cfg->lfs_size);
        return fail(r, LDR51_EINVAL, LDR51_MSG_NOPART);
    }
    if (!file)
        return fail(r, LDR51_EFILE, LDR51_MSG_NOFILE);
    if (file->size < GZ_MIN_FILE) {
        snprintf(r->detail, sizeof r->detail, "the file is %u bytes; the"
                 " loader needs more than %u", file->size, GZ_MIN_FILE - 1);
        return fail(r, LDR51_EFILE, LDR51_MSG_READ);
    }
    if (file->read(file->ctx, file->size - 4, last, 4) != 4)
        return fail(r, LDR51_EFILE, LDR51_MSG_READ);
    r->isize = lfs_le32(last);
    r->w = work_alloc(cfg, sizeof *r->w);
    if (!r->w)
        return fail(r, LDR51_ENOMEM, LDR51_MSG_NOMEM);
    r->w->r = r;
    return 0;
}

/* ---- reload: the boot's image check, before any write ----------------- */

/* lfs51_load_fn over the relocated image as pass 2 will write it (word 0
** the plain signature). With work memory for the whole image, one more
** inflate copies it there. Without, words come from the inflater's 16 KiB
** history; a word outside it costs one more inflate from the start,
** stopped right after the word when reading down (the check reads a
** luac.cross image mostly from its end down), 8 KiB past it otherwise. */
static int stream_load(void *ctx, uint32_t addr, uint32_t *v)
{
    ldr51_reload_t *r = ctx;
    ldr51_work_t *w = r->w;
    uint32_t base = mapped_base(r->cfg), off = addr - base;
    const uint8_t *p;
    if (w->image) {
        if (!w->filled && run_pass(r, PASS_CHECK))
            return -1;
        w->filled = 1;
        p = w->image + off;
    } else if (!(p = gz_inflate_peek(&w->z, off, 4))) {
        uint32_t ahead = off + 4 + (off < w->last ? 0 : GZ_MAX_DIST / 2);
        w->stop = ahead < r->flash_size ? ahead : r->flash_size;
        if (run_pass(r, PASS_CHECK) ||
            !(p = gz_inflate_peek(&w->z, off, 4)))
            return -1;
    }
    w->last = off;
    *v = off == 0 ? r->flash_sig : lfs_le32(p);
    if (off != 0 && bit_get(r->bitmap, off / 4))
        *v = 4 * *v + base;
    return 0;
}

/* Pass 1's last step: what ldr51_boot will check, on the same words. */
static int check_pass(ldr51_reload_t *r)
{
    ldr51_work_t *w = r->w;
    const ldr51_cfg_t *cfg = r->cfg;
    lfs51_check_t *c = &w->chk;
    uint32_t *map = work_alloc(cfg, LFS51_CHECK_MAPBYTES(r->flash_size));
    w->image = work_alloc(cfg, r->flash_size);
    w->filled = 0;
    w->last = 0;
    int rc = lfs51_check(c, stream_load, r, mapped_base(cfg), r->flash_size,
                         cfg->integral, map);
    work_free(cfg, w->image);
    work_free(cfg, map);
    w->image = NULL;
    if (rc == 0 || r->err)
        return r->err;
    r->err = LDR51_ESIZE;
    set_msg(r->msg, LDR51_MSG_SIZECHK "byte 0x%x: %s", c->at, c->what);
    return r->err;
}

/* Incremental: no bitmap bit may mark a word past the image. */
static int bitmap_ok(ldr51_reload_t *r)
{
    uint32_t words = r->flash_size / 4;
    for (uint32_t i = words; i < 32 * r->nbitmap; i++)
        if (bit_get(r->bitmap, i)) {
            snprintf(r->detail, sizeof r->detail, "relocation bitmap bit"
                     " %u marks a word past the image's %u", i, words);
            return fail(r, LDR51_ESIZE, LDR51_MSG_LENGTH);
        }
    return 0;
}

int ldr51_reload_validate(ldr51_reload_t *r)
{
    if (r->err)
        return r->err;
    if (run_pass(r, 1))
        return r->err;
    r->nsectors = (r->flash_size + PLAT_SECTOR_SIZE - 1) / PLAT_SECTOR_SIZE;
    if (r->cfg->incremental) {
        memset(r->changed, 0, sizeof r->changed);
        memset(r->dirty, 0, sizeof r->dirty);
        if (bitmap_ok(r) || run_pass(r, PASS_COMPARE))
            return r->err;
    }
    if (check_pass(r))
        return r->err;
    r->validated = 1;
    return 0;
}

/* Pass-2 failure: the device erases the whole partition (§5.2). With the
** power cut these erases fail too, and flash stays as the cut left it. */
static int erase_all(ldr51_reload_t *r)
{
    uint32_t first = r->cfg->lfs_addr / PLAT_SECTOR_SIZE;
    for (uint32_t s = 0; s < r->cfg->lfs_size / PLAT_SECTOR_SIZE; s++)
        plat_flash_erase(first + s);
    return r->err;
}

static int any_changed(const ldr51_reload_t *r)
{
    for (uint32_t i = 0; i < LDR51_SECTOR_WORDS; i++)
        if (r->changed[i])
            return 1;
    return 0;
}

int ldr51_reload_write(ldr51_reload_t *r)
{
    uint32_t first = r->cfg->lfs_addr / PLAT_SECTOR_SIZE;
    int inc = r->cfg->incremental;
    if (r->err)
        return r->err;
    if (!r->validated)
        return fail(r, LDR51_EINVAL, LDR51_MSG_P2DATA);
    r->erased = r->written = r->unchanged = 0;
    if (inc && !any_changed(r)) {
        r->unchanged = r->nsectors;     /* the image is already there */
        set_msg(r->msg, "%s", LDR51_MSG_DONE);
        return 0;
    }
    for (uint32_t s = 0; !inc && s < r->nsectors; s++) {
        if (plat_flash_erase(first + s) < 0) {
            fail(r, LDR51_EFLASH, LDR51_MSG_P2FLASH);
            return erase_all(r);
        }
        r->erased++;
    }
    if (run_pass(r, 2))
        return erase_all(r);
    if (r->w->out != r->isize) {
        fail(r, LDR51_EFILE, LDR51_MSG_P2DATA);
        return erase_all(r);
    }
    /* The image becomes valid only now: clear IN_PROGRESS. */
    uint32_t sig = r->flash_sig;
    if (plat_flash_write(r->cfg->lfs_addr, &sig, 4) < 0) {
        fail(r, LDR51_EFLASH, LDR51_MSG_P2FLASH);
        return erase_all(r);
    }
    if (inc && !r->w->wrote0)
        r->written++;                   /* sector 0: the signature only */
    set_msg(r->msg, "%s", LDR51_MSG_DONE);
    return 0;
}

void ldr51_reload_end(ldr51_reload_t *r)
{
    work_free(r->cfg, r->bitmap);
    work_free(r->cfg, r->w);
    r->bitmap = NULL;
    r->w = NULL;
}

int ldr51_reload(const ldr51_cfg_t *cfg, const ldr51_file_t *file,
                 char *msg)
{
    ldr51_reload_t r;
    if (ldr51_reload_begin(&r, cfg, file) == 0 &&
        ldr51_reload_validate(&r) == 0)
        ldr51_reload_write(&r);
    ldr51_reload_end(&r);
    if (msg)
        memcpy(msg, r.msg, LDR51_MSG_SIZE);
    return r.err;
}
