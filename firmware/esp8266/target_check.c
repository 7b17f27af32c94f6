/*
** target_check.c: the target's self-check (target_main "--check"): what
** the VM relies on below C, exercised on the chip's own calling
** convention: double arithmetic and conversions (libgcc_extra.c, the
** ROM's part on a device), libm, strtod and printf of numbers, 64-bit
** integers, setjmp/longjmp. One "name value" line each; tests/cli/
** target.sh compares them with lua5.1's string.format on the host.
** Known and left out: picolibc's strtod is not correctly rounded past 17
** significant digits ("1.000...0203126", just above a tie, gives 1).
** Twin: none. May call: picolibc, semihost.
*/
#include <math.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "firmware/esp8266/semihost.h"

int target_check(void);

/* Operands the compiler cannot fold. */
static volatile double v_01 = 0.1, v_02 = 0.2, v_1 = 1, v_3 = 3, v_7 = 7,
    v_big = 1e308, v_tiny = 4.9406564584124654e-324, v_2 = 2, v_m25 = -2.5,
    v_10 = 10, v_0 = 0, v_53 = 9007199254740992.0, v_3e9 = 3e9;
static volatile int32_t v_im = INT32_MIN, v_i7 = -7;
static volatile int64_t v_e18 = 1000000000000000000LL;
static volatile uint64_t v_umax = UINT64_MAX;

static void line(const char *name, const char *fmt, double d)
{
    char buf[96];
    int n = snprintf(buf, sizeof buf, "%s ", name);
    n += snprintf(buf + n, sizeof buf - (size_t)n, fmt, d);
    buf[n++] = '\n';
    semihost_write(1, buf, (size_t)n);
}

static void iline(const char *name, long long v)
{
    char buf[96];
    int n = snprintf(buf, sizeof buf, "%s %lld\n", name, v);
    semihost_write(1, buf, (size_t)n);
}

static jmp_buf jb;

static void jump(int v)
{
    longjmp(jb, v);
}

int target_check(void)
{
    const char *x = "%.17g", *g = "%.14g";
    line("add", x, v_01 + v_02);
    line("sub", x, v_1 - v_01);
    line("mul", x, v_3 * v_01);
    line("div", x, v_1 / v_3);
    line("div7", x, v_7 / v_3);
    line("overflow", x, v_big * v_10);
    line("underflow", x, v_tiny / v_2);
    line("subnormal", x, v_tiny * v_3);
    line("negzero", g, -v_0);
    line("nan", g, v_big * v_10 - v_big * v_10);      /* x86: "-nan" */
    line("nandiv", g, v_0 / v_0);
    line("negnan", g, -(v_0 / v_0));
    line("big", g, v_53);
    line("bigp1", x, v_53 + v_1);
    line("floor", g, floor(v_m25));
    line("ceil", g, ceil(v_m25));
    line("fmod", g, fmod(v_7, v_3));
    line("fmodneg", g, fmod(-v_7, v_3));
    line("sqrt", g, sqrt(v_2));
    line("pow", g, pow(v_2, v_01));
    line("pow10", g, pow(v_10, v_3));
    line("exp", g, exp(v_1));
    line("log", g, log(v_10));
    line("log10", g, log10(v_7));
    line("sin", g, sin(v_1));
    line("cos", g, cos(v_3));
    line("tan", g, tan(v_01));
    line("atan2", g, atan2(v_1, v_2));
    line("frexp", g, frexp(v_big, &(int){0}));
    line("ldexp", x, ldexp(v_1, -1074));
    line("strtod", x, strtod("123.456e-7", NULL));
    line("strtodhex", g, strtod("0x1p-3", NULL));
    line("strtodbig", g, strtod("1e400", NULL));
    line("tie", g, ldexp(v_1, -21));             /* 4.76837158203125e-07 */
    line("tie15", g, v_1 + ldexp(v_1, -45) * v_3 / v_3);
    line("near", g, strtod("0.123456789012345", NULL));
    static const char *const lits[] = {
        "0.1000000000000000055511151231257827021181583404541015625",
        "9007199254740993",
        "1.00000000000000011102230246251565404236316680908203125",
        "2.2250738585072011e-308", "123456789012345678901234567890",
        "2.4703282292062328e-324", "2.4703282292062327e-324",
        "7.3177701707893310e+15", "0.3", "1e23", "8.589973e9"};
    for (unsigned i = 0; i < sizeof lits / sizeof lits[0]; i++) {
        char name[16];
        snprintf(name, sizeof name, "strtod%u", i);
        line(name, x, strtod(lits[i], NULL));
    }
    line("int2dbl", g, (double)v_im);
    line("uns2dbl", g, (double)(uint32_t)v_im);
    iline("dbl2int", (int32_t)v_m25);
    iline("dbl2uns", (long long)(uint32_t)v_3e9);
    iline("div64", v_e18 / 7);
    iline("mod64", v_e18 % 7);
    iline("negdiv64", -v_e18 / 7);
    iline("negmod64", -v_e18 % 7);
    iline("udiv64", (long long)(v_umax / 3 >> 1));
    iline("mul64", v_e18 * 9 / 1000);
    iline("div32", v_i7 / 2);
    iline("mod32", v_i7 % 2);
    iline("udiv32", (long long)((uint32_t)v_im / 10u));
    int r = setjmp(jb);
    if (r == 0)
        jump(42);
    iline("longjmp", r);
    return 0;
}
