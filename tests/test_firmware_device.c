/*
** tests/test_firmware_device.c: the simulated device booting whole flash
** images in-process (firmware/sim_dev.h, nodemcu-sim --flash): the never-
** brick node.LFS.reload (firmware/ldr_safe.h) and its incremental passes
** (firmware/ldr51.h). Every pass-1 failure returns NodeMCU's string with
** no flash operation and the old LFS running; a reload succeeds and
** reboots; reloading the same image costs no flash operation and a
** one-module change fewer erases than a full one; and a power cut after
** every single flash operation of a reload (and a second cut while the
** next boot finishes it) is followed by a boot that runs the old or the
** new module, never an empty LFS, ending with the new one; the same for
** the file library's replace and appends (old or new content).
** Images are made with the tools under test (BINDIR: luac.cross,
** flashimg) into the test's temporary folder; 1 MiB flash images keep
** the loop fast.
** Spec: docs/lfs51.md §5.1-§5.2, docs/spiffs.md §1.18, §5.6. Twin:
** tests/cli/device.sh (the command line, boot, libraries). May call: anything.
*/
#include "firmware/host/sim_dev.h"
#include "tests/harness.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <zlib.h>

#include "firmware/ldr/ldr51.h"
#include "lfs/gz.h"
#include "lfs/lfs_buf.h"
#include "luac-cross/luac_front.h"

/* ---- fixtures ---------------------------------------------------------- */

static luac_front_t *front(void)
{
    static luac_front_t *fe;
    static int tried;
    if (!tried) {
        lfs_diag_t d;
        lfs_diag_init(&d, NULL);
        fe = luac_front_open(LUAC_LUA51, &d);
        tried = 1;
    }
    return fe;
}

