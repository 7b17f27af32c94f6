/*
** test_target_libgcc.c: the target's compiler helpers
** (firmware/esp8266/libgcc_extra.c: integer division, 64-bit multiply,
** soft double and float) run on the host, renamed hx__*, and compared bit
** for bit with the host's hardware arithmetic (IEEE 754, round to nearest
** even) over edge values and pseudo-random operands. NaN results only
** need to be NaN.
*/
#include "tests/harness.h"

#include <float.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#define LIBGCC_EXTRA_NAME(n) hx##n
#include "firmware/esp8266/libgcc_extra.c"

#define ROUNDS 200000

static uint64_t rng = UINT64_C(0x9E3779B97F4A7C15);

static uint64_t next(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

static const uint64_t edge_d[] = {
    0, UINT64_C(0x8000000000000000),                       /* +-0     */
    UINT64_C(0x0000000000000001), UINT64_C(0x8000000000000001), /* min sub */
    UINT64_C(0x000FFFFFFFFFFFFF), UINT64_C(0x0008000000000000), /* subs */
    UINT64_C(0x0010000000000000), UINT64_C(0x8010000000000000), /* min norm */
    UINT64_C(0x7FEFFFFFFFFFFFFF), UINT64_C(0xFFEFFFFFFFFFFFFF), /* max */
    UINT64_C(0x7FF0000000000000), UINT64_C(0xFFF0000000000000), /* inf */
    UINT64_C(0x7FF8000000000000), UINT64_C(0x7FF0000000000001), /* NaN */
    UINT64_C(0x3FF0000000000000), UINT64_C(0xBFF0000000000000), /* +-1 */
    UINT64_C(0x3FF0000000000001), UINT64_C(0x3FEFFFFFFFFFFFFF),
    UINT64_C(0x4340000000000000), UINT64_C(0x41E0000000000000), /* 2^53,31 */
    UINT64_C(0xC1E0000000000000), UINT64_C(0x41DFFFFFFFC00000),
    UINT64_C(0x41F0000000000000), UINT64_C(0xC1E0000000100000),
    UINT64_C(0x3FE0000000000000), UINT64_C(0x4000000000000000),
    UINT64_C(0x3CA0000000000000), UINT64_C(0x4024000000000000),
};
#define NEDGE (sizeof edge_d / sizeof edge_d[0])

/* Operands: edges, random bit patterns, and pairs of close exponents
** (cancellation, carries, halfway cases). */
static void operands(int i, uint64_t *a, uint64_t *b)
{
    if (i < (int)(NEDGE * NEDGE)) {
        *a = edge_d[i / NEDGE];
        *b = edge_d[i % NEDGE];
        return;
    }
    *a = next();
    switch (i % 4) {
    case 0:
        *b = next();
        break;
    case 1:       /* same exponent give or take a few */
        *b = (next() & ~D_EXP) |
             ((*a & D_EXP) + ((next() % 7) << 52) - (UINT64_C(3) << 52));
        break;
    case 2:       /* subnormal or tiny */
        *a &= UINT64_C(0x801FFFFFFFFFFFFF);
        *b = next() & UINT64_C(0x803FFFFFFFFFFFFF);
        break;
    default:      /* short significands: exact halfway cases */
        *a &= UINT64_C(0xFFFFFFFFFF000000);
        *b = next() & UINT64_C(0xFFFFFFF000000000);
        break;
    }
}

static int same_d(double x, double y)
{
    if (isnan(x) || isnan(y))
        return isnan(x) && isnan(y);
    return dbits(x) == dbits(y);
}

static int same_s(float x, float y)
{
    if (isnan(x) || isnan(y))
        return isnan(x) && isnan(y);
    return sbits(x) == sbits(y);
}

typedef double (*dop_t)(double, double);

static double hw_add(double a, double b)
{
    volatile double r = a + b;
    return r;
}

static double hw_sub(double a, double b)
{
    volatile double r = a - b;
    return r;
}

static double hw_mul(double a, double b)
{
    volatile double r = a * b;
    return r;
}

static double hw_div(double a, double b)
{
    volatile double r = a / b;
    return r;
}


static int check_dop(dop_t soft, dop_t hw, const char *name)
{
    for (int i = 0; i < ROUNDS; i++) {
        uint64_t a, b;
        operands(i, &a, &b);
        double s = soft(dfrom(a), dfrom(b)), h = hw(dfrom(a), dfrom(b));
        int both_nan = isnan(dfrom(a)) && isnan(dfrom(b));
        if (both_nan ? !same_d(s, h) : dbits(s) != dbits(h)) {
            th_fail(__FILE__, __LINE__, "%s(%016llx, %016llx) = %016llx,"
                    " hardware %016llx", name, (unsigned long long)a,
                    (unsigned long long)b, (unsigned long long)dbits(s),
                    (unsigned long long)dbits(h));
            return 0;
        }
    }
    return 1;
}

TEST(test_target_libgcc_adddf3)
{
    check_dop(hx__adddf3, hw_add, "__adddf3");
}

TEST(test_target_libgcc_subdf3)
{
    check_dop(hx__subdf3, hw_sub, "__subdf3");
}

TEST(test_target_libgcc_muldf3)
{
    check_dop(hx__muldf3, hw_mul, "__muldf3");
}

TEST(test_target_libgcc_divdf3)
{
    check_dop(hx__divdf3, hw_div, "__divdf3");
}

static float hw_addf(float a, float b) { volatile float r = a + b; return r; }
static float hw_subf(float a, float b) { volatile float r = a - b; return r; }
static float hw_mulf(float a, float b) { volatile float r = a * b; return r; }

TEST(test_target_libgcc_sf3)
{
    static const uint32_t edge[] = {0, 0x80000000u, 1, 0x007FFFFFu,
        0x00800000u, 0x7F7FFFFFu, 0x7F800000u, 0xFF800000u, 0x7FC00000u,
        0x3F800000u, 0xBF800000u, 0x33800000u, 0x4B800000u};
    const int ne = (int)(sizeof edge / sizeof edge[0]);
    for (int i = 0; i < ROUNDS; i++) {
        uint32_t a, b;
        if (i < ne * ne) {
            a = edge[i / ne];
            b = edge[i % ne];
        } else {
            a = (uint32_t)next();
            b = i % 2 ? (uint32_t)next()
                      : (((uint32_t)next() & ~S_EXP) |
                         ((a & S_EXP) + (((uint32_t)next() % 5) << 23) -
                          (2u << 23)));
        }
        float x = sfrom(a), y = sfrom(b);
        CHECK(same_s(hx__addsf3(x, y), hw_addf(x, y)),
              "__addsf3(%08x, %08x)", a, b);
        CHECK(same_s(hx__subsf3(x, y), hw_subf(x, y)),
              "__subsf3(%08x, %08x)", a, b);
        CHECK(same_s(hx__mulsf3(x, y), hw_mulf(x, y)),
              "__mulsf3(%08x, %08x)", a, b);
    }
}

TEST(test_target_libgcc_convert_double)
{
    for (int i = 0; i < ROUNDS; i++) {
        uint64_t a, b;
        operands(i, &a, &b);
        double d = dfrom(a);
        /* Conversions to integers: in range as C, else saturated. */
        int32_t si = hx__fixdfsi(d);
        if (isnan(d))
            CHECK(si == 0, "__fixdfsi(NaN) = %d", si);
        else if (d >= 2147483648.0)
            CHECK(si == INT32_MAX, "__fixdfsi(%.17g) = %d", d, si);
        else if (d <= -2147483649.0)
            CHECK(si == INT32_MIN, "__fixdfsi(%.17g) = %d", d, si);
        else
            CHECK(si == (int32_t)d, "__fixdfsi(%.17g) = %d", d, si);
        uint32_t su = hx__fixunsdfsi(d);
        if (isnan(d) || d <= -1.0)
            CHECK(su == 0, "__fixunsdfsi(%.17g) = %u", d, su);
        else if (d >= 4294967296.0)
            CHECK(su == UINT32_MAX, "__fixunsdfsi(%.17g) = %u", d, su);
        else
            CHECK(su == (uint32_t)d, "__fixunsdfsi(%.17g) = %u", d, su);
        volatile float hf = (float)d;
        CHECK(sbits(hx__truncdfsf2(d)) == sbits(hf), "__truncdfsf2(%016llx)",
              (unsigned long long)a);
        float f = sfrom((uint32_t)b);
        volatile double hd = (double)f;
        CHECK(dbits(hx__extendsfdf2(f)) == dbits(hd), "__extendsfdf2(%08x)",
              (uint32_t)b);
        /* Integers to floating point. */
        int32_t n = (int32_t)(uint32_t)(i < 64 ? (1u << (i % 32)) - (i / 32)
                                               : (uint32_t)next());
        uint32_t u = (uint32_t)n;
        CHECK(same_d(hx__floatsidf(n), (double)n), "__floatsidf(%d)", n);
        CHECK(same_d(hx__floatunsidf(u), (double)u), "__floatunsidf(%u)", u);
        volatile float fs = (float)n, fu = (float)u;
        CHECK(same_s(hx__floatsisf(n), fs), "__floatsisf(%d)", n);
        CHECK(same_s(hx__floatunsisf(u), fu), "__floatunsisf(%u)", u);
    }
    CHECK(hx__fixdfsi(-2147483648.9) == INT32_MIN, "fixdfsi at INT32_MIN");
    CHECK(hx__fixdfsi(2147483647.9) == INT32_MAX, "fixdfsi at INT32_MAX");
    CHECK(hx__fixdfsi(-0.9) == 0 && hx__fixunsdfsi(-0.9) == 0, "-0.9");
    CHECK(same_d(hx__floatsidf(INT32_MIN), -2147483648.0), "INT32_MIN");
}

TEST(test_target_libgcc_integer)
{
    static const uint32_t edge[] = {0, 1, 2, 3, 7, 10, 0xFFFF, 0x10000,
        0x7FFFFFFFu, 0x80000000u, 0x80000001u, 0xFFFFFFFEu, 0xFFFFFFFFu};
    const int ne = (int)(sizeof edge / sizeof edge[0]);
    for (int i = 0; i < ROUNDS; i++) {
        uint32_t n, d;
        if (i < ne * ne) {
            n = edge[i / ne];
            d = edge[i % ne];
        } else {
            n = (uint32_t)next();
            d = (uint32_t)next() >> (next() % 32);
        }
        uint64_t a = next(), b = i % 3 ? next() : next() >> (next() % 64);
        CHECK((uint64_t)hx__muldi3((int64_t)a, (int64_t)b) == a * b,
              "__muldi3(%llx, %llx)", (unsigned long long)a,
              (unsigned long long)b);
        CHECK(hx__umulsidi3(n, d) == (uint64_t)n * d, "__umulsidi3(%u, %u)",
              n, d);
        if (d == 0)
            continue;
        CHECK(hx__udivsi3(n, d) == n / d, "__udivsi3(%u, %u)", n, d);
        CHECK(hx__umodsi3(n, d) == n % d, "__umodsi3(%u, %u)", n, d);
        int32_t sn = (int32_t)n, sd = (int32_t)d;
        if (sn == INT32_MIN && sd == -1)
            continue;
        CHECK(hx__divsi3(sn, sd) == sn / sd, "__divsi3(%d, %d)", sn, sd);
        CHECK(hx__modsi3(sn, sd) == sn % sd, "__modsi3(%d, %d)", sn, sd);
    }
}
