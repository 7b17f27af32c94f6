/*
** lib_bit.c: the bit library of NodeMCU's Lua 5.1 firmware, as the
** ROTable lib_bit_tab: bnot, band, bor, bxor (any number of operands),
** lshift, rshift (logical), arshift, bit, set, clear (any number of
** positions), isset and isclear, on 32-bit words with NodeMCU's results in
** both number builds.
**
** Every operand goes through luaL_checkinteger as on the device, so the
** float VM truncates toward zero and saturates at the int32 range (0xFFFFFFFF
** is 0x7FFFFFFF there; write -1); every result is an int32, negative when
** bit 31 is set (bit.bit(31) is -2147483648, bit.rshift(-1, 0) is -1).
** Shift counts and bit positions are taken mod 32, as the lx106's shifter
** takes the count NodeMCU's C shifts hand it (bit.lshift(1, 33) is 2).
** Spec: NodeMCU 3.0 docs/modules/bit.md, app/modules/bit.c. Twin: none.
** May call: vm.h.
*/
#include <stdint.h>

#include "firmware/lib/lib.h"

static uint32_t word(vm_State *L, int narg)
{
    return (uint32_t)vm_checkinteger(L, narg);
}

/* A position or count: mod 32. */
static unsigned count(vm_State *L, int narg)
{
    return (unsigned)word(L, narg) & 31u;
}

static int push(vm_State *L, uint32_t w)
{
    vm_pushinteger(L, (vm_Integer)(int32_t)w);
    return 1;
}

/* ---- variadic: operands 1..n, or a word and positions 2..n ------------- */

enum { OP_AND, OP_OR, OP_XOR, OP_SET, OP_CLEAR };

static int fold(vm_State *L, int op)
{
    int n = vm_gettop(L);
    uint32_t w = word(L, 1);
    for (int i = 2; i <= n; i++) {
        switch (op) {
        case OP_AND:   w &= word(L, i); break;
        case OP_OR:    w |= word(L, i); break;
        case OP_XOR:   w ^= word(L, i); break;
        case OP_SET:   w |= 1u << count(L, i); break;
        default:       w &= ~(1u << count(L, i)); break;
        }
    }
    return push(L, w);
}

static int bit_band(vm_State *L)  { return fold(L, OP_AND); }
static int bit_bor(vm_State *L)   { return fold(L, OP_OR); }
static int bit_bxor(vm_State *L)  { return fold(L, OP_XOR); }
static int bit_set(vm_State *L)   { return fold(L, OP_SET); }
static int bit_clear(vm_State *L) { return fold(L, OP_CLEAR); }

/* ---- one word ------------------------------------------------------------ */

static int bit_bnot(vm_State *L)
{
    return push(L, ~word(L, 1));
}

static int bit_lshift(vm_State *L)
{
    uint32_t w = word(L, 1);
    return push(L, w << count(L, 2));
}

static int bit_rshift(vm_State *L)
{
    uint32_t w = word(L, 1);
    return push(L, w >> count(L, 2));
}

/* Sign-filling shift, written without relying on >> of a negative. */
static int bit_arshift(vm_State *L)
{
    uint32_t w = word(L, 1);
    unsigned c = count(L, 2);
    uint32_t r = w >> c;
    if ((w & 0x80000000u) && c != 0)
        r |= ~(UINT32_MAX >> c);
    return push(L, r);
}

static int bit_bit(vm_State *L)
{
    return push(L, 1u << count(L, 1));
}

static int test(vm_State *L, int want)
{
    uint32_t w = word(L, 1);
    vm_pushboolean(L, ((w >> count(L, 2)) & 1u) == (uint32_t)want);
    return 1;
}

static int bit_isset(vm_State *L)   { return test(L, 1); }
static int bit_isclear(vm_State *L) { return test(L, 0); }

const vm_roentry lib_bit_tab[] = {
    VM_RO_F("arshift", bit_arshift),
    VM_RO_F("band", bit_band),
    VM_RO_F("bit", bit_bit),
    VM_RO_F("bnot", bit_bnot),
    VM_RO_F("bor", bit_bor),
    VM_RO_F("bxor", bit_bxor),
    VM_RO_F("clear", bit_clear),
    VM_RO_F("isclear", bit_isclear),
    VM_RO_F("isset", bit_isset),
    VM_RO_F("lshift", bit_lshift),
    VM_RO_F("rshift", bit_rshift),
    VM_RO_F("set", bit_set),
    VM_RO_END
};