/* A path in the test's folder (a few at a time). */
static const char *tmp(const char *fmt, ...)
{
    static char bufs[64][512];
    static int k;
    char name[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(name, sizeof name, fmt, ap);
    va_end(ap);
    char *b = bufs[k++ % 64];
    snprintf(b, 512, "%s/%s", th_tmpdir(), name);
    return b;
}

static int sh(const char *fmt, ...)
{
    char cmd[2048];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(cmd, sizeof cmd, fmt, ap);
    va_end(ap);
    return system(cmd);
}

/* The tools' folder as an absolute path (commands run after a cd). */
static const char *bindir(void)
{
    static char abs[4096];
    if (!abs[0] && realpath(th_bindir(), abs) == NULL)
        snprintf(abs, sizeof abs, "%s", th_bindir());
    return abs;
}

static int put_text(const char *path, const char *text)
{
    return th_write_file(path, text, strlen(text));
}

/* n modules m1..mn of `funcs` functions each (variant v changes their
** constants, so every sector of the image changes), and module ver
** returning ver. */
static int gen_sources(const char *dir, int n, int funcs, int v, int ver)
{
    char path[600], line[200];
    if (sh("rm -rf '%s' && mkdir -p '%s'", dir, dir))
        return -1;
    for (int m = 1; m <= n; m++) {
        lfs_buf_t b;
        lfs_buf_init(&b);
        snprintf(line, sizeof line, "local M = {}\n");
        lfs_buf_put(&b, line, strlen(line));
        for (int f = 1; f <= funcs; f++) {
            snprintf(line, sizeof line, "function M.f%d(x) return x * %d +"
                     " %d, \"m%d f%d v%d\" end\n", f, f, v, m, f, v);
            lfs_buf_put(&b, line, strlen(line));
        }
        lfs_buf_put(&b, "return M\n", 9);
        snprintf(path, sizeof path, "%s/m%d.lua", dir, m);
        int rc = th_write_file(path, b.data, b.len);
        lfs_buf_free(&b);
        if (rc)
            return -1;
    }
    snprintf(path, sizeof path, "%s/ver.lua", dir);
    snprintf(line, sizeof line, "return %d\n", ver);
    return put_text(path, line);
}

static int build_lfs(const char *dir, const char *out)
{
    return sh("cd '%s' && '%s/luac.cross' -f --timestamp 1 -o '%s' *.lua"
              " >/dev/null", dir, bindir(), out);
}

/* A stand-in flash image of flash_mb MiB: LFS 0x80000 + 256 KiB (or as
** extra says), SPIFFS after. */
static int compose_size(const char *out, const char *lfs, const char *dir,
                        const char *extra, int flash_mb)
{
    char l[600] = "", s[600] = "";
    if (lfs)
        snprintf(l, sizeof l, "--lfs '%s'", lfs);
    if (dir)
        snprintf(s, sizeof s, "--spiffs-dir '%s'", dir);
    return sh("'%s/flashimg' compose -o '%s' --stand-in --flash-size %dM"
              " %s %s %s >/dev/null", bindir(), out, flash_mb, l, s,
              extra ? extra : "");
}

/* 1 MiB: fast to copy, load and save. */
static int compose(const char *out, const char *lfs, const char *dir,
                   const char *extra)
{
    return compose_size(out, lfs, dir, extra, 1);
}

typedef struct cbuf {
    char *p;
    size_t n, cap;
} cbuf_t;

static void cb_write(void *ud, const char *s, size_t n)
{
    cbuf_t *b = ud;
    if (b->n + n + 1 > b->cap) {
        size_t cap = (b->n + n + 1) * 2;
        char *p = realloc(b->p, cap);
        if (p == NULL)
            return;
        b->p = p;
        b->cap = cap;
    }
    memcpy(b->p + b->n, s, n);
    b->n += n;
    b->p[b->n] = 0;
}

static void cb_reset(cbuf_t *b)
{
    b->n = 0;
    if (b->p)
        b->p[0] = 0;
}

/* Boot a flash file until the device is idle (or the cut). */
static int boot(const char *flash, int32_t cut, uint32_t heap, cbuf_t *out,
                sim_dev_stats_t *st)
{
    sim_dev_opts_t o;
    memset(&o, 0, sizeof o);
    o.prog = "test";
    o.flash = flash;
    o.heap_size = heap;
    o.compile = front() ? luac_vm_compile51 : NULL;
    o.compile_ud = front();
    o.timeout_ms = 60000;
    o.reboots = 4;
    o.power_cut = cut;
    o.input_fd = -1;
    o.write = cb_write;
    o.write_ud = out;
    cb_reset(out);
    return sim_dev_run(&o, st);
}

static uint8_t *slurp(const char *path, size_t *n)
{
    return th_read_file(path, n);
}

/* The "boot" lines of the output: the first and the last value. */
static void boot_lines(const char *out, char *first, char *last, size_t n)
{
    first[0] = last[0] = 0;
    for (const char *p = out; (p = strstr(p, "boot\t")) != NULL; p += 5) {
        if (p != out && p[-1] != '\n')
            continue;
        const char *e = strchr(p, '\n');
        size_t len = e ? (size_t)(e - p - 5) : strlen(p + 5);
        if (len >= n)
            len = n - 1;
        if (!first[0]) {
            memcpy(first, p + 5, len);
            first[len] = 0;
        }
        memcpy(last, p + 5, len);
        last[len] = 0;
    }
}

/* init.lua: report which LFS runs; reload lfs.img while it is v1. */
static const char INIT_RELOAD[] =
    "local ok, v = pcall(function() return LFS.ver() end)\n"
    "print('boot', ok and v or 'no-lfs')\n"
    "if ok and v == 1 then print(node.LFS.reload('lfs.img')) end\n";

/* The reload fixture: v1 in LFS, v2 (all sectors change) on SPIFFS. */
static int reload_fixture(const char *base, int v2_version)
{
    if (gen_sources(tmp("src1"), 6, 40, 1, 1) ||
        gen_sources(tmp("src2"), 6, 40, v2_version, 2) ||
        build_lfs(tmp("src1"), tmp("v1.img")) ||
        build_lfs(tmp("src2"), tmp("v2.img")) ||
        sh("rm -rf '%s' && mkdir -p '%s' && cp '%s' '%s/lfs.img'",
           tmp("fs"), tmp("fs"), tmp("v2.img"), tmp("fs")) ||
        put_text(tmp("fs/init.lua"), INIT_RELOAD) ||
        compose(base, tmp("v1.img"), tmp("fs"), NULL))
        return -1;
    return 0;
}

/* ---- power cuts ---------------------------------------------------------- */

/* Boot with console lines (then idle). */
static int boot_with(const char *flash, const char **lines, int n,
                     cbuf_t *out, sim_dev_stats_t *st)
{
    sim_dev_opts_t o;
    memset(&o, 0, sizeof o);
    o.prog = "test";
    o.flash = flash;
    o.compile = luac_vm_compile51;
    o.compile_ud = front();
    o.timeout_ms = 60000;
    o.reboots = 4;
    o.power_cut = -1;
    o.lines = lines;
    o.nlines = n;
    o.input_fd = -1;
    o.write = cb_write;
    o.write_ud = out;
    cb_reset(out);
    return sim_dev_run(&o, st);
}

/* The reload of base's init.lua with the power cut after each flash
** operation in turn (and a second cut, now and then, while the next boot
** finishes it); each followed by a boot that must run v1 or v2 first and
** v2 last. 0, or -1 with why. *total: the operations of the clean run. */
static int cut_loop(const char *base, int *total, char *why, size_t wn)
{
    const char *t = tmp("cut.bin");
    char first[64], last[64];
    cbuf_t out = { NULL, 0, 0 };
    sim_dev_stats_t st;
    size_t n;
    int rc = -1;
    uint8_t *img = slurp(base, &n);
    if (img == NULL || th_write_file(t, img, n) != 0 ||
        boot(t, -1, 0, &out, &st) != 0) {
        snprintf(why, wn, "cannot run %s", base);
        goto done;
    }
    boot_lines(out.p, first, last, sizeof first);
    if (strcmp(first, "1") || strcmp(last, "2") || st.reloads != 1 ||
        !strstr(out.p, "LFS region updated.  Restarting.\n")) {
        snprintf(why, wn, "clean run: %s", out.p);
        goto done;
    }
    *total = (int)(st.erases + st.writes);
    int resumed = 0, old_first = 0;
    for (int cut = 0; cut <= *total; cut++) {
        th_write_file(t, img, n);
        if (boot(t, cut, 0, &out, &st) != 0 ||
            (cut < *total) != (st.end == SIM_DEV_POWER) ||
            st.erases + st.writes != (uint32_t)cut) {
            snprintf(why, wn, "cut %d of %d: end %d after %u operations",
                     cut, *total, st.end, st.erases + st.writes);
            goto done;
        }
        int second = cut % 5 == 0 ? 1 + cut % 3 : 0;
        if (second) {
            boot(t, second, 0, &out, &st);
            boot_lines(out.p, first, last, sizeof first);
            if (!strcmp(first, "no-lfs") || !strcmp(last, "no-lfs")) {
                snprintf(why, wn, "cut %d then %d: %s", cut, second, out.p);
                goto done;
            }
        }
        if (boot(t, -1, 0, &out, &st) != 0) {
            snprintf(why, wn, "boot after cut %d failed", cut);
            goto done;
        }
        boot_lines(out.p, first, last, sizeof first);
        if ((strcmp(first, "1") && strcmp(first, "2")) || strcmp(last, "2") ||
            strstr(out.p, "lua:")) {
            snprintf(why, wn, "boot after a cut after operation %d of %d:"
                     " %s", cut, *total, out.p);
            goto done;
        }
        resumed += strstr(out.p, "interrupted; finishing it") != NULL;
        old_first += !strcmp(first, "1");
    }
    if (resumed < *total / 3 || old_first == 0) {
        snprintf(why, wn, "%d resumed, %d old, of %d", resumed, old_first,
                 *total);
        goto done;
    }
    rc = 0;
done:
    free(img);
    free(out.p);
    return rc;
}

TEST(test_firmware_device_reload_power_cut)
{
    const char *base = tmp("base.bin");
    char why[4096];
    int total = 0;
    CHECK(front(), "no liblua5.1: the host compiler is missing");
    CHECK(reload_fixture(base, 2) == 0, "cannot make the images");
    CHECK(cut_loop(base, &total, why, sizeof why) == 0, "%s", why);
    CHECK(total > 20, "only %d operations", total);
}

/* The same with a SPIFFS so full that writing the record makes it collect
** garbage (erase a block, move pages of other files, lfs.img among them):
** a cut anywhere in that must not cost the image or the old LFS. */
TEST(test_firmware_device_reload_power_cut_gc)
{
    const char *base = tmp("gcbase.bin"), *fs = tmp("gcfs");
    char line1[200], line2[200], why[4096];
    cbuf_t out = { NULL, 0, 0 };
    sim_dev_stats_t st;
    int total = 0, found = 0;
    CHECK(front(), "no compiler");
    CHECK(reload_fixture(tmp("gc0.bin"), 2) == 0, "cannot make the images");
    CHECK(sh("rm -rf '%s' && mkdir -p '%s' && cp '%s' '%s/lfs.img'", fs, fs,
             tmp("v2.img"), fs) == 0, "mkdir");
    /* deleted pages, then free pages down to where the record's write
    ** needs a collection; the exact count depends on the library's
    ** allocation, so try until a reload erases SPIFFS blocks */
    for (int k = 14; k <= 34 && !found; k++) {
        const char *lines[3] = {
            "local f = file.open('fill1', 'w') for i = 1, 60 do"
            " f:write(('a'):rep(251)) end f:close() file.remove('fill1')",
            line1, line2 };
        snprintf(line1, sizeof line1, "local f = file.open('fill2', 'w')"
                 " for i = 1, %d do f:write(('b'):rep(251)) end f:close()",
                 k);
        snprintf(line2, sizeof line2, "file.putcontents('init.lua', %s)",
                 "\"local ok, v = pcall(function() return LFS.ver() end)"
                 " print('boot', ok and v or 'no-lfs') if ok and v == 1"
                 " then print(node.LFS.reload('lfs.img')) end\"");
        CHECK(compose(base, tmp("v1.img"), fs, "--spiffs-size 0x10000") == 0,
              "compose");
        CHECK(boot_with(base, lines, 3, &out, &st) == 0, "churn: %s", out.p);
        CHECK(sh("cp '%s' '%s'", base, tmp("gctry.bin")) == 0, "cp");
        CHECK(boot(tmp("gctry.bin"), -1, 0, &out, &st) == 0, "try");
        found = st.reloads == 1 && st.erases > st.reload_erased &&
                strstr(out.p, "boot\t2\n");
    }
    CHECK(found, "no fill made the record's write collect garbage");
    CHECK(cut_loop(base, &total, why, sizeof why) == 0, "%s", why);
    free(out.p);
}

/* ---- pass 1 -------------------------------------------------------------- */

typedef struct blob {
    uint8_t *p;
    size_t n;
} blob_t;

static blob_t vec(const char *name)
{
    char path[512];
    blob_t b;
    snprintf(path, sizeof path, "%s/lfs51/%s", th_vectors(), name);
    b.p = th_read_file(path, &b.n);
    return b;
}

static blob_t gzip_payload(const uint8_t *p, size_t n)
{
    lfs_buf_t out;
    lfs_diag_t d;
    blob_t b = { NULL, 0 };
    lfs_buf_init(&out);
    lfs_diag_init(&d, NULL);
    if (gz_write(p, n, &out, &d) == 0) {
        b.p = out.data;
        b.n = out.len;
    } else {
        lfs_buf_free(&out);
    }
    return b;
}

/* group.payload with the word at off set to val (or, with or_mask, or'ed),
** gzipped. */
static blob_t payload_with(uint32_t off, uint32_t val, int or_mask)
{
    blob_t pl = vec("group.payload"), b = { NULL, 0 };
    if (!pl.p)
        return b;
    uint32_t w = lfs_le32(pl.p + off);
    lfs_put_le32(pl.p + off, or_mask ? w | val : val);
    b = gzip_payload(pl.p, pl.n);
    free(pl.p);
    return b;
}

static blob_t far_reference(void)
{
    blob_t pl = vec("group.payload"), b = { NULL, 0 };
    z_stream z;
    if (!pl.p)
        return b;
    memcpy(pl.p + 30000, pl.p + 100, 1000);
    memset(&z, 0, sizeof z);
    b.p = malloc(pl.n + 1024);
    if (deflateInit2(&z, 9, Z_DEFLATED, 15 + 16, 9, Z_DEFAULT_STRATEGY)
        == Z_OK) {
        z.next_in = pl.p;
        z.avail_in = (uInt)pl.n;
        z.next_out = b.p;
        z.avail_out = (uInt)pl.n + 1024;
        if (deflate(&z, Z_FINISH) == Z_STREAM_END)
            b.n = z.total_out;
        deflateEnd(&z);
    }
    free(pl.p);
    return b;
}

static blob_t flipped(const char *name, long at, uint8_t x)
{
    blob_t b = vec(name);
    if (b.p)
        b.p[at < 0 ? (long)b.n + at : at] ^= x;
    return b;
}

static const uint32_t SIG = 0xFAFAA154u;

TEST(test_firmware_device_reload_pass1_errors)
{
    /* The first string's tt/marked word corrupted (the payload otherwise
    ** valid, gzipped again): pass 1 used to accept it, pass 2 wrote it
    ** and the boot refused it, leaving the device without LFS. */
    char tstring[LDR51_MSG_SIZE];
    blob_t gp = vec("group.payload");
    CHECK(front() && gp.p, "no compiler or no vectors");
    uint32_t fsz = lfs_le32(gp.p + 4), words = fsz / 4;
    uint32_t last_bm = fsz + 4 * ((words - 1) / 32);    /* its last word */
    uint32_t tsmark = 32 + 4 * lfs_le32(gp.p + 20) + 4;
    free(gp.p);
    snprintf(tstring, sizeof tstring, "Flash size check failed: byte 0x%x:"
             " TString tt/marked word is not 0x00004004 (STRING, LFS)",
             tsmark);
    const struct {
        const char *file;
        const char *msg;
    } want[] = {
        { "missing.img", "LFS image file not found" },
        { "short.img", "read error on LFS image file" },
        { "absolute.img", "read error on LFS image file" },
        { "deflate.img", "read error on LFS image file" },
        { "version.img", "Incorrect LFS header version" },
        { "int.img", "Incorrect LFS build type" },
        { "b1.img", "incorrect LFS header signature" },
        { "magic.img", "incorrect LFS header signature" },
        { "length.img", "LFS length mismatch" },
        { "isize.img", "LFS length mismatch" },
        { "bitmap.img", "LFS length mismatch" },
        { "crc.img", "checksum error on LFS image file" },
        { "far.img", "invalid dictionary offset on inflate" },
        { "pointer.img", "Flash size check failed: the image would not"
                         " boot" },
        { "tstring.img", tstring },
    };
    const char *fs = tmp("p1fs");
    CHECK(words % 32 != 0, "group.payload has no spare bitmap bits");
    struct { const char *file; blob_t b; } files[] = {
        { "short.img", vec("group.img") },
        { "absolute.img", vec("group-a40280000.img") },
        { "deflate.img", flipped("group.img", 10, 0x06) },
        { "version.img", payload_with(0, SIG ^ 0x300, 0) },
        { "int.img", vec("group.int.img") },
        { "b1.img", payload_with(0, SIG | 2, 0) },
        { "magic.img", payload_with(0, SIG ^ 0x10000, 0) },
        { "length.img", payload_with(4, fsz + 4, 0) },
        { "isize.img", flipped("group.img", -4, 0x04) },
        { "bitmap.img", payload_with(last_bm, 0x80000000u, 1) },
        { "crc.img", flipped("group.img", -8, 0x01) },
        { "far.img", far_reference() },
        { "pointer.img", payload_with(8, 0x00100000u, 0) },
        { "tstring.img", payload_with(tsmark, 0x008cb8d9u, 0) },
        { "group.img", vec("group.img") },
    };
    CHECK(sh("rm -rf '%s' && mkdir -p '%s'", fs, fs) == 0, "mkdir");
    lfs_buf_t init;
    lfs_buf_init(&init);
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        CHECK(files[i].b.p && files[i].b.n > 200, "cannot make %s",
              files[i].file);
        size_t len = strcmp(files[i].file, "short.img") ? files[i].b.n : 150;
        th_write_file(tmp("p1fs/%s", files[i].file), files[i].b.p, len);
        free(files[i].b.p);
    }
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        char line[200];
        snprintf(line, sizeof line, "print('%s', node.LFS.reload('%s'))\n",
                 want[i].file, want[i].file);
        lfs_buf_put(&init, line, strlen(line));
    }
    const char *tail = "print('old', pcall(LFS.hello))\n";
    lfs_buf_put(&init, tail, strlen(tail));
    th_write_file(tmp("p1fs/init.lua"), init.data, init.len);
    lfs_buf_free(&init);
    char hello[512];
    snprintf(hello, sizeof hello, "%s/lfs51/hello.img", th_vectors());
    const char *flash = tmp("p1.bin");
    CHECK(compose_size(flash, hello, fs, NULL, 4) == 0, "compose");
    cbuf_t out = { NULL, 0, 0 };
    sim_dev_stats_t st;
    CHECK(boot(flash, -1, 0, &out, &st) == 0, "run failed");
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        char line[300];
        snprintf(line, sizeof line, "%s\t%s\n", want[i].file, want[i].msg);
        CHECK(strstr(out.p, line), "no '%s' in:\n%s", line, out.p);
    }
    CHECK(strstr(out.p, "hello from the flash store\n") &&
          strstr(out.p, "old\ttrue\n"), "the old LFS is gone:\n%s", out.p);
    CHECK(st.erases == 0 && st.writes == 0 && st.reloads == 0 &&
          st.boots == 1, "flash changed: %u erases, %u writes, %u boots",
          st.erases, st.writes, st.boots);

    /* no memory for the work buffers (about 26 KiB): 20 KiB left */
    put_text(tmp("p1fs/init.lua"), "local t = {}\n"
             "while node.heap() > 20000 do t[#t + 1] = ('x'):rep(20) .. #t"
             " end\n"
             "print(node.LFS.reload('group.img'))\n");
    CHECK(compose_size(flash, hello, fs, NULL, 4) == 0, "compose");
    CHECK(boot(flash, -1, 0, &out, &st) == 0, "run failed");
    CHECK(strstr(out.p, "Memory allocation error\n") && st.erases == 0 &&
          st.writes == 0, "small heap: %s", out.p);

    /* no LFS partition; a partition smaller than the image */
    put_text(tmp("p1fs/init.lua"), "print(node.LFS.reload('group.img'))\n");
    CHECK(compose_size(flash, NULL, fs, "--lfs-size 0", 4) == 0, "compose");
    CHECK(boot(flash, -1, 0, &out, &st) == 0, "run failed");
    CHECK(strstr(out.p, "No LFS partition allocated\n") && st.writes == 0,
          "no partition: %s", out.p);
    CHECK(compose_size(flash, hello, fs, "--lfs-size 0x4000",
                       4) == 0, "compose");
    CHECK(boot(flash, -1, 0, &out, &st) == 0, "run failed");
    CHECK(strstr(out.p, "LFS Image too big for configured LFS region\n") &&
          st.writes == 0, "too big: %s", out.p);
    free(out.p);
}

