/*
** luac_fold53.c: Lua 5.3 number semantics for two configurations, and the
** source rewrite that makes Debian's liblua5.3 (64-bit integers, doubles)
** produce the constants NodeMCU's int32/float compiler produces.
**
** The two differ where numerals are read and where constants are folded
** (docs/lfs53.md §2): "0xFFFFFFFF" wraps to -1 on the target; "3000000000"
** overflows int32 and becomes a float; "0.1" is rounded to single
** precision; "1 << 31" or "2147483647 + 1" wrap in 32 bits; float folds
** round in single precision, and a fold whose float result is 0 or NaN
** is not done at all. luac_parse53 evaluates every constant expression in
** both configurations; each largest expression that the target folds to
** a different value than the host would is replaced, on its last line,
** by a literal of the target's value (a hexadecimal float, or a decimal
** integer), so lines, constant order and code stay NodeMCU's. Where the
** host would fold what the target does not (or the reverse), or where
** the target's reading of a numeral cannot be decided, the file is
** refused with its line and the constant.
** May call: luac_parse53, libc, libm.
*/
#include "luac-cross/luac.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "luac-cross/luac_parse53.h"

/* ---- numbers ---------------------------------------------------------- */

static int64_t wrap(uint64_t v, int w32)
{
    return w32 ? (int64_t)(int32_t)(uint32_t)v : (int64_t)v;
}

static luac_num53_t mkint(int64_t i)
{
    luac_num53_t v = { 1, i, 0 };
    return v;
}

static luac_num53_t mkflt(double f, int w32)
{
    luac_num53_t v = { 0, 0, w32 ? (double)(float)f : f };
    return v;
}

static int read_num(const char *buf, int w32, luac_num53_t *out);

int luac_num53_read(const char *s, size_t len, int w32, luac_num53_t *out)
{
    char small[256], *buf = small;
    if (len == 0)
        return -1;
    if (len >= sizeof small && !(buf = malloc(len + 1)))
        return -1;
    memcpy(buf, s, len);
    buf[len] = 0;
    int rc = read_num(buf, w32, out);
    if (buf != small)
        free(buf);
    return rc;
}

static int read_num(const char *buf, int w32, luac_num53_t *out)
{
    /* l_str2int: hex wraps around; decimal must not overflow. */
    int hex = buf[0] == '0' && (buf[1] == 'x' || buf[1] == 'X');
    uint64_t a = 0;
    size_t k = hex ? 2 : 0;
    int empty = 1, overflow = 0;
    uint64_t max = w32 ? INT32_MAX : INT64_MAX;
    for (; buf[k]; k++, empty = 0) {
        int c = buf[k], d;
        if (c >= '0' && c <= '9')
            d = c - '0';
        else if (hex && c >= 'a' && c <= 'f')
            d = c - 'a' + 10;
        else if (hex && c >= 'A' && c <= 'F')
            d = c - 'A' + 10;
        else
            break;
        if (hex) {
            a = a * 16 + (uint64_t)d;
        } else {
            if (a > max / 10 || (a == max / 10 && (uint64_t)d > max % 10))
                overflow = 1;
            a = a * 10 + (uint64_t)d;
        }
    }
    if (!empty && !buf[k] && !overflow) {
        *out = mkint(wrap(a, w32));
        return 0;
    }
    /* l_str2d: strtod (the target: strtof) of the whole text. */
    if (strpbrk(buf, "nN"))
        return -1;
    char *end;
    double d = strtod(buf, &end);
    if (*end)
        return -1;
    if (!w32) {
        *out = mkflt(d, 0);
        return 0;
    }
    float f = strtof(buf, &end);
    *out = mkflt(f, 1);
    /* NodeMCU's lua_str2number may be strtof or strtod then a cast; the
    ** two round differently only near a midpoint: refuse those. */
    return (float)d == f || (f != f && d != d) ? 0 : 1;
}

