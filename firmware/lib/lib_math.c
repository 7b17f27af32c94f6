/*
** lib_math.c: the math library for the firmware VM, in two ROTables.
** The float VM gets Lua 5.1's whole library (lib_math_tab: abs ... tanh,
** huge, pi and the LUA_COMPAT_MOD alias mod), with lua5.1's results and
** messages. The integer VM gets what NodeMCU's LUA_NUMBER_INTEGRAL build
** of app/lua/lmathlib.c exposes: abs, ceil and floor (identities), max,
** min, pow (integer power, 0 for negative exponents), random,
** randomseed, sqrt (integer root, "negative" for x < 0) and huge
** (INT_MAX); no pi and no other function. lib_math_open publishes the one
** that matches vm_integral.
** random is a deterministic generator of this file (xorshift32), not
** libc's rand() that lua5.1 uses: sequences differ from lua5.1's, so
** tests must not print random values; ranges, argument checks and
** messages ("interval is empty", "wrong number of arguments") match. Its
** state is one word per process (the firmware runs one VM).
** Spec: Lua 5.1 manual §5.6 (mathematical functions); lib.h.
** May call: vm.h, libc (libm).
*/
#include <limits.h>
#include <math.h>
#include <stdint.h>

#include "firmware/lib/lib.h"

#define PI 3.14159265358979323846
#define RADIANS_PER_DEGREE (PI / 180.0)

/* luaL_checkint with 5.1's conversion: the double to a 64-bit integer
** (x86's 0x8000... when out of range), narrowed to int. */
static int checkint(vm_State *L, int narg)
{
    double d = vm_checknumber(L, narg);
    long long v;
    if (d >= -9223372036854775808.0 && d < 9223372036854775808.0)
        v = (long long)d;
    else
        v = (long long)(-9223372036854775807LL - 1);
    return (int)(unsigned int)(unsigned long long)v;
}

/* ---- one-argument functions of libm -------------------------------------- */

#define MATH1(name, expr)                                                   \
    static int math_##name(vm_State *L)                                     \
    {                                                                       \
        vm_Number x = vm_checknumber(L, 1);                                 \
        vm_pushnumber(L, (expr));                                           \
        return 1;                                                           \
    }

MATH1(sin, sin(x))
MATH1(cos, cos(x))
MATH1(tan, tan(x))
MATH1(asin, asin(x))
MATH1(acos, acos(x))
MATH1(atan, atan(x))
MATH1(sinh, sinh(x))
MATH1(cosh, cosh(x))
MATH1(tanh, tanh(x))
MATH1(exp, exp(x))
MATH1(log, log(x))
MATH1(log10, log10(x))
MATH1(ceil, ceil(x))
MATH1(floor, floor(x))
MATH1(sqrt, sqrt(x))
MATH1(abs, fabs(x))
MATH1(deg, x / RADIANS_PER_DEGREE)
MATH1(rad, x * RADIANS_PER_DEGREE)
MATH1(identity, x)                  /* integer ceil and floor */

static int math_atan2(vm_State *L)
{
    vm_Number y = vm_checknumber(L, 1);
    vm_pushnumber(L, atan2(y, vm_checknumber(L, 2)));
    return 1;
}

static int math_fmod(vm_State *L)
{
    vm_Number a = vm_checknumber(L, 1);
    vm_pushnumber(L, fmod(a, vm_checknumber(L, 2)));
    return 1;
}

static int math_pow(vm_State *L)
{
    vm_Number a = vm_checknumber(L, 1);
    vm_pushnumber(L, pow(a, vm_checknumber(L, 2)));
    return 1;
}

static int math_modf(vm_State *L)
{
    double ip;
    double fp = modf(vm_checknumber(L, 1), &ip);
    vm_pushnumber(L, ip);
    vm_pushnumber(L, fp);
    return 2;
}

static int math_frexp(vm_State *L)
{
    int e;
    vm_pushnumber(L, frexp(vm_checknumber(L, 1), &e));
    vm_pushinteger(L, e);
    return 2;
}

static int math_ldexp(vm_State *L)
{
    vm_Number m = vm_checknumber(L, 1);
    vm_pushnumber(L, ldexp(m, checkint(L, 2)));
    return 1;
}

static int math_min(vm_State *L)
{
    int n = vm_gettop(L), i;
    vm_Number m = vm_checknumber(L, 1);
    for (i = 2; i <= n; i++) {
        vm_Number d = vm_checknumber(L, i);
        if (d < m)
            m = d;
    }
    vm_pushnumber(L, m);
    return 1;
}

static int math_max(vm_State *L)
{
    int n = vm_gettop(L), i;
    vm_Number m = vm_checknumber(L, 1);
    for (i = 2; i <= n; i++) {
        vm_Number d = vm_checknumber(L, i);
        if (d > m)
            m = d;
    }
    vm_pushnumber(L, m);
    return 1;
}

/* ---- integer VM ---------------------------------------------------------- */

static int32_t toint32(vm_Number x)
{
    return (int32_t)x;               /* the integer VM's numbers are int32 */
}

/* |x| with int32 wrap-around (abs(-2^31) is -2^31, as on the device). */
static int math_iabs(vm_State *L)
{
    int32_t x = toint32(vm_checknumber(L, 1));
    uint32_t u = (uint32_t)x;
    if (x < 0)
        u = 0u - u;
    vm_pushnumber(L, (int32_t)u);
    return 1;
}