/* ---- success and incremental writes -------------------------------------- */

TEST(test_firmware_device_reload_success)
{
    const char *fs = tmp("okfs"), *flash = tmp("ok.bin");
    char hello[512], group[512], want[512];
    snprintf(hello, sizeof hello, "%s/lfs51/hello.img", th_vectors());
    snprintf(group, sizeof group, "%s/lfs51/group.img", th_vectors());
    snprintf(want, sizeof want, "%s/src/lua51/closures.out", th_vectors());
    size_t wn;
    uint8_t *raw = th_read_file(want, &wn);
    char *expect = raw ? realloc(raw, wn + 1) : NULL;
    CHECK(front() && expect, "no compiler or no vectors");
    expect[wn] = 0;
    CHECK(sh("rm -rf '%s' && mkdir -p '%s' && cp '%s' '%s/'", fs, fs, group,
             fs) == 0, "mkdir");
    put_text(tmp("okfs/init.lua"),
             "if not LFS.closures then\n"
             "  print(node.LFS.reload('group.img'))\n"
             "else\n"
             "  print('reason', node.bootreason())\n"
             "  LFS.closures()\n"
             "end\n");
    CHECK(compose(flash, hello, fs, NULL) == 0, "compose");
    cbuf_t out = { NULL, 0, 0 };
    sim_dev_stats_t st;
    CHECK(boot(flash, -1, 0, &out, &st) == 0, "run failed");
    const char *r = strstr(out.p, "LFS region updated.  Restarting.\n"
                                  "reason\t2\t3\n");
    CHECK(r && strstr(r, expect) && st.boots == 2 && st.reloads == 1,
          "output:\n%s", out.p);
    /* hello used sector 0 only; the others were erased already */
    CHECK(st.reload_erased == 1 &&
          st.reload_written == st.reload_sectors &&
          st.reload_sectors == (0x1A1D8 + 4095) / 4096,
          "sectors: %u, erased %u, written %u", st.reload_sectors,
          st.reload_erased, st.reload_written);
    free(expect);
    free(out.p);
}

