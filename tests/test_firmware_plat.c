/*
** tests/test_firmware_plat.c: the host platform layer (firmware/plat.h):
** the 4 GiB window and refs, faults where the chip would crash (a store
** into mapped flash, any access outside flash and heap), NOR flash
** semantics, flash past the mapped first MiB, esptool-style programming,
** power cuts, and heap arenas of several sizes.
** Spec: docs/flash-layout.md §0, §1; docs/architecture.md §3. Twin: none
** (tests firmware/plat_host.c). May call: anything.
*/
#include "firmware/plat/plat.h"
#include "tests/harness.h"

#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

/* Bring up a fresh device (a failed CHECK may have left one up). */
static int up(uint32_t flash_size, uint32_t heap_size)
{
    plat_config_t cfg = { flash_size, heap_size };
    plat_deinit();
    return plat_init(&cfg);
}

/* ---- faults ------------------------------------------------------------ */

static void *want_addr;

/* In the child: check the fault hit the expected address, then let the
** retried access kill the process with SIGSEGV (SA_RESETHAND). */
static void on_segv(int sig, siginfo_t *si, void *uc)
{
    (void)sig;
    (void)uc;
    if (si->si_addr != want_addr)
        _exit(3);
}

enum { LOAD, STORE };

/* 1: the access faults at ref (the child died of SIGSEGV there);
** 0: it worked; -1: something else happened. */
static int faults(plat_ref_t ref, int op)
{
    fflush(stdout);
    pid_t pid = fork();
    int st;
    if (pid < 0)
        return -1;
    if (pid == 0) {
        struct sigaction sa;
        memset(&sa, 0, sizeof sa);
        sa.sa_sigaction = on_segv;
        sa.sa_flags = SA_SIGINFO | SA_RESETHAND;
        sigemptyset(&sa.sa_mask);
        want_addr = plat_ptr(ref);
        if (sigaction(SIGSEGV, &sa, NULL))
            _exit(4);
        volatile uint32_t *p = plat_ptr(ref);
        if (op == STORE)
            *p = 0x12345678u;
        else
            (void)*p;
        _exit(0);
    }
    if (waitpid(pid, &st, 0) != pid)
        return -1;
    if (WIFSIGNALED(st) && WTERMSIG(st) == SIGSEGV)
        return 1;
    return WIFEXITED(st) && WEXITSTATUS(st) == 0 ? 0 : -1;
}

/* ---- tests ------------------------------------------------------------- */

TEST(test_firmware_plat_window)
{
    CHECK(up(0, 0) == 0, "plat_init failed");
    CHECK(plat_init(NULL) == PLAT_EBUSY, "second plat_init accepted");
    CHECK(plat_flash_size() == PLAT_FLASH_DEFAULT, "flash size 0x%x",
          plat_flash_size());
    CHECK(plat_heap_size() == PLAT_HEAP_DEFAULT, "heap size 0x%x",
          plat_heap_size());
    CHECK(plat_heap_base() == 0x3FFF1000u, "heap base 0x%08x",
          plat_heap_base());
    CHECK(plat_flash_mapped_end() == 0x40300000u, "mapped end 0x%08x",
          plat_flash_mapped_end());
    static const plat_ref_t refs[] = { 0, 0x3FFF1000u, 0x40200000u,
                                       0x4027FFFCu, 0xFFFFFFFFu };
    for (size_t i = 0; i < sizeof refs / sizeof refs[0]; i++)
        CHECK(plat_ref(plat_ptr(refs[i])) == refs[i], "ref 0x%08x does"
              " not round-trip", refs[i]);
    CHECK(plat_ref(NULL) == 0, "plat_ref(NULL) is not 0");
    CHECK(plat_load32(0x40200000u) == 0xFFFFFFFFu, "flash is not erased");
    CHECK(plat_load32(0x402FFFFCu) == 0xFFFFFFFFu, "flash end not erased");
    CHECK(plat_load32(plat_heap_base()) == 0, "heap is not zeroed");
    CHECK(plat_is_flash(0x40200000u) && plat_is_flash(0x402FFFFFu) &&
          !plat_is_flash(0x40300000u) && !plat_is_flash(0x401FFFFFu) &&
          !plat_is_flash(plat_heap_base()), "plat_is_flash range");
    uint32_t *h = plat_ptr(PLAT_DRAM_END - 4);
    *h = 0xA5A5A5A5u;
    CHECK(plat_load32(PLAT_DRAM_END - 4) == 0xA5A5A5A5u, "heap store");
    plat_deinit();
    CHECK(plat_window == NULL && plat_flash_size() == 0, "deinit");
}

