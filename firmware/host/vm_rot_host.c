/*
** vm_rot_host.c: the host half of ROTables and light functions (vm_rot.c
** has the target's). The host's C structs hold 64-bit pointers, but every
** VM value is 32 bits, so:
**  - each library array pushed as a ROTable gets a 32-bit copy in the rom
**    region (plat.h): entries laid out as vm_roent_t, keys and string
**    values copied, nested tables and metatables copied recursively (the
**    same array always gives the same copy, so rawequal holds); copies
**    are made per VM (vm_rot_reset at vm_open), as plat_init remaps rom;
**  - C functions become tokens 0x40100000 + 4i (where IRAM code would be
**    on the chip), from a process-wide table: a function keeps its token;
**  - light userdata outside the 4 GiB window become tokens 0xE0000000 +
**    8i (no mapping there); pointers into the window are their address.
** Spec: docs/lfs51.md §2.8. Twin: vm_rot.c. May call: plat, vm_err, libc.
*/
#include "firmware/vm/vm_core.h"

#if !defined(__XTENSA__)

#define FN_BASE    0x40100000u
#define FN_MAX     8192u
#define UD_BASE    0xE0000000u
#define UD_MAX     8192u
#define MEMO_SIZE  2048u              /* power of 2 */

static vm_CFunction fns[FN_MAX];
static uint32_t nfns;
static uint32_t fnhash[2 * FN_MAX];   /* index + 1, 0 empty */

static void *uds[UD_MAX];
static uint32_t nuds;
static uint32_t udhash[2 * UD_MAX];

static struct {
    plat_ref_t top;                   /* rom bump pointer          */
    uint32_t n;                       /* arrays copied             */
    const vm_roentry *key[MEMO_SIZE]; /* array -> copy             */
    plat_ref_t val[MEMO_SIZE];
} rom;

static uint32_t ptrhash(const void *p, uint32_t size)
{
    uint64_t x = (uint64_t)(uintptr_t)p;
    x ^= x >> 29;
    x *= 0x9E3779B97F4A7C15ull;
    return (uint32_t)(x >> 40) & (size - 1);
}

uint32_t vm_rot_fntoken(vm_CFunction f)
{
    union { vm_CFunction f; void *p; } u = { .f = f };
    uint32_t h = ptrhash(u.p, 2 * FN_MAX);
    while (fnhash[h]) {
        if (fns[fnhash[h] - 1] == f)
            return FN_BASE + 4 * (fnhash[h] - 1);
        h = (h + 1) & (2 * FN_MAX - 1);
    }
    if (nfns == FN_MAX)
        return 0;
    fns[nfns] = f;
    fnhash[h] = ++nfns;
    return FN_BASE + 4 * (nfns - 1);
}

vm_CFunction vm_rot_fn(uint32_t token)
{
    uint32_t i = (token - FN_BASE) / 4;
    return i < nfns ? fns[i] : NULL;
}

uint32_t vm_rot_lightud(void *p)
{
    uint8_t *w = (uint8_t *)plat_ptr(0);
    if (!p)
        return 0;
    if ((uint8_t *)p >= w && (uint64_t)((uint8_t *)p - w) < (1ull << 32))
        return plat_ref(p);
    uint32_t h = ptrhash(p, 2 * UD_MAX);
    while (udhash[h]) {
        if (uds[udhash[h] - 1] == p)
            return UD_BASE + 8 * (udhash[h] - 1);
        h = (h + 1) & (2 * UD_MAX - 1);
    }
    if (nuds == UD_MAX)
        return 0;
    uds[nuds] = p;
    udhash[h] = ++nuds;
    return UD_BASE + 8 * (nuds - 1);
}

void *vm_rot_lightptr(uint32_t token)
{
    if (token == 0)
        return NULL;
    if (token >= UD_BASE) {
        uint32_t i = (token - UD_BASE) / 8;
        return i < nuds ? uds[i] : NULL;
    }
    return plat_ptr(token);
}

void vm_rot_reset(void)
{
    memset(&rom, 0, sizeof rom);
    rom.top = plat_rom_base();
}

static void *rom_alloc(vm_State *L, size_t n)
{
    n = (n + 7) & ~(size_t)7;
    if (rom.top + n > plat_rom_base() + plat_rom_size() || !rom.top)
        vm_err_run(L, "ROTable space exhausted");
    void *p = plat_ptr(rom.top);
    rom.top += (uint32_t)n;
    return p;
}

static plat_ref_t rom_chars(vm_State *L, const char *s)
{
    size_t n = strlen(s) + 1;
    char *p = rom_alloc(L, n);
    memcpy(p, s, n);
    return plat_ref(p);
}

plat_ref_t vm_rot_ref(vm_State *L, const vm_roentry *t)
{
    uint32_t h;
    if (!t)
        return 0;
    for (h = ptrhash(t, MEMO_SIZE); rom.key[h]; h = (h + 1) & (MEMO_SIZE - 1))
        if (rom.key[h] == t)
            return rom.val[h];
    if (rom.n >= MEMO_SIZE / 2)
        vm_err_run(L, "too many ROTables");
    rom.n++;
    size_t n = 0;
    while (t[n].key)
        n++;
    vm_roent_t *e = rom_alloc(L, (n + 1) * sizeof(vm_roent_t));
    memset(e, 0, (n + 1) * sizeof(vm_roent_t));
    rom.key[h] = t;                   /* before recursing: cycles */
    rom.val[h] = plat_ref(e);
    for (size_t i = 0; i < n; i++) {
        e[i].key = rom_chars(L, t[i].key);
        e[i].kind = t[i].kind;
        switch (t[i].kind) {
        case VM_RO_FUNC:
            e[i].u.f = vm_rot_fntoken(t[i].u.f);
            break;
        case VM_RO_NUM:
            e[i].u.n = t[i].u.n;
            break;
        case VM_RO_STR:
            e[i].u.s = rom_chars(L, t[i].u.s ? t[i].u.s : "");
            break;
        case VM_RO_BOOL:
            e[i].u.b = t[i].u.b;
            break;
        case VM_RO_TAB:
        case VM_RO_META:
            e[i].u.t = vm_rot_ref(L, t[i].u.t);
            break;
        default:
            break;
        }
    }
    return plat_ref(e);
}

#endif