TEST(test_firmware_device_reload_incremental)
{
    const char *base = tmp("inc.bin"), *t = tmp("inc-t.bin");
    cbuf_t out = { NULL, 0, 0 };
    sim_dev_stats_t st;
    size_t n;
    CHECK(front(), "no compiler");
    /* full change: every module's constants differ */
    CHECK(reload_fixture(base, 2) == 0, "fixture");
    uint8_t *img = slurp(base, &n);
    CHECK(img, "read");
    th_write_file(t, img, n);
    CHECK(boot(t, -1, 0, &out, &st) == 0, "run");
    uint32_t full = st.reload_erased, sectors = st.reload_sectors;
    CHECK(full >= sectors - 1 && st.reload_unchanged <= 1,
          "full change: %u of %u sectors erased", full, sectors);
    free(img);
    /* one module changed: v1's sources, ver returning 2 */
    CHECK(gen_sources(tmp("src3"), 6, 40, 1, 2) == 0 &&
          build_lfs(tmp("src3"), tmp("v3.img")) == 0 &&
          sh("cp '%s' '%s/lfs.img'", tmp("v3.img"), tmp("fs")) == 0 &&
          compose(base, tmp("v1.img"), tmp("fs"), NULL) == 0, "fixture 3");
    CHECK(boot(base, -1, 0, &out, &st) == 0, "run");
    CHECK(strstr(out.p, "boot\t2\n") && st.reload_erased <= 2 &&
          st.reload_unchanged >= st.reload_sectors - 2,
          "one module: %u erased, %u written, %u unchanged of %u: %s",
          st.reload_erased, st.reload_written, st.reload_unchanged,
          st.reload_sectors, out.p);
    /* the same image again: no flash operation at all */
    put_text(tmp("fs/init.lua"), "if select(2, node.bootreason()) ~= 3"
             " then print(node.LFS.reload('lfs.img')) end\n");
    CHECK(compose(base, tmp("v3.img"), tmp("fs"), NULL) == 0, "compose");
    CHECK(boot(base, -1, 0, &out, &st) == 0, "run");
    CHECK(st.erases == 0 && st.writes == 0 && st.reloads == 1 &&
          st.reload_unchanged == st.reload_sectors &&
          strstr(out.p, "LFS region updated.  Restarting.\n"),
          "same image: %u erases, %u writes: %s", st.erases, st.writes,
          out.p);
    free(out.p);
}

