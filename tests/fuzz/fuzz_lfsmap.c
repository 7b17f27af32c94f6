/*
** tests/fuzz/fuzz_lfsmap.c: libFuzzer target for the way an LFS image
** reaches the firmware VM (docs/lfs51.md §5): the input is put into the
** simulated device's LFS partition as the tools do it, then booted, and
** every module the index lists is run. A gzip file goes through
** node.LFS.reload's passes (firmware/ldr/ldr51.c; incremental when the
** input's length is odd); a relocatable payload is gzipped first
** (gz_write), so mutations keep a correct CRC; an absolute image is
** written raw, as esptool would. The number build is the signature's (a
** reload refused with "Incorrect LFS build type" is tried on the other
** build). Whatever passes the boot check must run without a crash or a
** sanitizer report; a Lua error is fine, and a run still going after
** 0.2 s of CPU (a loop the code check cannot exclude) is abandoned with
** its whole heap.
** Spec: docs/lfs51.md §3.13, §5.1, §5.2. Twin: none. May call: firmware/,
** lfs/, tests/lfs_modules.h, libc, POSIX signals.
*/
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wcomment"
/* Seed files for tools/run-fuzz.sh, relative to the vectors folder:
# seeds: lfs51/hello.img lfs51/control.int.payload lfs51/group-a40280000.img
*/
#pragma GCC diagnostic pop

#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>

#include "firmware/ldr/ldr51.h"
#include "firmware/lib/lib.h"
#include "firmware/plat/plat.h"
#include "firmware/vm/vm.h"
#include "lfs/gz.h"
#include "lfs/lfs51.h"
#include "tests/lfs_modules.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static sigjmp_buf stuck;

static void on_timer(int sig)
{
    (void)sig;
    siglongjmp(stuck, 1);
}

static void quiet(void *ud, const char *s, size_t n)
{
    (void)ud;
    (void)s;
    (void)n;
}

static void run(const ldr51_lfs_t *lfs, const ldr51_cfg_t *c)
{
    static vm_State *volatile L;
    struct itimerval t = { { 0, 0 }, { 0, 200000 } }, off;
    memset(&off, 0, sizeof off);
    vm_config vc;
    memset(&vc, 0, sizeof vc);
    vc.libs = lib_openers;
    vc.integral = c->integral;
    vc.write = quiet;
    vc.lfs_mapped = lfs->base;
    vc.lfs_base = c->lfs_addr;
    vc.lfs_size = c->lfs_size;
    L = vm_open(&vc);
    if (!L)
        abort();
    if (sigsetjmp(stuck, 1) == 0) {
        setitimer(ITIMER_VIRTUAL, &t, NULL);
        vm_cpcall(L, lfs_modules_run, NULL);
        setitimer(ITIMER_VIRTUAL, &off, NULL);
        vm_close(L);
    } else {
        /* A loop: the state lies in the heap arena, which the next
        ** vm_open takes over whole. */
        setitimer(ITIMER_VIRTUAL, &off, NULL);
    }
}

/* Reload file into the partition, on the other build if the image is
** for it. */
static int reload(ldr51_cfg_t *c, const uint8_t *p, size_t n)
{
    ldr51_file_t f;
    char msg[LDR51_MSG_SIZE];
    ldr51_file_mem(&f, p, (uint32_t)n);
    int rc = ldr51_reload(c, &f, msg);
    if (rc && strcmp(msg, LDR51_MSG_BUILD) == 0) {
        c->integral = !c->integral;
        rc = ldr51_reload(c, &f, msg);
    }
    return rc;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static int up;
    const plat_profile_t *pr = &plat_profile_esp8266;
    if (!up) {
        plat_config_t pc = { pr->flash_size, pr->heap_size };
        struct sigaction sa;
        memset(&sa, 0, sizeof sa);
        sa.sa_handler = on_timer;
        if (plat_init(&pc) || sigaction(SIGVTALRM, &sa, NULL))
            abort();
        up = 1;
    }
    ldr51_cfg_t c;
    memset(&c, 0, sizeof c);
    c.lfs_addr = pr->lfs_addr;
    c.lfs_size = pr->lfs_size;
    c.incremental = (int)(size & 1);
    for (uint32_t s = 0; s < c.lfs_size / PLAT_SECTOR_SIZE; s++)
        plat_flash_erase(c.lfs_addr / PLAT_SECTOR_SIZE + s);
    if (size < 4 || size > c.lfs_size)
        return 0;
    uint32_t sig = lfs_le32(data);
    c.integral = (sig & LFS51_SIG_INTEGRAL) != 0;
    int rc, reloaded = 1;
    if (data[0] == GZ_ID1 && data[1] == GZ_ID2) {
        rc = reload(&c, data, size);
    } else if ((sig & 0xFFFFF0F1u) == 0xFAFAA050u) {
        lfs_buf_t gz;
        lfs_diag_t d;
        lfs_buf_init(&gz);
        lfs_diag_init(&d, NULL);
        rc = gz_write(data, size, &gz, &d) ? -1 : reload(&c, gz.data, gz.len);
        lfs_buf_free(&gz);
    } else {
        reloaded = 0;
        rc = plat_flash_program(c.lfs_addr, data, (uint32_t)size);
    }
    ldr51_lfs_t lfs;
    char msg[LDR51_MSG_SIZE];
    if (ldr51_boot(&c, &lfs, msg) == 0)
        run(&lfs, &c);
    else if (rc == 0 && reloaded)
        abort();            /* reload accepted what the boot refuses */
    return 0;
}