TEST(test_firmware_plat_config_limits)
{
    static const struct { uint32_t flash, heap; int rc; } t[] = {
        { 0x1000, 0, 0 },
        { PLAT_FLASH_MAX, PLAT_DRAM_SIZE, 0 },
        { 0x1800, 0, PLAT_EINVAL },             /* not a sector multiple */
        { PLAT_FLASH_MAX + 0x1000, 0, PLAT_EINVAL },
        { 0, PLAT_DRAM_SIZE + 8, PLAT_EINVAL },
        { 0, PLAT_HEAP_MIN - 8, PLAT_EINVAL },
        { 0, 40004, PLAT_EINVAL },              /* not 8-aligned */
        { 0, 40000, 0 },
    };
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
        int rc = up(t[i].flash, t[i].heap);
        CHECK(rc == t[i].rc, "flash 0x%x heap %u: %d, expected %d",
              t[i].flash, t[i].heap, rc, t[i].rc);
    }
    plat_deinit();
}

/* Every access the chip would crash on faults, and only those. */
TEST(test_firmware_plat_faults)
{
    CHECK(up(0, 0) == 0, "plat_init failed");
    static const uint8_t img[8] = { 1, 2, 3, 4, 5, 6, 7, 8 };
    CHECK(plat_flash_program(0x80000, img, sizeof img) == 0, "program");
    static const struct { plat_ref_t ref; int op, fault; } t[] = {
        { 0x40280000u, STORE, 1 },     /* into an LFS image */
        { 0x40200000u, STORE, 1 },     /* flash offset 0 */
        { 0x402FFFFCu, STORE, 1 },     /* last mapped word */
        { 0x40280000u, LOAD, 0 },
        { 0x402FFFFCu, LOAD, 0 },
        { 0x40300000u, LOAD, 1 },      /* flash past the mapped MiB */
        { 0x40600000u, LOAD, 1 },      /* past the flash */
        { 0x00000000u, LOAD, 1 },      /* NULL */
        { 0x00000000u, STORE, 1 },
        { 0x3FFF1000u, STORE, 0 },     /* heap */
        { 0x3FFFBFFCu, STORE, 0 },     /* last heap word */
        { 0x3FFFC000u, LOAD, 1 },      /* just past the heap */
        { 0x3FFF0000u, LOAD, 1 },      /* a page below it */
        { 0x60000000u, STORE, 1 },     /* I/O registers: not emulated */
    };
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
        int r = faults(t[i].ref, t[i].op);
        CHECK(r == t[i].fault, "%s 0x%08x: %s", t[i].op ? "store" : "load",
              t[i].ref, r < 0 ? "the child failed otherwise"
              : r ? "faulted" : "did not fault");
    }
    CHECK(plat_load32(0x40280000u) == 0x04030201u, "flash changed");
    plat_deinit();
}

