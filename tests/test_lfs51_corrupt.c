/*
** tests/test_lfs51_corrupt.c: corrupt Lua 5.1 LFS images against the
** firmware (docs/lfs51.md §3.13, §5.1, §5.2). The test makes its images
** with luac.cross ($BINDIR) from two small modules, then corrupts them
** itself: every single-bit flip of an absolute image written raw into
** flash (as esptool would), and every byte of a relocatable payload set
** to another value and gzipped again with a correct CRC, loaded with
** node.LFS.reload's passes over a good LFS. Each image must be refused
** with one line, the old LFS intact and booting, or accepted; an accepted
** image must pass the boot check and run its modules in a forked child
** (a Lua error is fine; a crash, a sanitizer report or a boot refusal is
** not; a child still running after 2 s has met a loop and is stopped).
** Both number builds. The counts are printed on INFO lines.
** Docs: docs/lfs51.md §3.13. May call: anything (tests).
*/
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "firmware/ldr/ldr51.h"
#include "firmware/lib/lib.h"
#include "firmware/plat/plat.h"
#include "firmware/vm/vm.h"
#include "harness.h"
#include "lfs/gz.h"
#include "lfs/lfs51.h"
#include "lfs/lfs51_check.h"
#include "tests/lfs_modules.h"

/* Two modules: constants of every kind, a table constructor (SETLIST),
** closures with upvalues, varargs, a method call; no loop, so a corrupt
** jump rarely makes one. */
static const char m1[] =
    "local t = {1, 2, 'three', x = true}\n"
    "local function add(a, b) return a + b end\n"
    "local function cat(...) return table.concat({...}, ',') end\n"
    "return add(#t, 4), cat('a', 'b'), t.x and 'yes' or 'no'\n";
static const char m2[] =
    "local up = 10\n"
    "local function f(s) up = up + 1; return s:upper() .. up end\n"
    "local r = f('ok')\n"
    "if r ~= 'OK11' then error('bad ' .. r) end\n"
    "return r, -15, nil, false\n";

typedef struct blob {
    uint8_t *p;
    size_t n;
} blob_t;

static const plat_profile_t *prof(void)
{
    return &plat_profile_esp8266;
}

static uint32_t lfs_base(void)
{
    return PLAT_FLASH_MAPPED + prof()->lfs_addr;
}

/* Build m1 and m2 with luac.cross options opts ("-f" or "-a ADDR"). */
static blob_t build(const char *opts, int integral)
{
    blob_t b = { NULL, 0 };
    char dir[512], cmd[2048], out[600];
    snprintf(dir, sizeof dir, "%s/src", th_tmpdir());
    snprintf(out, sizeof out, "%s/lfs.img", th_tmpdir());
    snprintf(cmd, sizeof cmd, "mkdir -p '%s'", dir);
    if (system(cmd) != 0)
        return b;
    char f1[600], f2[600];
    snprintf(f1, sizeof f1, "%s/m1.lua", dir);
    snprintf(f2, sizeof f2, "%s/m2.lua", dir);
    if (th_write_file(f1, m1, strlen(m1)) || th_write_file(f2, m2, strlen(m2)))
        return b;
    snprintf(cmd, sizeof cmd, "cd '%s' && '%s/luac.cross' --timestamp"
             " 1700000000 %s %s -o '%s' m1.lua m2.lua", dir, th_bindir(),
             integral ? "--target 5.1-int" : "", opts, out);
    if (system(cmd) != 0)
        return b;
    b.p = th_read_file(out, &b.n);
    return b;
}

/* A relocatable file's payload (gz_inflate_buf), or its gzip file
** (gz_write); data NULL on failure. */
static lfs_buf_t gz(const uint8_t *p, size_t n, int in)
{
    lfs_buf_t out;
    lfs_diag_t d;
    lfs_buf_init(&out);
    lfs_diag_init(&d, NULL);
    if (in ? gz_inflate_buf(p, n, 1u << 20, &out, &d) : gz_write(p, n, &out,
                                                                 &d))
        lfs_buf_free(&out);
    return out;
}

