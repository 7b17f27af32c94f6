/*
** libgcc_extra.c: the compiler helpers that the ESP8266's mask ROM
** provides and Debian's libgcc for xtensa-lx106 therefore leaves out:
** 32-bit division, 64-bit multiply and division, IEEE-754 double and
** single arithmetic and conversions. Each is written from its contract
** (round to nearest even, subnormals, infinities; NaNs as x86 SSE makes
** them: the first NaN operand quieted, or the negative default NaN)
** using only 32-bit multiplies, 64-bit shifts, adds and compares, so none
** calls itself through the compiler.
**
** Out-of-range conversions to integers saturate (INT32_MIN/MAX, 0 and
** UINT32_MAX for unsigned), NaN gives 0: C leaves them undefined; x86
** gives INT32_MIN, so VM code must not rely on either.
**
** tests/test_target_libgcc.c includes this file on the host with
** LIBGCC_EXTRA_NAME renaming every function, and compares each with the
** host's hardware arithmetic.
** Spec: IEEE 754-2008 (binary64, binary32, roundTiesToEven); the GCC
** internals manual, "Library Calls" (names and signatures).
** Twin: none. May call: libgcc's __udivmoddi4/__divmoddi4 (present).
*/
#include <stdint.h>
#include <string.h>

#ifndef LIBGCC_EXTRA_NAME
#define LIBGCC_EXTRA_NAME(n) n
#define LIBGCC_EXTRA_TARGET 1
#endif
#define F(n) LIBGCC_EXTRA_NAME(n)

/* ---- bits ---------------------------------------------------------------- */

#define D_SIGN   UINT64_C(0x8000000000000000)
#define D_EXP    UINT64_C(0x7FF0000000000000)
#define D_FRAC   UINT64_C(0x000FFFFFFFFFFFFF)
#define D_ONE    UINT64_C(0x0010000000000000)   /* implicit bit, 1 << 52 */
#define D_QNAN   UINT64_C(0x0008000000000000)
#define D_INF    D_EXP
#define D_BIAS   1023
#define D_EMAX   0x7FF

#define S_SIGN   UINT32_C(0x80000000)
#define S_EXP    UINT32_C(0x7F800000)
#define S_FRAC   UINT32_C(0x007FFFFF)
#define S_ONE    UINT32_C(0x00800000)
#define S_QNAN   UINT32_C(0x00400000)
#define S_INF    S_EXP
#define S_EMAX   0xFF

static uint64_t dbits(double d)
{
    uint64_t u;
    memcpy(&u, &d, 8);
    return u;
}

static double dfrom(uint64_t u)
{
    double d;
    memcpy(&d, &u, 8);
    return d;
}

static uint32_t sbits(float f)
{
    uint32_t u;
    memcpy(&u, &f, 4);
    return u;
}

static float sfrom(uint32_t u)
{
    float f;
    memcpy(&f, &u, 4);
    return f;
}

static int clz64(uint64_t x)     /* x != 0 */
{
    uint32_t hi = (uint32_t)(x >> 32);
    return hi ? __builtin_clz(hi) : 32 + __builtin_clz((uint32_t)x);
}

/* Shift right by n (1 <= n), ORing every bit shifted out into bit 0. */
static uint64_t shr_sticky(uint64_t x, int n)
{
    if (n >= 64)
        return x != 0;
    return x >> n | ((x << (64 - n)) != 0);
}

/* 32 x 32 -> 64 from four 16 x 16 -> 32 products (mull is 32-bit). */
static uint64_t mul32x32(uint32_t a, uint32_t b)
{
    uint32_t a0 = a & 0xFFFF, a1 = a >> 16, b0 = b & 0xFFFF, b1 = b >> 16;
    uint32_t p00 = a0 * b0, p01 = a0 * b1, p10 = a1 * b0, p11 = a1 * b1;
    uint32_t mid = (p00 >> 16) + (p01 & 0xFFFF) + (p10 & 0xFFFF);
    uint32_t lo = (p00 & 0xFFFF) | mid << 16;
    uint32_t hi = p11 + (p01 >> 16) + (p10 >> 16) + (mid >> 16);
    return (uint64_t)hi << 32 | lo;
}