static int tointeger(luac_num53_t v, int w32, int64_t *out)
{
    if (v.isint) {
        *out = v.i;
        return 1;
    }
    double lim = w32 ? 2147483648.0 : 9223372036854775808.0;
    if (v.f != floor(v.f) || !(v.f >= -lim && v.f < lim))
        return 0;
    *out = (int64_t)v.f;
    return 1;
}

static double tofloat(luac_num53_t v, int w32)
{
    return v.isint ? (w32 ? (double)(float)v.i : (double)v.i) : v.f;
}

static int64_t shiftl(int64_t x, int64_t y, int w32)
{
    int bits = w32 ? 32 : 64;
    uint64_t ux = w32 ? (uint32_t)x : (uint64_t)x;
    if (y < 0) {
        if (y <= -bits)
            return 0;
        return wrap(ux >> -y, w32);
    }
    if (y >= bits)
        return 0;
    return wrap(ux << y, w32);
}

static int64_t int_arith(int op, int64_t a, int64_t b, int w32)
{
    uint64_t ua = (uint64_t)a, ub = (uint64_t)b;
    switch (op) {
    case LUAC_OPADD: return wrap(ua + ub, w32);
    case LUAC_OPSUB: return wrap(ua - ub, w32);
    case LUAC_OPMUL: return wrap(ua * ub, w32);
    case LUAC_OPUNM: return wrap(0 - ua, w32);
    case LUAC_OPBAND: return wrap(ua & ub, w32);
    case LUAC_OPBOR: return wrap(ua | ub, w32);
    case LUAC_OPBXOR: return wrap(ua ^ ub, w32);
    case LUAC_OPBNOT: return wrap(~ua, w32);
    case LUAC_OPSHL: return shiftl(a, b, w32);
    case LUAC_OPSHR: return shiftl(a, wrap(0 - ub, w32), w32);
    case LUAC_OPIDIV:
        if (b == -1)
            return wrap(0 - ua, w32);
        return a / b - ((a % b != 0) && ((a ^ b) < 0));
    case LUAC_OPMOD: {
        if (b == -1)
            return 0;
        int64_t r = a % b;
        return r != 0 && (r ^ b) < 0 ? r + b : r;
    }
    }
    return 0;
}

static double flt_arith(int op, double a, double b, int w32)
{
    if (w32) {
        float x = (float)a, y = (float)b, r = 0;
        switch (op) {
        case LUAC_OPADD: r = x + y; break;
        case LUAC_OPSUB: r = x - y; break;
        case LUAC_OPMUL: r = x * y; break;
        case LUAC_OPDIV: r = x / y; break;
        case LUAC_OPPOW: r = powf(x, y); break;
        case LUAC_OPIDIV: r = floorf(x / y); break;
        case LUAC_OPUNM: r = -x; break;
        case LUAC_OPMOD:
            r = fmodf(x, y);
            if (r * y < 0)
                r += y;
            break;
        }
        return r;
    }
    switch (op) {
    case LUAC_OPADD: return a + b;
    case LUAC_OPSUB: return a - b;
    case LUAC_OPMUL: return a * b;
    case LUAC_OPDIV: return a / b;
    case LUAC_OPPOW: return pow(a, b);
    case LUAC_OPIDIV: return floor(a / b);
    case LUAC_OPUNM: return -a;
    case LUAC_OPMOD: {
        double r = fmod(a, b);
        if (r * b < 0)
            r += b;
        return r;
    }
    }
    return 0;
}

