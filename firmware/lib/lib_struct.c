/*
** lib_struct.c: the struct library of NodeMCU's Lua 5.1 firmware, as the
** ROTable lib_struct_tab: pack(fmt, ...), unpack(fmt, s [, i]) (the values,
** then the index after the last byte read) and size(fmt), with the format
** language of Roberto Ierusalimschy's struct 1.4 as NodeMCU builds it for
** the ESP8266 (little-endian; short 2 bytes; int, long and size_t 4) and
** its results (tests/cli/modules_struct.sh):
**   '<' '>' little, big endian (the default is little: the native order)
**   '!n' alignment n, a power of 2 ('!' alone: 8, the alignment of double);
**        the default is 1, none. An item of size k is aligned to min(k, n)
**        bytes with struct.c's arithmetic (k is not rounded to a power of
**        2); 'c' and 's' are never aligned
**   'x' a zero byte; 'b' 'B' 'h' 'H' 'l' 'L' 'T' integers of 1, 1, 2, 2,
**        4, 4, 4 bytes, lower case signed; 'in' 'In' n bytes (default 4)
**   'f' 'd' float and double (the float VM only: the integer VM rejects
**        them, and its 'in' stops at n = 4; the float VM's at 32)
**   'cn' n bytes of a string ('c' is 'c1'; 'c0': the whole string when
**        packing, a length taken from the previous unpacked value, which
**        is then not returned, when unpacking); 's' a zero-ended string
**   ' ' ignored; size() lets other letters and digits pass as 0 bytes.
** For an integer item of n <= 4 bytes pack converts the number as the
** device's C converts it to (unsigned) long (toward zero, saturating at
** 32 bits; NaN gives 0) and writes its low n bytes; unpack sign-extends
** signed items from bit 8n - 1. Unsigned
** results above 2^31 - 1 are negative in the integer VM (its numbers are
** int32). Messages are NodeMCU's.
** Where NodeMCU's struct.c is wrong we are not (tests/deviations/
** lib51-struct.md): integers of more than 4 bytes hold 64 bits (sign-
** extended beyond 8 bytes; NodeMCU's 32-bit long zero-fills them and
** keeps 32 on unpacking), "string too short" names the string's argument
** (NodeMCU the next one), and unpack stays inside the data: offsets below
** 1 and 'c0' lengths out of range are "data string too short", a 'c0'
** with no value unpacked before it needs a previous size. Format numbers
** saturate at 2^31 - 1.
** Spec: NodeMCU 3.0 docs/modules/struct.md, app/modules/struct.c. Twin:
** none. May call: vm.h, libc.
*/
#include <stdint.h>
#include <string.h>

#include "firmware/lib/lib.h"

#define WORD_BYTES   4      /* int, long and size_t on the ESP8266        */
#define MAX_ALIGN    8      /* '!' alone: the lx106's alignment of double */
#define MAX_INT      32     /* largest 'in' of the float build ...        */
#define MAX_INT_INTEGRAL 4  /* ... and of the integer build               */

enum { K_INT, K_UINT, K_FLOAT, K_DOUBLE, K_PAD, K_CHARS, K_STRING,
       K_CONTROL };

typedef struct fmt_state {
    const char *p;          /* the next option                            */
    int little;             /* current byte order                         */
    uint32_t align;         /* current maximum alignment                  */
    int integral;           /* the integer VM: no 'f', 'd'; 'in' up to 4   */
} fmt_state;

typedef struct item {
    int opt;                /* the option character                       */
    int kind;               /* K_*                                        */
    uint32_t size;          /* bytes ('c0', 's' and controls: 0)          */
} item;

static int is_digit(int c)
{
    return c >= '0' && c <= '9';
}