/* 64 x 64 -> 128 as *hi, *lo. */
static void mul64x64(uint64_t a, uint64_t b, uint64_t *hi, uint64_t *lo)
{
    uint32_t a0 = (uint32_t)a, a1 = (uint32_t)(a >> 32);
    uint32_t b0 = (uint32_t)b, b1 = (uint32_t)(b >> 32);
    uint64_t p00 = mul32x32(a0, b0), p01 = mul32x32(a0, b1);
    uint64_t p10 = mul32x32(a1, b0), p11 = mul32x32(a1, b1);
    uint64_t mid = (p00 >> 32) + (uint32_t)p01 + (uint32_t)p10;
    *lo = (p00 & 0xFFFFFFFFu) | mid << 32;
    *hi = p11 + (p01 >> 32) + (p10 >> 32) + (mid >> 32);
}

/* ---- 32-bit division ----------------------------------------------------- */

/* Restoring division, one quotient bit per step from the divisor's
** alignment down; d == 0 gives 0 (the ROM's choice: no trap). */
static uint32_t udivmod32(uint32_t n, uint32_t d, uint32_t *rem)
{
    uint32_t q = 0;
    if (d == 0 || n < d) {
        *rem = d == 0 ? 0 : n;
        return 0;
    }
    int s = __builtin_clz(d) - __builtin_clz(n);
    d <<= s;
    for (; s >= 0; s--, d >>= 1) {
        q <<= 1;
        if (n >= d) {
            n -= d;
            q |= 1;
        }
    }
    *rem = n;
    return q;
}

uint32_t F(__udivsi3)(uint32_t n, uint32_t d);
uint32_t F(__udivsi3)(uint32_t n, uint32_t d)
{
    uint32_t r;
    return udivmod32(n, d, &r);
}

uint32_t F(__umodsi3)(uint32_t n, uint32_t d);
uint32_t F(__umodsi3)(uint32_t n, uint32_t d)
{
    uint32_t r;
    udivmod32(n, d, &r);
    return r;
}

static uint32_t uabs32(int32_t x)
{
    return x < 0 ? 0u - (uint32_t)x : (uint32_t)x;
}

int32_t F(__divsi3)(int32_t n, int32_t d);
int32_t F(__divsi3)(int32_t n, int32_t d)
{
    uint32_t r, q = udivmod32(uabs32(n), uabs32(d), &r);
    return (int32_t)((n < 0) != (d < 0) ? 0u - q : q);
}

/* libgcc has __modsi3; this one exists for the host test's sake. */
#ifndef LIBGCC_EXTRA_TARGET
int32_t F(__modsi3)(int32_t n, int32_t d);
int32_t F(__modsi3)(int32_t n, int32_t d)
{
    uint32_t r;
    udivmod32(uabs32(n), uabs32(d), &r);
    return (int32_t)(n < 0 ? 0u - r : r);
}
#endif

/* ---- 64-bit integers ----------------------------------------------------- */

int64_t F(__muldi3)(int64_t a, int64_t b);
int64_t F(__muldi3)(int64_t a, int64_t b)
{
    uint64_t ua = (uint64_t)a, ub = (uint64_t)b;
    uint32_t a0 = (uint32_t)ua, a1 = (uint32_t)(ua >> 32);
    uint32_t b0 = (uint32_t)ub, b1 = (uint32_t)(ub >> 32);
    uint64_t r = mul32x32(a0, b0);
    r += (uint64_t)(a0 * b1 + a1 * b0) << 32;
    return (int64_t)r;
}

/* 32 x 32 -> 64 unsigned; libgcc's __udivmoddi4 calls it. */
uint64_t F(__umulsidi3)(uint32_t a, uint32_t b);
uint64_t F(__umulsidi3)(uint32_t a, uint32_t b)
{
    return mul32x32(a, b);
}

#ifdef LIBGCC_EXTRA_TARGET
/* libgcc's generic division (it divides with __udivsi3 above). */
uint64_t __udivmoddi4(uint64_t n, uint64_t d, uint64_t *rem);
int64_t __divmoddi4(int64_t n, int64_t d, int64_t *rem);

uint64_t __udivdi3(uint64_t n, uint64_t d);
uint64_t __udivdi3(uint64_t n, uint64_t d)
{
    return __udivmoddi4(n, d, NULL);
}

uint64_t __umoddi3(uint64_t n, uint64_t d);
uint64_t __umoddi3(uint64_t n, uint64_t d)
{
    uint64_t r;
    __udivmoddi4(n, d, &r);
    return r;
}

int64_t __divdi3(int64_t n, int64_t d);
int64_t __divdi3(int64_t n, int64_t d)
{
    int64_t r;
    return __divmoddi4(n, d, &r);
}
#endif

/* ---- double: rounding and packing ---------------------------------------- */