/* The integer square root (floor). */
static int math_isqrt(vm_State *L)
{
    int32_t x = toint32(vm_checknumber(L, 1));
    uint32_t op, res = 0, one = 1u << 30;
    vm_argcheck(L, 0 <= x, 1, "negative");
    op = (uint32_t)x;
    while (one > op)
        one >>= 2;
    while (one != 0) {
        if (op >= res + one) {
            op -= res + one;
            res += 2 * one;
        }
        res >>= 1;
        one >>= 2;
    }
    vm_pushnumber(L, (vm_Number)res);
    return 1;
}

/* a^b by squaring, int32 wrap-around; 0 for b < 0 (NodeMCU's luai_ipow). */
static int math_ipow(vm_State *L)
{
    int32_t a = toint32(vm_checknumber(L, 1));
    int32_t b = toint32(vm_checknumber(L, 2));
    uint32_t base = (uint32_t)a, r = 1;
    if (b < 0) {
        vm_pushnumber(L, 0);
        return 1;
    }
    while (b != 0) {
        if (b & 1)
            r *= base;
        b >>= 1;
        base *= base;
    }
    vm_pushnumber(L, (int32_t)r);
    return 1;
}

/* ---- random -------------------------------------------------------------- */

static uint32_t rng_state = 0x2545f491u;

/* The next value in [0, 2^31). */
static uint32_t rng_next(void)
{
    uint32_t x = rng_state;
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    rng_state = x;
    return x >> 1;
}

static int math_random(vm_State *L)
{
    uint32_t raw = rng_next();
    int integral = vm_integral(L);
    double r = raw / 2147483648.0;   /* [0, 1) */
    int lo, up;
    switch (vm_gettop(L)) {
    case 0:                          /* [0, 1); always 0 in the integer VM */
        vm_pushnumber(L, integral ? 0 : r);
        return 1;
    case 1:
        lo = 1;
        up = checkint(L, 1);
        vm_argcheck(L, 1 <= up, 1, "interval is empty");
        break;
    case 2:
        lo = checkint(L, 1);
        up = checkint(L, 2);
        vm_argcheck(L, lo <= up, 2, "interval is empty");
        break;
    default:
        return vm_errorf(L, "wrong number of arguments");
    }
    if (integral) {
        long long span = (long long)up - lo + 1;    /* 1 .. 2^32 */
        vm_pushnumber(L, (vm_Number)((long long)raw % span + lo));
    } else {
        /* 5.1 computes up - lo + 1 in int: it wraps for spans >= 2^31 */
        int span = (int)((unsigned int)up - (unsigned int)lo + 1u);
        vm_pushnumber(L, floor(r * span) + lo);
    }
    return 1;
}

/* A seed of 0 would stop xorshift: map it (and every seed) to a
** nonzero state. */
static int math_randomseed(vm_State *L)
{
    uint32_t s = (uint32_t)checkint(L, 1);
    rng_state = (s ^ 0x2545f491u) ? (s ^ 0x2545f491u) : 0x9e3779b9u;
    return 0;
}

/* ---- the libraries ------------------------------------------------------- */

static const vm_roentry lib_math_tab[] = {
    VM_RO_F("abs", math_abs),
    VM_RO_F("acos", math_acos),
    VM_RO_F("asin", math_asin),
    VM_RO_F("atan", math_atan),
    VM_RO_F("atan2", math_atan2),
    VM_RO_F("ceil", math_ceil),
    VM_RO_F("cos", math_cos),
    VM_RO_F("cosh", math_cosh),
    VM_RO_F("deg", math_deg),
    VM_RO_F("exp", math_exp),
    VM_RO_F("floor", math_floor),
    VM_RO_F("fmod", math_fmod),
    VM_RO_F("frexp", math_frexp),
    VM_RO_N("huge", HUGE_VAL),
    VM_RO_F("ldexp", math_ldexp),
    VM_RO_F("log", math_log),
    VM_RO_F("log10", math_log10),
    VM_RO_F("max", math_max),
    VM_RO_F("min", math_min),
    VM_RO_F("mod", math_fmod),       /* LUA_COMPAT_MOD, as lua5.1 */
    VM_RO_F("modf", math_modf),
    VM_RO_N("pi", PI),
    VM_RO_F("pow", math_pow),
    VM_RO_F("rad", math_rad),
    VM_RO_F("random", math_random),
    VM_RO_F("randomseed", math_randomseed),
    VM_RO_F("sin", math_sin),
    VM_RO_F("sinh", math_sinh),
    VM_RO_F("sqrt", math_sqrt),
    VM_RO_F("tan", math_tan),
    VM_RO_F("tanh", math_tanh),
    VM_RO_END
};

/* NodeMCU's integer math (LUA_NUMBER_INTEGRAL). */
static const vm_roentry int_math_tab[] = {
    VM_RO_F("abs", math_iabs),
    VM_RO_F("ceil", math_identity),
    VM_RO_F("floor", math_identity),
    VM_RO_N("huge", INT_MAX),
    VM_RO_F("max", math_max),
    VM_RO_F("min", math_min),
    VM_RO_F("pow", math_ipow),
    VM_RO_F("random", math_random),
    VM_RO_F("randomseed", math_randomseed),
    VM_RO_F("sqrt", math_isqrt),
    VM_RO_END
};

int lib_math_open(vm_State *L)
{
    vm_pushrotable(L, vm_integral(L) ? int_math_tab : lib_math_tab);
    vm_setglobal(L, "math");
    return 0;
}