TEST(test_firmware_plat_nor)
{
    CHECK(up(0, 0) == 0, "plat_init failed");
    uint8_t buf[16], want[16];
    static const uint8_t a[8] = { 0xF0, 0x0F, 0x55, 0xAA, 0x00, 0xFF,
                                  0x81, 0x7E };
    static const uint8_t b[8] = { 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
                                  0xFF, 0xFF };
    static const uint8_t c[8] = { 0x3C, 0x3C, 0x0F, 0xF0, 0xFF, 0x0F,
                                  0xFF, 0x00 };
    uint32_t at = 0x1FF8;                  /* ends at a sector boundary */
    CHECK(plat_flash_write(at, a, 8) == 0, "write a");
    CHECK(plat_flash_write(at, b, 8) == 0, "write ones");
    CHECK(plat_flash_read(at, buf, 8) == 0 && !memcmp(buf, a, 8),
          "writing 1 bits set bits");
    CHECK(plat_flash_write(at, c, 8) == 0, "write c");
    for (int i = 0; i < 8; i++)
        want[i] = a[i] & c[i];
    CHECK(plat_flash_read(at, buf, 8) == 0 && !memcmp(buf, want, 8),
          "a write is not old AND new");
    CHECK(!memcmp(plat_ptr(PLAT_FLASH_MAPPED + at), want, 8),
          "the mapped view differs from plat_flash_read");
    CHECK(plat_flash_write(0x2000, a, 8) == 0, "write next sector");
    CHECK(plat_flash_erase(1) == 0, "erase sector 1");
    CHECK(plat_flash_read(at, buf, 8) == 0, "read");
    for (int i = 0; i < 8; i++)
        CHECK(buf[i] == 0xFF, "erase left 0x%02x at byte %d", buf[i], i);
    CHECK(plat_flash_read(0x2000, buf, 8) == 0 && !memcmp(buf, a, 8),
          "erase reached the next sector");
    CHECK(plat_flash_write(0x2001, a, 4) == PLAT_EINVAL, "odd address");
    CHECK(plat_flash_write(0x2000, a, 6) == PLAT_EINVAL, "odd length");
    CHECK(plat_flash_write(PLAT_FLASH_DEFAULT - 4, a, 8) == PLAT_EINVAL,
          "write past the end");
    CHECK(plat_flash_erase(PLAT_FLASH_DEFAULT / PLAT_SECTOR_SIZE) ==
          PLAT_EINVAL, "erase past the end");
    CHECK(plat_flash_read(PLAT_FLASH_DEFAULT - 2, buf, 4) == PLAT_EINVAL,
          "read past the end");
    CHECK(plat_flash_read(0x2003, buf, 3) == 0 && !memcmp(buf, a + 3, 3),
          "unaligned read");
    plat_flash_stats_t st;
    plat_flash_stats(&st);
    CHECK(st.erases == 1 && st.writes == 4 && st.bytes == 32 && st.cut == 0,
          "stats: %u erases, %u writes, %llu bytes", st.erases, st.writes,
          (unsigned long long)st.bytes);
    plat_deinit();
}

/* Flash past the first MiB: reachable through the API only. */
TEST(test_firmware_plat_unmapped_flash)
{
    CHECK(up(0, 0) == 0, "plat_init failed");
    static const uint8_t a[8] = { 1, 2, 3, 4, 5, 6, 7, 8 };
    uint8_t buf[16];
    uint32_t at = 0x200000;
    CHECK(plat_flash_write(at, a, 8) == 0, "write at 2 MiB");
    CHECK(plat_flash_read(at, buf, 8) == 0 && !memcmp(buf, a, 8), "read");
    /* A read across the mapped boundary. */
    CHECK(plat_flash_write(0xFFFF8, a, 8) == 0 &&
          plat_flash_write(0x100000, a, 8) == 0, "write at 1 MiB");
    CHECK(plat_flash_read(0xFFFF8, buf, 16) == 0 && !memcmp(buf, a, 8) &&
          !memcmp(buf + 8, a, 8), "read across the boundary");
    CHECK(plat_flash_erase(at / PLAT_SECTOR_SIZE) == 0, "erase");
    CHECK(plat_flash_read(at, buf, 4) == 0 && buf[0] == 0xFF, "erased");
    CHECK(!plat_is_flash(PLAT_FLASH_MAPPED + at), "not mapped");
    CHECK(faults(PLAT_FLASH_MAPPED + at, LOAD) == 1, "load did not fault");
    CHECK(faults(0x402FFFF8u, LOAD) == 0, "mapped load faulted");
    plat_deinit();
}

/* A small flash maps less than a MiB. */
TEST(test_firmware_plat_small_flash)
{
    CHECK(up(0x80000, 0) == 0, "plat_init failed");
    CHECK(plat_flash_mapped_end() == 0x40280000u, "mapped end 0x%08x",
          plat_flash_mapped_end());
    CHECK(faults(0x4027FFFCu, LOAD) == 0, "last word faulted");
    CHECK(faults(0x40280000u, LOAD) == 1, "load past the flash");
    plat_deinit();
}