/* The flash file after a run is the flash: a file written at one boot is
** read at the next, and a run that writes nothing leaves the file as it
** was, byte for byte. */
TEST(test_firmware_device_flash_file)
{
    const char *fs = tmp("fffs"), *flash = tmp("ff.bin");
    cbuf_t out = { NULL, 0, 0 };
    sim_dev_stats_t st;
    size_t n0, n1;
    CHECK(front(), "no compiler");
    CHECK(sh("rm -rf '%s' && mkdir -p '%s'", fs, fs) == 0, "mkdir");
    put_text(tmp("fffs/init.lua"),
             "if file.exists('n.txt') then\n"
             "  print('n', file.getcontents('n.txt'))\n"
             "else\n"
             "  file.putcontents('n.txt', 'one') node.restart()\n"
             "end\n");
    CHECK(compose(flash, NULL, fs, "--trim") == 0, "compose");
    uint8_t *before = slurp(flash, &n0);
    CHECK(boot(flash, -1, 0, &out, &st) == 0, "run");
    CHECK(strstr(out.p, "n\tone\n") && st.boots == 2 && st.writes > 0,
          "%s", out.p);
    uint8_t *after = slurp(flash, &n1);
    CHECK(before && after && n1 >= n0, "file shrank");
    CHECK(boot(flash, -1, 0, &out, &st) == 0, "run");
    uint8_t *again = slurp(flash, &n0);
    CHECK(again && n0 == n1 && th_first_diff(after, n1, again, n0) < 0 &&
          st.writes == 0 && st.erases == 0, "a read-only run changed the"
          " file");
    free(before);
    free(after);
    free(again);
    free(out.p);
}