/* The result sign | value sig * 2^(e - 1078), where sig has its leading
** one at bit 55 (a 53-bit significand, then guard, round and sticky
** bits) and e is the biased exponent it would have: round to nearest
** even, denormalise below 1, overflow to infinity. */
static uint64_t d_round_pack(uint64_t sign, int e, uint64_t sig)
{
    if (e >= D_EMAX)
        return sign | D_INF;
    if (e <= 0) {
        sig = shr_sticky(sig, 1 - e);
        e = 0;
    }
    uint32_t rgs = (uint32_t)sig & 7;
    uint64_t r = sign | (uint64_t)e << 52 | ((sig >> 3) & D_FRAC);
    if (rgs > 4 || (rgs == 4 && (r & 1)))
        r++;              /* a carry into the exponent is right too */
    return r;
}

/* Unpack a finite nonzero |x| into a 53-bit significand (leading one at
** bit 52) and a biased exponent, normalising subnormals (e may be <= 0). */
static uint64_t d_unpack(uint64_t x, int *e)
{
    int ex = (int)((x & D_EXP) >> 52);
    uint64_t m = x & D_FRAC;
    if (ex == 0) {
        int s = clz64(m) - 11;
        m <<= s;
        ex = 1 - s;
    } else {
        m |= D_ONE;
    }
    *e = ex;
    return m;
}

static int d_isnan(uint64_t x)
{
    return (x & ~D_SIGN) > D_INF;
}

/* NaN in, quiet NaN out: the first NaN operand, made quiet (as x86). */
static uint64_t d_nan2(uint64_t a, uint64_t b)
{
    return (d_isnan(a) ? a : b) | D_QNAN;
}

/* The NaN of an invalid operation (inf - inf, 0 * inf, 0 / 0): x86's
** "real indefinite", sign set, so tostring(0/0) is "-nan" as lua5.1 on
** the hosts that made the vectors' .out files prints it. */
#define D_DEFAULT_NAN UINT64_C(0xFFF8000000000000)

static uint64_t d_add(uint64_t a, uint64_t b)
{
    uint64_t aa = a & ~D_SIGN, ba = b & ~D_SIGN;
    if (aa >= D_INF || ba >= D_INF) {
        if (d_isnan(a) || d_isnan(b))
            return d_nan2(a, b);
        if (aa == D_INF && ba == D_INF)
            return (a ^ b) & D_SIGN ? D_DEFAULT_NAN : a;
        return aa == D_INF ? a : b;
    }
    if (aa == 0)
        return ba == 0 ? a & b : b;   /* -0 + -0 = -0, else +0 */
    if (ba == 0)
        return a;
    if (ba > aa) {        /* |a| >= |b| from here on */
        uint64_t t = a;
        a = b;
        b = t;
    }
    int ea, eb;
    uint64_t ma = d_unpack(a, &ea) << 3, mb = d_unpack(b, &eb) << 3;
    uint64_t sign = a & D_SIGN;
    if (ea > eb)
        mb = shr_sticky(mb, ea - eb);
    if ((a ^ b) & D_SIGN) {
        ma -= mb;
        if (ma == 0)
            return 0;     /* x - x = +0 in round to nearest */
        int s = clz64(ma) - 8;    /* back to the leading one at bit 55 */
        ma <<= s;
        ea -= s;
    } else {
        ma += mb;
        if (ma >> 56) {
            ma = shr_sticky(ma, 1);
            ea++;
        }
    }
    return d_round_pack(sign, ea, ma);
}

double F(__adddf3)(double a, double b);
double F(__adddf3)(double a, double b)
{
    return dfrom(d_add(dbits(a), dbits(b)));
}

double F(__subdf3)(double a, double b);
double F(__subdf3)(double a, double b)
{
    uint64_t bb = dbits(b);
    /* a - NaN keeps the NaN's sign: flip only numbers. */
    return dfrom(d_add(dbits(a), d_isnan(bb) ? bb : bb ^ D_SIGN));
}