static ldr51_cfg_t cfg(int integral)
{
    ldr51_cfg_t c;
    memset(&c, 0, sizeof c);
    c.lfs_addr = prof()->lfs_addr;
    c.lfs_size = prof()->lfs_size;
    c.integral = integral;
    c.incremental = 1;
    return c;
}

static int device(void)
{
    plat_config_t pc = { prof()->flash_size, prof()->heap_size };
    return plat_init(&pc);
}

static void quiet(void *ud, const char *s, size_t n)
{
    (void)ud;
    (void)s;
    (void)n;
}

/* Boot the VM on lfs and run the modules; 0, or -1 if the VM cannot
** open. */
static int run_modules(const ldr51_lfs_t *lfs, int integral)
{
    vm_config vc;
    memset(&vc, 0, sizeof vc);
    vc.libs = lib_openers;
    vc.integral = integral;
    vc.write = quiet;
    vc.lfs_mapped = lfs->base;
    vc.lfs_base = prof()->lfs_addr;
    vc.lfs_size = prof()->lfs_size;
    vm_State *L = vm_open(&vc);
    if (!L)
        return -1;
    vm_cpcall(L, lfs_modules_run, NULL);
    vm_close(L);
    return 0;
}

/* Run the modules of the booted lfs in a child: 0 ran (or looped and was
** stopped), else the child's wait status. */
static int run_forked(const ldr51_lfs_t *lfs, int integral, int *looped)
{
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        alarm(2);
        _exit(run_modules(lfs, integral) == 0 ? 0 : 3);
    }
    int st = 0;
    if (pid < 0 || waitpid(pid, &st, 0) != pid)
        return -1;
    if (WIFSIGNALED(st) && WTERMSIG(st) == SIGALRM) {
        (*looped)++;
        return 0;
    }
    return WIFEXITED(st) && WEXITSTATUS(st) == 0 ? 0 : (st ? st : -1);
}

/* A refusal message: one line, not empty. */
static int one_line(const char *msg)
{
    return msg[0] && !strchr(msg, '\n');
}

typedef struct tally {
    int refused, accepted, looped;
} tally_t;

/* ---- the reported cases ------------------------------------------------- */

/* The review's example: byte 55 of an absolute image set to 0x41 made
** nodemcu-sim --lfs fault in the VM's string lookup. */
TEST(test_lfs51_corrupt_absolute_byte55)
{
    char opts[64];
    snprintf(opts, sizeof opts, "-a 0x%08x", lfs_base());
    blob_t img = build(opts, 0);
    CHECK(img.p && img.n > 56, "luac.cross -a failed");
    img.p[55] = 0x41;
    CHECK(device() == 0, "plat_init");
    ldr51_cfg_t c = cfg(0);
    ldr51_lfs_t lfs;
    char msg[LDR51_MSG_SIZE];
    int ok = plat_flash_program(c.lfs_addr, img.p, (uint32_t)img.n) == 0;
    int rc = ldr51_boot(&c, &lfs, msg);
    plat_deinit();
    free(img.p);
    CHECK(ok, "flash write");
    CHECK(rc == LDR51_ESIZE && one_line(msg) && strstr(msg, "byte 0x34"),
          "boot gave %d '%s'", rc, msg);
}