static int is_alnum(int c)
{
    return is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* The decimal number at *p (saturating at INT32_MAX), or def. */
static uint32_t getnum(const char **p, uint32_t def)
{
    uint32_t a = 0;
    if (!is_digit(**p))
        return def;
    do {
        uint32_t d = (uint32_t)(*(*p)++ - '0');
        a = a > (INT32_MAX - d) / 10 ? INT32_MAX : a * 10 + d;
    } while (is_digit(**p));
    return a;
}

static void fmt_init(vm_State *L, fmt_state *f, const char *fmt)
{
    f->p = fmt;
    f->little = 1;
    f->align = 1;
    f->integral = vm_integral(L);
}

/* The next item of the format (its count read), or 0 at its end. */
static int next_item(vm_State *L, fmt_state *f, item *it)
{
    int opt = (unsigned char)*f->p;
    uint32_t limit = f->integral ? MAX_INT_INTEGRAL : MAX_INT;
    if (opt == '\0')
        return 0;
    f->p++;
    it->opt = opt;
    it->kind = K_CONTROL;
    it->size = 0;
    switch (opt) {
    case 'b': case 'B': it->size = 1; break;
    case 'h': case 'H': it->size = 2; break;
    case 'l': case 'L': case 'T': it->size = WORD_BYTES; break;
    case 'i': case 'I':
        it->size = getnum(&f->p, WORD_BYTES);
        if (it->size > limit)
            vm_errorf(L, "integral size %d is larger than limit of %d",
                      (int)it->size, (int)limit);
        break;
    case 'x': it->kind = K_PAD; it->size = 1; return 1;
    case 'c': it->kind = K_CHARS; it->size = getnum(&f->p, 1); return 1;
    case 's': it->kind = K_STRING; return 1;
    case 'f':                   /* the integer VM: invalid, as a control */
        if (!f->integral) {
            it->kind = K_FLOAT;
            it->size = 4;
        }
        return 1;
    case 'd':
        if (!f->integral) {
            it->kind = K_DOUBLE;
            it->size = 8;
        }
        return 1;
    default: return 1;
    }
    it->kind = opt >= 'a' && opt <= 'z' ? K_INT : K_UINT;   /* signed */
    return 1;
}

/* Applies a control item: ' ', '<', '>', '!n'; anything else is an
** error. */
static void control(vm_State *L, fmt_state *f, int opt)
{
    uint32_t a;
    switch (opt) {
    case ' ': return;
    case '<': f->little = 1; return;
    case '>': f->little = 0; return;
    case '!':
        a = getnum(&f->p, MAX_ALIGN);
        if (a == 0 || (a & (a - 1)) != 0)
            vm_errorf(L, "alignment %d is not a power of 2", (int)a);
        f->align = a;
        return;
    default:
        vm_argerror(L, 1, vm_pushfstring(L, "invalid format option '%c'",
                                         opt));
    }
}

/* Padding bytes before it at offset pos (struct.c's gettoalign). */
static uint32_t toalign(const fmt_state *f, uint32_t pos, const item *it)
{
    uint32_t size = it->size;
    if (size == 0 || it->kind == K_CHARS)
        return 0;
    if (size > f->align)
        size = f->align;
    return (size - (pos & (size - 1))) & (size - 1);
}

/* ---- bytes ----------------------------------------------------------------
** Byte k of a value is bits 8k .. 8k + 7 of v; from k = 8 on, put writes
** fill (the sign of a wide integer) and get ignores it. */

static void put(vm_Buffer *b, uint64_t v, uint32_t size, int little,
                char fill)
{
    for (uint32_t i = 0; i < size; i++) {
        uint32_t k = little ? i : size - 1 - i;
        vm_addchar(b, k < 8 ? (char)(v >> 8 * k) : fill);
    }
}

static uint64_t get(const char *p, uint32_t size, int little)
{
    uint64_t v = 0;
    for (uint32_t i = 0; i < size; i++) {
        uint32_t k = little ? i : size - 1 - i;
        if (k < 8)
            v |= (uint64_t)(unsigned char)p[i] << 8 * k;
    }
    return v;
}

/* A number as an integer of 32 bits (the device's C conversion to
** (unsigned) long: toward zero, saturating) or, wide, of 64 bits. */
static uint64_t to_integer(vm_Number n, int wide)
{
    if (n != n)
        return 0;
    if (n < 0) {
        double lo = wide ? -9223372036854775808.0 : -2147483648.0;
        return (uint64_t)(n <= lo ? (int64_t)lo : (int64_t)n);
    }
    if (wide)
        return n >= 18446744073709551616.0 ? UINT64_MAX : (uint64_t)n;
    return n >= 4294967296.0 ? UINT32_MAX : (uint64_t)n;
}

/* ---- pack -------------------------------------------------------------- */

static int struct_pack(vm_State *L)
{
    fmt_state f;
    item it;
    vm_Buffer b;
    int arg = 2;
    uint32_t total = 0;
    fmt_init(L, &f, vm_checkstring(L, 1));
    vm_pushnil(L);      /* as struct.c: the first missing argument is nil */
    vm_buffinit(L, &b);
    while (next_item(L, &f, &it)) {
        uint32_t pad = toalign(&f, total, &it);
        float x;
        vm_Number d;
        uint32_t u32;
        uint64_t u64;
        size_t l;
        const char *s;
        total += pad;
        while (pad-- > 0)
            vm_addchar(&b, '\0');
        switch (it.kind) {
        case K_INT: case K_UINT:
            d = vm_checknumber(L, arg++);
            put(&b, to_integer(d, it.size > WORD_BYTES), it.size, f.little,
                d < 0 ? (char)0xff : '\0');
            break;
        case K_FLOAT:
            x = (float)vm_checknumber(L, arg++);
            memcpy(&u32, &x, sizeof u32);
            put(&b, u32, it.size, f.little, '\0');
            break;
        case K_DOUBLE:
            d = vm_checknumber(L, arg++);
            memcpy(&u64, &d, sizeof u64);
            put(&b, u64, it.size, f.little, '\0');
            break;
        case K_PAD:
            vm_addchar(&b, '\0');
            break;
        case K_CHARS: case K_STRING:
            s = vm_checklstring(L, arg, &l);
            if (it.size == 0)
                it.size = (uint32_t)l;
            vm_argcheck(L, l >= it.size, arg, "string too short");
            arg++;
            vm_addlstring(&b, s, it.size);
            if (it.kind == K_STRING) {
                vm_addchar(&b, '\0');
                it.size++;
            }
            break;
        default:
            control(L, &f, it.opt);
        }
        total += it.size;
    }
    vm_pushresult(&b);
    return 1;
}

/* ---- unpack, size -------------------------------------------------------- */

static void fits(vm_State *L, uint32_t pos, uint32_t size, size_t ld)
{
    vm_argcheck(L, size <= ld && pos <= ld - size, 2,
                "data string too short");
}

/* An integer item, its bytes read as v. */
static void push_integer(vm_State *L, const item *it, uint64_t v)
{
    int sign = it->kind == K_INT;
    if (sign && it->size > 0 && it->size < 8 &&
        ((v >> (8 * it->size - 1)) & 1))
        v |= UINT64_MAX << (8 * it->size);
    if (vm_integral(L))
        vm_pushnumber(L, (int32_t)(uint32_t)v);
    else
        vm_pushnumber(L, sign ? (vm_Number)(int64_t)v : (vm_Number)v);
}

/* The length of a 'c0': the previous value unpacked, popped. */
static uint32_t previous_size(vm_State *L)
{
    vm_Number n;
    if (vm_gettop(L) <= 2 || !vm_isnumber(L, -1))
        vm_errorf(L, "format `c0' needs a previous size");
    n = vm_tonumber(L, -1);
    vm_pop(L, 1);
    if (!(n > 0))
        return 0;
    return n >= 4294967295.0 ? UINT32_MAX : (uint32_t)n;
}

static int struct_unpack(vm_State *L)
{
    fmt_state f;
    item it;
    size_t ld;
    const char *data, *e;
    uint32_t pos, u32;
    uint64_t u64;
    float x;
    vm_Number d;
    fmt_init(L, &f, vm_checkstring(L, 1));
    data = vm_checklstring(L, 2, &ld);
    pos = (uint32_t)vm_optinteger(L, 3, 1) - 1u;
    vm_settop(L, 2);
    while (next_item(L, &f, &it)) {
        pos += toalign(&f, pos, &it);
        fits(L, pos, it.size, ld);
        vm_checkstack_msg(L, 2, "too many results");
        switch (it.kind) {
        case K_INT: case K_UINT:
            push_integer(L, &it, get(data + pos, it.size, f.little));
            break;
        case K_FLOAT:
            u32 = (uint32_t)get(data + pos, it.size, f.little);
            memcpy(&x, &u32, sizeof x);
            vm_pushnumber(L, x);
            break;
        case K_DOUBLE:
            u64 = get(data + pos, it.size, f.little);
            memcpy(&d, &u64, sizeof d);
            vm_pushnumber(L, d);
            break;
        case K_PAD:
            break;
        case K_CHARS:
            if (it.size == 0) {
                it.size = previous_size(L);
                fits(L, pos, it.size, ld);
            }
            vm_pushlstring(L, data + pos, it.size);
            break;
        case K_STRING:
            e = memchr(data + pos, '\0', ld - pos);
            if (e == NULL)
                vm_errorf(L, "unfinished string in data");
            it.size = (uint32_t)(e - (data + pos)) + 1;
            vm_pushlstring(L, data + pos, it.size - 1);
            break;
        default:
            control(L, &f, it.opt);
        }
        pos += it.size;
    }
    vm_pushinteger(L, (vm_Integer)(int32_t)(pos + 1u));
    return vm_gettop(L) - 2;
}

/* The bytes pack would write; letters and digits that are no option
** count 0, as struct.c's size lets them pass. */
static int struct_size(vm_State *L)
{
    fmt_state f;
    item it;
    uint32_t pos = 0;
    fmt_init(L, &f, vm_checkstring(L, 1));
    while (next_item(L, &f, &it)) {
        pos += toalign(&f, pos, &it);
        if (it.kind == K_STRING)
            vm_argerror(L, 1, "option 's' has no fixed size");
        else if (it.kind == K_CHARS && it.size == 0)
            vm_argerror(L, 1, "option 'c0' has no fixed size");
        if (!is_alnum(it.opt))
            control(L, &f, it.opt);
        pos += it.size;
    }
    vm_pushinteger(L, (vm_Integer)(int32_t)pos);
    return 1;
}

const vm_roentry lib_struct_tab[] = {
    VM_RO_F("pack", struct_pack),
    VM_RO_F("size", struct_size),
    VM_RO_F("unpack", struct_unpack),
    VM_RO_END
};