double F(__muldf3)(double a, double b);
double F(__muldf3)(double a, double b)
{
    uint64_t x = dbits(a), y = dbits(b);
    uint64_t sign = (x ^ y) & D_SIGN;
    uint64_t xa = x & ~D_SIGN, ya = y & ~D_SIGN;
    if (xa >= D_INF || ya >= D_INF) {
        if (d_isnan(x) || d_isnan(y))
            return dfrom(d_nan2(x, y));
        if (xa == 0 || ya == 0)
            return dfrom(D_DEFAULT_NAN);     /* inf * 0 */
        return dfrom(sign | D_INF);
    }
    if (xa == 0 || ya == 0)
        return dfrom(sign);
    int ex, ey;
    uint64_t mx = d_unpack(x, &ex), my = d_unpack(y, &ey), hi, lo;
    /* The 106-bit product, leading one at bit 104 or 105 of hi:lo. */
    mul64x64(mx, my, &hi, &lo);
    int e = ex + ey - D_BIAS;
    int s = 49;                 /* bit 104 -> 55 */
    if (hi >> 41) {             /* bit 105 set */
        s = 50;
        e++;
    }
    uint64_t sig = hi << (64 - s) | lo >> s | ((lo << (64 - s)) != 0);
    return dfrom(d_round_pack(sign, e, sig));
}

double F(__divdf3)(double a, double b);
double F(__divdf3)(double a, double b)
{
    uint64_t x = dbits(a), y = dbits(b);
    uint64_t sign = (x ^ y) & D_SIGN;
    uint64_t xa = x & ~D_SIGN, ya = y & ~D_SIGN;
    if (d_isnan(x) || d_isnan(y))
        return dfrom(d_nan2(x, y));
    if (xa == D_INF)
        return dfrom(ya == D_INF ? D_DEFAULT_NAN : sign | D_INF);
    if (ya == D_INF)
        return dfrom(sign);
    if (ya == 0)
        return dfrom(xa == 0 ? D_DEFAULT_NAN : sign | D_INF);
    if (xa == 0)
        return dfrom(sign);
    int ex, ey;
    uint64_t mx = d_unpack(x, &ex), my = d_unpack(y, &ey);
    int e = ex - ey + D_BIAS;
    if (mx < my) {              /* make the quotient 1 <= mx/my < 2 */
        mx <<= 1;
        e--;
    }
    /* 55 quotient bits (1 integer, 54 fraction), then the sticky bit. */
    uint64_t q = 0, r = mx;
    for (int i = 0; i < 55; i++) {
        q <<= 1;
        if (r >= my) {
            r -= my;
            q |= 1;
        }
        r <<= 1;
    }
    return dfrom(d_round_pack(sign, e, q << 1 | (r != 0)));
}

/* ---- double: conversions ------------------------------------------------- */

static double d_from_u32(uint32_t u, uint64_t sign)
{
    if (u == 0)
        return dfrom(sign);
    int p = 31 - __builtin_clz(u);      /* exact: 32 bits < 53 */
    uint64_t m = (uint64_t)u << (52 - p);
    return dfrom(sign | (uint64_t)(D_BIAS + p) << 52 | (m & D_FRAC));
}

double F(__floatsidf)(int32_t i);
double F(__floatsidf)(int32_t i)
{
    return d_from_u32(uabs32(i), i < 0 ? D_SIGN : 0);
}

double F(__floatunsidf)(uint32_t u);
double F(__floatunsidf)(uint32_t u)
{
    return d_from_u32(u, 0);
}

/* |x| truncated, for |x| < 2^32; *big set when |x| >= 2^32 or NaN. */
static uint32_t d_trunc32(uint64_t x, int *big)
{
    uint64_t xa = x & ~D_SIGN;
    int ex = (int)(xa >> 52);
    *big = 0;
    if (ex < D_BIAS)
        return 0;               /* |x| < 1, zero and subnormals too */
    if (ex >= D_BIAS + 32) {
        *big = 1;               /* also inf and NaN */
        return 0;
    }
    uint64_t m = (xa & D_FRAC) | D_ONE;
    return (uint32_t)(m >> (52 - (ex - D_BIAS)));
}

int32_t F(__fixdfsi)(double a);
int32_t F(__fixdfsi)(double a)
{
    uint64_t x = dbits(a);
    int big;
    uint32_t u = d_trunc32(x, &big);
    if (d_isnan(x))
        return 0;
    if (x & D_SIGN) {
        if (big || u > UINT32_C(0x80000000))
            return INT32_MIN;
        return (int32_t)(0u - u);
    }
    if (big || u > INT32_MAX)
        return INT32_MAX;
    return (int32_t)u;
}

uint32_t F(__fixunsdfsi)(double a);
uint32_t F(__fixunsdfsi)(double a)
{
    uint64_t x = dbits(a);
    int big;
    uint32_t u = d_trunc32(x, &big);
    if (d_isnan(x) ||
        ((x & D_SIGN) && (x & ~D_SIGN) >= UINT64_C(0x3FF0000000000000)))
        return 0;              /* NaN, or -1 and below */
    return big ? UINT32_MAX : u;
}