/* The review's example: A of a NEWTABLE raised by 128 (bit 13 of the
** instruction) is still a well-formed image, so lfs51_read (and --verify,
** before) accepted it; the register lies outside the stack frame. */
TEST(test_lfs51_corrupt_newtable_register)
{
    blob_t file = build("-f", 0);
    lfs_buf_t pl = gz(file.p, file.n, 1);
    CHECK(pl.data, "luac.cross -f failed");
    lfs51_info_t info;
    lfs_diag_t d;
    lfs_model_t m;
    lfs_proto_t *index;
    /* Flip every word that decodes as NEWTABLE with A < 128. */
    int refused = 0, read_ok = 0, cli = 0;
    char path[600], cmd[1500], err[600];
    snprintf(path, sizeof path, "%s/newtable.img", th_tmpdir());
    snprintf(err, sizeof err, "%s/newtable.err", th_tmpdir());
    for (size_t w = 8; w < lfs_le32(pl.data + 4) / 4; w++) {
        uint32_t i = lfs_le32(pl.data + 4 * w);
        if ((i & 0x3F) != 10 || ((i >> 6) & 0xFF) >= 128)
            continue;
        lfs_put_le32(pl.data + 4 * w, i | 1u << 13);
        lfs_model_init(&m);
        lfs_diag_init(&d, NULL);
        if (lfs51_read(pl.data, pl.len, &m, &d, &info, &index) == 0) {
            read_ok = 1;
            lfs_diag_init(&d, NULL);
            if (lfs51_check_payload(pl.data, pl.len, 0, &d) == LFS_EFORMAT &&
                d.offset == (long)(4 * w))
                refused = 1;
            /* luac.cross --verify: exit 1, one line naming the byte */
            lfs_buf_t bad = gz(pl.data, pl.len, 0);
            size_t n = 0;
            uint8_t *e = NULL;
            char at[32];
            snprintf(at, sizeof at, "byte 0x%zx", 4 * w);
            snprintf(cmd, sizeof cmd, "'%s/luac.cross' --verify '%s'"
                     " >/dev/null 2>'%s'", th_bindir(), path, err);
            if (bad.data && th_write_file(path, bad.data, bad.len) == 0 &&
                system(cmd) == 1 << 8 && (e = th_read_file(err, &n)) &&
                n > 0 && memchr(e, '\n', n) == e + n - 1 &&
                strstr((char *)e, at))
                cli = 1;
            free(e);
            lfs_buf_free(&bad);
        }
        lfs_model_free(&m);
        lfs_put_le32(pl.data + 4 * w, i);
    }
    free(file.p);
    lfs_buf_free(&pl);
    CHECK(read_ok, "no flipped NEWTABLE passed lfs51_read");
    CHECK(refused, "the flipped NEWTABLE passed the image check");
    CHECK(cli, "luac.cross --verify did not refuse it in one line");
}

/* ---- every corruption --------------------------------------------------- */

/* Every bit flip of an absolute image of the given build written into
** flash: refused by the boot check in one line, or booted and run. */
static void absolute_flips(int integral, tally_t *t)
{
    char opts[64];
    snprintf(opts, sizeof opts, "-a 0x%08x", lfs_base());
    blob_t img = build(opts, integral);
    CHECK(img.p, "luac.cross -a failed");
    CHECK(device() == 0, "plat_init");
    ldr51_cfg_t c = cfg(integral);
    for (size_t bit = 0; bit < 8 * img.n; bit++) {
        img.p[bit / 8] ^= (uint8_t)(1u << bit % 8);
        ldr51_lfs_t lfs;
        char msg[LDR51_MSG_SIZE];
        int wrote = plat_flash_program(c.lfs_addr, img.p, (uint32_t)img.n);
        int rc = ldr51_boot(&c, &lfs, msg);
        img.p[bit / 8] ^= (uint8_t)(1u << bit % 8);
        if (wrote != 0) {
            th_fail(__FILE__, __LINE__, "flash write");
            break;
        }
        if (rc != 0) {
            t->refused++;
            if (!one_line(msg)) {
                th_fail(__FILE__, __LINE__, "bit %zu: message '%s'", bit,
                        msg);
                break;
            }
            continue;
        }
        t->accepted++;
        int st = run_forked(&lfs, integral, &t->looped);
        if (st != 0) {
            th_fail(__FILE__, __LINE__, "bit %zu: accepted, then the"
                    " modules failed (wait status 0x%x)", bit, st);
            break;
        }
    }
    plat_deinit();
    free(img.p);
}