int luac_num53_fold(int op, luac_num53_t a, luac_num53_t b, int w32,
                    luac_num53_t *res)
{
    int64_t ia, ib;
    switch (op) {                               /* validop */
    case LUAC_OPBAND: case LUAC_OPBOR: case LUAC_OPBXOR: case LUAC_OPSHL:
    case LUAC_OPSHR: case LUAC_OPBNOT:
        if (!tointeger(a, w32, &ia) || !tointeger(b, w32, &ib))
            return 0;
        *res = mkint(int_arith(op, ia, ib, w32));
        return 1;
    case LUAC_OPDIV: case LUAC_OPIDIV: case LUAC_OPMOD:
        if (b.isint ? b.i == 0 : b.f == 0)
            return 0;
        break;
    default:
        break;
    }
    if (op != LUAC_OPDIV && op != LUAC_OPPOW && a.isint && b.isint) {
        *res = mkint(int_arith(op, a.i, b.i, w32));
        return 1;
    }
    double r = flt_arith(op, tofloat(a, w32), tofloat(b, w32), w32);
    if (r != r || r == 0)
        return 0;           /* folds neither NaN nor 0.0 (lcode.c) */
    *res = mkflt(r, w32);
    return 1;
}

int luac_num53_same(luac_num53_t a, luac_num53_t b)
{
    if (a.isint != b.isint)
        return 0;
    return a.isint ? a.i == b.i : memcmp(&a.f, &b.f, sizeof a.f) == 0;
}

void luac_num53_text(luac_num53_t v, char *buf, size_t n)
{
    if (v.isint) {
        if (v.i < 0)
            snprintf(buf, n, "(-%llu)", 0 - (unsigned long long)v.i);
        else
            snprintf(buf, n, "(%lld)", (long long)v.i);
    } else if (isinf(v.f)) {
        snprintf(buf, n, "(%s1e999)", v.f < 0 ? "-" : "");
    } else if (v.f == 0) {
        snprintf(buf, n, "(%s0.0)", signbit(v.f) ? "-" : "");
    } else {
        snprintf(buf, n, "(%s%a)", v.f < 0 ? "-" : "", fabs(v.f));
    }
}

void luac_num53_show(luac_num53_t v, char *buf, size_t n)
{
    if (v.isint)
        snprintf(buf, n, "%lld", (long long)v.i);
    else
        snprintf(buf, n, "%.9g", v.f);
}

/* ---- the rewrite ------------------------------------------------------- */

int luac_fold53(const char *src, size_t len, lfs_diag_t *d, char **out,
                size_t *outlen)
{
    luac_parse53_t ps;
    *out = NULL;
    *outlen = 0;
    if (luac_parse53(src, len, 1, &ps))
        return lfs_fail(d, -1, LFS_EFORMAT, "luac.cross cannot follow this"
                        " file's syntax to check its numbers for the"
                        " 32-bit target; build with --target 5.3-64, or"
                        " report it");
    if (ps.err_line) {
        lfs_fail_line(d, ps.err_line, LFS_EFORMAT, "%s", ps.err);
        luac_parse53_free(&ps);
        return d->code;
    }
    if (ps.nrw == 0) {
        luac_parse53_free(&ps);
        return 0;
    }
    size_t cap = len + 1;
    for (int i = 0; i < ps.nrw; i++)
        cap += strlen(ps.rw[i].text);
    char *s = malloc(cap);
    if (!s) {
        luac_parse53_free(&ps);
        return lfs_fail(d, -1, LFS_ENOMEM, "out of memory");
    }
    size_t k = 0, at = 0;
    for (int i = 0; i < ps.nrw; i++) {
        const luac_rw53_t *r = &ps.rw[i];
        memcpy(s + k, src + at, r->pos - at);
        k += r->pos - at;
        /* Keep the range's line breaks; the literal goes on its last
        ** line, where the host reads the expression's last token. */
        for (uint32_t j = r->pos; j < r->pos + r->len; j++)
            if (src[j] == '\n' || src[j] == '\r')
                s[k++] = src[j];
        size_t tl = strlen(r->text);
        memcpy(s + k, r->text, tl);
        k += tl;
        at = r->pos + r->len;
    }
    memcpy(s + k, src + at, len - at);
    k += len - at;
    s[k] = 0;
    luac_parse53_free(&ps);
    *out = s;
    *outlen = k;
    return 0;
}