/* ---- single -------------------------------------------------------------- */

/* As d_round_pack for binary32: sig has its leading one at bit 26. */
static uint32_t s_round_pack(uint32_t sign, int e, uint32_t sig)
{
    if (e >= S_EMAX)
        return sign | S_INF;
    if (e <= 0) {
        int n = 1 - e;
        sig = n >= 32 ? sig != 0 : sig >> n | ((sig << (32 - n)) != 0);
        e = 0;
    }
    uint32_t rgs = sig & 7;
    uint32_t r = sign | (uint32_t)e << 23 | ((sig >> 3) & S_FRAC);
    if (rgs > 4 || (rgs == 4 && (r & 1)))
        r++;
    return r;
}

double F(__extendsfdf2)(float f);
double F(__extendsfdf2)(float f)
{
    uint32_t x = sbits(f);
    uint64_t sign = (uint64_t)(x & S_SIGN) << 32;
    uint32_t xa = x & ~S_SIGN;
    if (xa >= S_INF) {                  /* inf, NaN (made quiet) */
        uint64_t frac = (uint64_t)(xa & S_FRAC) << 29;
        return dfrom(sign | D_INF | frac | (frac ? D_QNAN : 0));
    }
    if (xa == 0)
        return dfrom(sign);
    int ex = (int)(xa >> 23);
    uint32_t m = xa & S_FRAC;
    if (ex == 0) {                      /* subnormal: normalise */
        int s = __builtin_clz(m) - 8;
        m = (m << s) & S_FRAC;
        ex = 1 - s;
    }
    return dfrom(sign | (uint64_t)(ex - 127 + D_BIAS) << 52 |
                 (uint64_t)m << 29);
}

float F(__truncdfsf2)(double d);
float F(__truncdfsf2)(double d)
{
    uint64_t x = dbits(d);
    uint32_t sign = (uint32_t)(x >> 32) & S_SIGN;
    uint64_t xa = x & ~D_SIGN;
    if (xa >= D_INF) {
        uint32_t frac = (uint32_t)((xa & D_FRAC) >> 29);
        return sfrom(sign | S_INF | (d_isnan(x) ? frac | S_QNAN : 0));
    }
    if (xa == 0)
        return sfrom(sign);
    int e;
    uint64_t m = d_unpack(x, &e);        /* leading one at bit 52 */
    /* To the leading one at bit 26: drop 26 bits into the sticky bit. */
    uint32_t sig = (uint32_t)(m >> 26) | ((m & ((1u << 26) - 1)) != 0);
    return sfrom(s_round_pack(sign, e - D_BIAS + 127, sig));
}

static float s_from_u32(uint32_t u, uint32_t sign)
{
    if (u == 0)
        return sfrom(sign);
    int p = 31 - __builtin_clz(u);
    uint32_t sig = p > 26 ? u >> (p - 26) | ((u << (32 - (p - 26))) != 0)
                          : u << (26 - p);
    return sfrom(s_round_pack(sign, 127 + p, sig));
}

float F(__floatsisf)(int32_t i);
float F(__floatsisf)(int32_t i)
{
    return s_from_u32(uabs32(i), i < 0 ? S_SIGN : 0);
}

float F(__floatunsisf)(uint32_t u);
float F(__floatunsisf)(uint32_t u)
{
    return s_from_u32(u, 0);
}

/* Binary32 +, - and * through binary64: rounding to double first, then
** to float, gives the correctly rounded float, because 53 >= 2 * 24 + 2
** (Figueroa, "When is double rounding innocuous?"). libgcc has
** __divsf3. */
float F(__addsf3)(float a, float b);
float F(__addsf3)(float a, float b)
{
    return F(__truncdfsf2)(F(__adddf3)(F(__extendsfdf2)(a),
                                       F(__extendsfdf2)(b)));
}

float F(__subsf3)(float a, float b);
float F(__subsf3)(float a, float b)
{
    return F(__truncdfsf2)(F(__subdf3)(F(__extendsfdf2)(a),
                                       F(__extendsfdf2)(b)));
}

float F(__mulsf3)(float a, float b);
float F(__mulsf3)(float a, float b)
{
    return F(__truncdfsf2)(F(__muldf3)(F(__extendsfdf2)(a),
                                       F(__extendsfdf2)(b)));
}
