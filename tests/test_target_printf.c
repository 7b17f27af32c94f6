/*
** test_target_printf.c: the target's printf (firmware/esp8266/
** target_printf.c), built on the host with its entry points renamed
** hx_*, against glibc's: exact %e %f %g of edge and pseudo-random doubles
** at every precision, flags and widths, the integer, string and pointer
** conversions, and truncation to a short buffer.
*/
#include "tests/harness.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#define TARGET_PRINTF_NAME(n) hx_##n
#include "firmware/esp8266/target_printf.c"

static uint64_t rng = UINT64_C(0x2545F4914F6CDD1D);

static uint64_t next(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

static double dbl(uint64_t u)
{
    double d;
    memcpy(&d, &u, 8);
    return d;
}

static char want[4096], got[4096];

/* One double through fmt in both printfs; 0 and a failure on mismatch. */
static int same1(const char *fmt, double d)
{
    int a = snprintf(want, sizeof want, fmt, d);
    int b = hx_snprintf(got, sizeof got, fmt, d);
    /* glibc's "%#g" bug: when rounding carries into a new exponent it
    ** drops the kept zeros, 999999.9 -> "1.e+06" (C11 wants
    ** "1.00000e+06"); test_target_printf_alt_g checks ours. */
    if (strchr(fmt, '#') && strstr(want, ".e"))
        return 1;
    if (a != b || strcmp(want, got) != 0) {
        uint64_t u;
        memcpy(&u, &d, 8);
        th_fail(__FILE__, __LINE__, "\"%s\" of %016llx: glibc \"%.60s\" (%d),"
                " ours \"%.60s\" (%d)", fmt, (unsigned long long)u, want, a,
                got, b);
        return 0;
    }
    return 1;
}

static const double edges[] = {
    0.0, -0.0, 1.0, -1.0, 0.5, 1.5, 2.5, -2.5, 0.1, 0.2, 0.3, 1e-5, 1e-4,
    9.5, 99.5, 0.05, 0.15, 0.25, 0.35, 123456789.0, 1e15, 1e16, 1e17, 1e21,
    1e22, 1e23, 9007199254740992.0, 9007199254740993.0, 4294967295.0,
    2147483648.0, 1.7976931348623157e308, 2.2250738585072014e-308,
    4.9406564584124654e-324, 1.4821969375237396e-323, 6.02214076e23,
    3.1415926535897931, 0.000123456789, 999999.5, 9999995.0, 0.9999995,
    4.76837158203125e-07, 5e-324, 1e308, 1e-300, 123.456, 1.0 / 3.0,
    2.0 / 3.0, 100.0, 1e100, 0.999, 0.9999999999999999,
};
#define NEDGES (sizeof edges / sizeof edges[0])

static double sample(int i)
{
    if (i < (int)NEDGES)
        return edges[i];
    switch (i % 4) {
    case 0: return dbl(next());                        /* any finite or not */
    case 1: return (double)(int64_t)(next() >> (next() % 64)) /
                   (double)(1 + (next() % 1000000));
    case 2: return ldexp((double)(next() >> 11), (int)(next() % 200) - 100);
    default: return (double)(next() % 100000) / 1000.0;   /* short decimals */
    }
}

TEST(test_target_printf_precisions)
{
    char fmt[16];
    for (int i = 0; i < 3000; i++) {
        double d = sample(i);
        for (int p = 0; p <= 20; p++) {
            const char *conv = "gef";
            for (int c = 0; c < 3; c++) {
                snprintf(fmt, sizeof fmt, "%%.%d%c", p, conv[c]);
                if (!same1(fmt, d))
                    return;
            }
        }
    }
}

TEST(test_target_printf_lua_formats)
{
    /* What the VM and string.format use most: %.14g, %.17g, defaults. */
    static const char *const fmts[] = {"%.14g", "%.17g", "%g", "%e", "%f",
                                       "%.3f", "%5.1f", "%.0f", "%.99f"};
    for (int i = 0; i < 100000; i++) {
        double d = sample(i);
        for (size_t k = 0; k < sizeof fmts / sizeof fmts[0]; k++)
            if ((k < 3 || i % 16 == 0) && !same1(fmts[k], d))
                return;
    }
}

TEST(test_target_printf_flags)
{
    static const char *const fmts[] = {"%+10.3f", "%-12.4e|", "%#g", "%#.0f",
        "%#.0e", "%08.2f", "% g", "%010g", "%G", "%E", "%F", "%-8g|", "%+g",
        "%#.3g", "%#x", "%+.0f", "% 012.4e", "%-+9.2f|", "%#10.0g|", "%1.0e",
        "%.1g", "%.1e", "%.30e"};
    static const double specials[] = {INFINITY, -INFINITY, NAN, -NAN};
    for (int i = 0; i < 2000 + 4; i++) {
        double d = i < 4 ? specials[i] : sample(i - 4);
        for (size_t k = 0; k < sizeof fmts / sizeof fmts[0]; k++) {
            if (strcmp(fmts[k], "%#x") == 0)
                continue;
            if (!same1(fmts[k], d))
                return;
        }
    }
}

TEST(test_target_printf_alt_g)
{
    hx_snprintf(got, sizeof got, "%#g|%#.3g|%#.1g", 999999.9375, 9.996, 9.9);
    CHECK(strcmp(got, "1.00000e+06|10.0|1.e+01") == 0, "got \"%s\"", got);
}

TEST(test_target_printf_integers)
{
    static const char *const fmts[] = {"%d", "%i", "%u", "%x", "%X", "%o",
        "%#x", "%#X", "%#o", "%+d", "% d", "%5d", "%-5d|", "%05d", "%.3d",
        "%.0d", "%#.0o", "%#.0x", "%8.3x", "%-#8o|", "%+.2i", "%hhd", "%hd",
        "%hhu", "%hx", "%c", "%5c|", "%-3c|", "%%d"};
    for (int i = 0; i < 20000; i++) {
        int v = i < 40 ? (int)((i % 2 ? -1 : 1) * (i * 37 % 11)) : (int)next();
        if (i == 40)
            v = INT32_MIN;
        if (i == 41)
            v = INT32_MAX;
        for (size_t k = 0; k < sizeof fmts / sizeof fmts[0]; k++) {
            int a = snprintf(want, sizeof want, fmts[k], v);
            int b = hx_snprintf(got, sizeof got, fmts[k], v);
            CHECK(a == b && strcmp(want, got) == 0, "\"%s\" of %d: glibc"
                  " \"%s\", ours \"%s\"", fmts[k], v, want, got);
        }
        long long w = (long long)next();
        size_t z = (size_t)next();
        int a = snprintf(want, sizeof want, "%lld|%llx|%llu|%ld|%zu|%zx|%jd",
                         w, (unsigned long long)w, (unsigned long long)w,
                         (long)w, z, z, (intmax_t)w);
        int b = hx_snprintf(got, sizeof got, "%lld|%llx|%llu|%ld|%zu|%zx|%jd",
                            w, (unsigned long long)w, (unsigned long long)w,
                            (long)w, z, z, (intmax_t)w);
        CHECK(a == b && strcmp(want, got) == 0, "64-bit: glibc \"%s\", ours"
              " \"%s\"", want, got);
    }
}

TEST(test_target_printf_strings)
{
    static const char *const fmts[] = {"%s", "%.3s", "%10s|", "%-10s|",
                                       "%.0s|", "%*s|", "%-*.*s|"};
    static const char *const strs[] = {"", "a", "hello", "a longer string"};
    for (size_t k = 0; k < sizeof fmts / sizeof fmts[0]; k++)
        for (size_t j = 0; j < sizeof strs / sizeof strs[0]; j++) {
            int a, b;
            if (k == 5) {
                a = snprintf(want, sizeof want, fmts[k], -7, strs[j]);
                b = hx_snprintf(got, sizeof got, fmts[k], -7, strs[j]);
            } else if (k == 6) {
                a = snprintf(want, sizeof want, fmts[k], 8, 2, strs[j]);
                b = hx_snprintf(got, sizeof got, fmts[k], 8, 2, strs[j]);
            } else {
                a = snprintf(want, sizeof want, fmts[k], strs[j]);
                b = hx_snprintf(got, sizeof got, fmts[k], strs[j]);
            }
            CHECK(a == b && strcmp(want, got) == 0, "\"%s\" of \"%s\": glibc"
                  " \"%s\", ours \"%s\"", fmts[k], strs[j], want, got);
        }
    int x;
    snprintf(want, sizeof want, "%p %p|%-20p|", (void *)&x, (void *)NULL,
             (void *)&x);
    hx_snprintf(got, sizeof got, "%p %p|%-20p|", (void *)&x, (void *)NULL,
                (void *)&x);
    CHECK(strcmp(want, got) == 0, "%%p: glibc \"%s\", ours \"%s\"", want, got);
    int n1 = 0, n2 = 0;
    snprintf(want, sizeof want, "abc%n%5.2f", &n1, 3.14159);
    hx_snprintf(got, sizeof got, "abc%n%5.2f", &n2, 3.14159);
    CHECK(n1 == n2 && strcmp(want, got) == 0, "%%n: %d vs %d", n1, n2);
}

TEST(test_target_printf_truncation)
{
    char tf[] = "%d:%.3f:%s";     /* not a literal: no truncation warning */
    for (size_t n = 0; n < 12; n++) {
        char a[16], b[16];
        memset(a, 'X', sizeof a);
        memset(b, 'X', sizeof b);
        int ra = snprintf(a, n, tf, -42, 2.5, "tail");
        int rb = hx_snprintf(b, n, tf, -42, 2.5, "tail");
        CHECK(ra == rb && memcmp(a, b, sizeof a) == 0, "size %zu: \"%.16s\""
              " vs \"%.16s\"", n, a, b);
    }
}