/* The file library on a power cut (docs/spiffs.md §5.6): init.lua reports
** cfg and log, then replaces cfg (file.putcontents) and appends four
** times to log. A cut after every flash operation in turn, then a boot:
** cfg is the old or the new text, never missing or short, and log the
** old text plus whole appends (none while cfg is old). */
static const char INIT_FILES[] =
    "local a, b = file.getcontents('cfg'), file.getcontents('log')\n"
    "print('files', a and #a or -1, a and a:sub(-1) or '', b and #b or -1)\n"
    "if a ~= ('n'):rep(3000) then\n"
    "  file.putcontents('cfg', ('n'):rep(3000))\n"
    "  local f = file.open('log', 'a')\n"
    "  for i = 1, 4 do f:write(('x'):rep(100)) end\n"
    "  f:close()\n"
    "end\n";

TEST(test_firmware_device_file_power_cut)
{
    const char *fs = tmp("pcfs"), *base = tmp("pc.bin"), *t = tmp("pct.bin");
    cbuf_t out = { NULL, 0, 0 };
    sim_dev_stats_t st;
    int a, b, old = 0, partial = 0;
    char c;
    size_t n;
    CHECK(front(), "no compiler");
    CHECK(sh("rm -rf '%s' && mkdir -p '%s' && head -c 2000 /dev/zero |"
             " tr '\\0' o >'%s/cfg' && head -c 50 /dev/zero | tr '\\0' l"
             " >'%s/log'", fs, fs, fs, fs) == 0, "files");
    put_text(tmp("pcfs/init.lua"), INIT_FILES);
    CHECK(compose(base, NULL, fs, NULL) == 0, "compose");
    uint8_t *img = slurp(base, &n);
    CHECK(img && th_write_file(t, img, n) == 0, "copy");
    CHECK(boot(t, -1, 0, &out, &st) == 0 &&
          strstr(out.p, "files\t2000\to\t50\n"), "clean run: %s", out.p);
    int total = (int)(st.erases + st.writes);
    CHECK(boot(t, -1, 0, &out, &st) == 0 &&
          strstr(out.p, "files\t3000\tn\t450\n"), "after: %s", out.p);
    for (int cut = 0; cut < total && !th_failed(); cut++) {
        th_write_file(t, img, n);
        CHECK(boot(t, cut, 0, &out, &st) == 0 && st.end == SIM_DEV_POWER,
              "cut %d of %d: end %d", cut, total, st.end);
        CHECK(boot(t, -1, 0, &out, &st) == 0, "boot after cut %d", cut);
        const char *p = strstr(out.p, "files\t");
        CHECK(p && sscanf(p, "files\t%d\t%c\t%d", &a, &c, &b) == 3 &&
              ((a == 2000 && c == 'o' && b == 50) ||
               (a == 3000 && c == 'n' && b >= 50 && b <= 450 &&
                (b - 50) % 100 == 0)) && !strstr(out.p, "lua:"),
              "cut %d of %d, then: %s", cut, total, out.p);
        old += a == 2000;
        partial += a == 3000 && b < 450;
    }
    CHECK(old > 0 && partial > 0, "%d old, %d partial of %d", old, partial,
          total);
    free(img);
    free(out.p);
}