TEST(test_firmware_plat_program)
{
    CHECK(up(0, 0) == 0, "plat_init failed");
    uint8_t img[6000], buf[8192];
    for (size_t i = 0; i < sizeof img; i++)
        img[i] = (uint8_t)(i * 7 + 1);
    uint8_t zero[8] = { 0 };
    CHECK(plat_flash_write(0x10000 + 8000, zero, 8) == 0, "dirty");
    CHECK(plat_flash_write(0x12000, zero, 8) == 0, "dirty next");
    CHECK(plat_flash_program(0x10000, img, 5999) == 0, "program");
    CHECK(plat_flash_read(0x10000, buf, 8192) == 0, "read");
    CHECK(!memcmp(buf, img, 5999), "program wrote other bytes");
    for (size_t i = 5999; i < 8192; i++)
        CHECK(buf[i] == 0xFF, "byte 0x%zx is 0x%02x, not erased", i, buf[i]);
    CHECK(plat_flash_read(0x12000, buf, 8) == 0 && !memcmp(buf, zero, 8),
          "program erased a sector it did not touch");
    CHECK(plat_flash_program(0x10004, img, 8) == PLAT_EINVAL,
          "unaligned program");
    plat_flash_stats_t st;
    plat_flash_stats(&st);
    CHECK(st.erases == 2 && st.writes == 4, "%u erases, %u writes",
          st.erases, st.writes);
    plat_deinit();
}

TEST(test_firmware_plat_power_cut)
{
    CHECK(up(0, 0) == 0, "plat_init failed");
    static const uint8_t a[4] = { 0, 0, 0, 0 };
    uint8_t buf[4];
    plat_flash_power_cut_after(2);
    CHECK(plat_flash_erase(5) == 0, "first op");
    CHECK(plat_flash_write(0x5000, a, 4) == 0, "second op");
    CHECK(plat_flash_write(0x5004, a, 4) == PLAT_EPOWER, "third op ran");
    CHECK(plat_flash_erase(5) == PLAT_EPOWER, "erase ran");
    CHECK(plat_flash_read(0x5000, buf, 4) == 0 && !memcmp(buf, a, 4),
          "the write before the cut is lost");
    CHECK(plat_flash_read(0x5004, buf, 4) == 0 && buf[0] == 0xFF,
          "the write after the cut happened");
    plat_flash_stats_t st;
    plat_flash_stats(&st);
    CHECK(st.cut == 2 && st.erases == 1 && st.writes == 1, "stats");
    plat_flash_power_on();
    CHECK(plat_flash_write(0x5004, a, 4) == 0, "power on");
    plat_flash_power_cut_after(0);
    CHECK(plat_flash_erase(5) == PLAT_EPOWER, "cut after 0");
    plat_deinit();
}

/* Heap arenas end at PLAT_DRAM_END whatever their size. */
TEST(test_firmware_plat_heap_sizes)
{
    static const uint32_t sizes[] = { PLAT_HEAP_MIN, 40000,
                                      PLAT_HEAP_DEFAULT, PLAT_DRAM_SIZE };
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        CHECK(up(0, sizes[i]) == 0, "plat_init heap %u", sizes[i]);
        plat_ref_t b = plat_heap_base();
        CHECK(b == PLAT_DRAM_END - sizes[i] && plat_heap_size() == sizes[i],
              "heap %u at 0x%08x", sizes[i], b);
        memset(plat_ptr(b), 0x5A, sizes[i]);
        CHECK(faults(b, STORE) == 0, "heap %u: first word faults",
              sizes[i]);
        CHECK(faults(PLAT_DRAM_END, LOAD) == 1, "heap %u: end does not"
              " fault", sizes[i]);
        if (b % 4096 == 0)
            CHECK(faults(b - 4, LOAD) == 1, "heap %u: below does not"
                  " fault", sizes[i]);
    }
    plat_deinit();
}

TEST(test_firmware_plat_profile)
{
    const plat_profile_t *p = &plat_profile_esp8266;
    CHECK(!strcmp(p->name, "esp8266") && p->dialect == 51 && !p->integral,
          "profile identity");
    CHECK(p->flash_size == PLAT_FLASH_DEFAULT &&
          p->heap_size == PLAT_HEAP_DEFAULT, "profile sizes");
    CHECK(p->lfs_addr % PLAT_SECTOR_SIZE == 0 &&
          p->lfs_size % PLAT_SECTOR_SIZE == 0 &&
          p->lfs_addr + p->lfs_size <= PLAT_FLASH_MAP_SIZE,
          "profile LFS partition outside the mapped MiB");
    plat_config_t cfg = { p->flash_size, p->heap_size };
    plat_deinit();
    CHECK(plat_init(&cfg) == 0, "the profile's config is refused");
    plat_deinit();
}