/* Every byte of a relocatable payload set to another value, gzipped
** again, reloaded (incremental, as the simulated device does) over the
** good image. */
static void reload_bytes(int integral, tally_t *t)
{
    blob_t file = build("-f", integral);
    lfs_buf_t pl = gz(file.p, file.n, 1);
    CHECK(pl.data, "luac.cross -f failed");
    CHECK(device() == 0, "plat_init");
    ldr51_cfg_t c = cfg(integral);
    ldr51_file_t f;
    char msg[LDR51_MSG_SIZE];
    ldr51_file_mem(&f, file.p, (uint32_t)file.n);
    ldr51_lfs_t lfs;
    int rc = ldr51_reload(&c, &f, msg);
    CHECK(rc == 0 && ldr51_boot(&c, &lfs, msg) == 0, "good image: '%s'",
          msg);
    CHECK(run_forked(&lfs, integral, &t->looped) == 0 && t->looped == 0,
          "good image does not run");
    uint8_t *good = malloc(c.lfs_size);
    CHECK(good && plat_flash_read(c.lfs_addr, good, c.lfs_size) == 0,
          "flash read");
    uint8_t *now = malloc(c.lfs_size);
    for (size_t i = 0; now && i < pl.len; i++) {
        uint8_t was = pl.data[i];
        pl.data[i] = (uint8_t)(was ^ (i * 0x9D % 255 + 1));
        lfs_buf_t bad = gz(pl.data, pl.len, 0);
        pl.data[i] = was;
        if (!bad.data) {
            th_fail(__FILE__, __LINE__, "byte %zu: gz_write failed", i);
            break;
        }
        ldr51_file_mem(&f, bad.data, (uint32_t)bad.len);
        rc = ldr51_reload(&c, &f, msg);
        lfs_buf_free(&bad);
        int booted = ldr51_boot(&c, &lfs, msg) == 0;
        if (rc != 0) {
            t->refused++;
            long diff = plat_flash_read(c.lfs_addr, now, c.lfs_size) == 0
                      ? th_first_diff(good, c.lfs_size, now, c.lfs_size)
                      : 0;
            if (diff >= 0 || !booted) {
                th_fail(__FILE__, __LINE__, "byte %zu: refused, old LFS"
                        " changed at 0x%lx or lost: '%s'", i, diff, msg);
                break;
            }
            continue;
        }
        t->accepted++;
        if (!booted) {
            th_fail(__FILE__, __LINE__, "byte %zu: reload accepted the"
                    " image, boot refused it: '%s'", i, msg);
            break;
        }
        int st = run_forked(&lfs, integral, &t->looped);
        if (st != 0) {
            th_fail(__FILE__, __LINE__, "byte %zu: accepted, then the"
                    " modules failed (wait status 0x%x)", i, st);
            break;
        }
        if (plat_flash_program(c.lfs_addr, good, c.lfs_size) != 0) {
            th_fail(__FILE__, __LINE__, "flash write");
            break;
        }
    }
    plat_deinit();
    free(now);
    free(good);
    free(file.p);
    lfs_buf_free(&pl);
}

/* One sweep, its counts on an INFO line (the closing notes cite them). */
static void sweep(void (*fn)(int, tally_t *), int integral, const char *what)
{
    tally_t t = { 0, 0, 0 };
    fn(integral, &t);
    printf("INFO %s, %s build: %d refused, %d accepted (%d stopped in a"
           " loop)\n", what, integral ? "integer" : "float", t.refused,
           t.accepted, t.looped);
}

TEST(test_lfs51_corrupt_absolute_float)
{
    sweep(absolute_flips, 0, "absolute image, every bit flipped");
}

TEST(test_lfs51_corrupt_absolute_int)
{
    sweep(absolute_flips, 1, "absolute image, every bit flipped");
}

TEST(test_lfs51_corrupt_reload_float)
{
    sweep(reload_bytes, 0, "relocatable payload, every byte changed");
}

TEST(test_lfs51_corrupt_reload_int)
{
    sweep(reload_bytes, 1, "relocatable payload, every byte changed");
}
