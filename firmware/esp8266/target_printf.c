/*
** target_printf.c: the printf family of the target, replacing picolibc's.
** picolibc prints a double from its shortest round-trip digits (ryu):
** "%.17g" of 0.1 gives "0.1" and "%.14g" of the smallest subnormal
** "5e-324", where glibc, lua5.1 and the vectors' .out files have
** "0.10000000000000001" and "4.9406564584125e-324". Here %e %f %g round
** the exact binary value (ties to even, as glibc), from all of its
** decimal digits: a 53-bit significand times a power of two has a finite
** expansion, at most 1074 digits after the point.
** Conversions: d i u o x X c s p n % e E f F g G with the flags "-+ #0",
** width and precision (also "*"), length hh h l ll z j t L. %p prints
** "0x..." ("(nil)" for NULL) and %s of NULL "(null)", as glibc does.
** Not supported (printed as written): %a, %A, wide characters.
** tests/test_target_printf.c includes this file on the host with
** TARGET_PRINTF_NAME renaming the entry points and compares them with
** glibc. Spec: C11 §7.21.6.1. Twin: none. May call: libc (fputc).
*/
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#ifndef TARGET_PRINTF_NAME
#define TARGET_PRINTF_NAME(n) n
#endif
#define P(n) TARGET_PRINTF_NAME(n)

/* ---- output -------------------------------------------------------------- */

typedef struct sink {
    char *buf;         /* string output, or NULL */
    size_t size;       /* its size, the NUL included */
    FILE *f;           /* stream output, or NULL */
    size_t len;        /* characters produced so far */
} sink_t;

static void put(sink_t *s, char c)
{
    if (s->f)
        fputc(c, s->f);
    else if (s->len + 1 < s->size)
        s->buf[s->len] = c;
    s->len++;
}

static void puts_n(sink_t *s, const char *p, size_t n)
{
    while (n--)
        put(s, *p++);
}

static void pad(sink_t *s, char c, long n)
{
    while (n-- > 0)
        put(s, c);
}

/* ---- exact decimal digits of a double ------------------------------------ */

/* |x| = 0.d[0]d[1]...d[nd-1] x 10^point, d[0] != '0', no trailing zeros;
** nd = 0 for zero. The longest expansion: 2^-1074 has 1074 decimal
** places (751 significant digits); 2^1024 - 2^971 has 309 digits. */
#define DIG_MAX 1100

typedef struct dec {
    char d[DIG_MAX];
    int nd;
    int point;
} dec_t;

static void dec_trim(dec_t *v)
{
    while (v->nd > 0 && v->d[v->nd - 1] == '0')
        v->nd--;
}

/* Append the decimal digits of u (at least w digits, zero-padded). */
static void dec_put(dec_t *v, uint64_t u, int w)
{
    char t[20];
    int n = 0;
    while (u > 0 || n < w) {
        t[n++] = (char)('0' + u % 10);
        u /= 10;
    }
    while (n > 0)
        v->d[v->nd++] = t[--n];
}

static void dec_exact(double x, dec_t *v)
{
    uint64_t bits;
    memcpy(&bits, &x, 8);
    int e = (int)(bits >> 52 & 0x7FF);
    uint64_t m = bits & UINT64_C(0x000FFFFFFFFFFFFF);
    v->nd = 0;
    v->point = 0;
    if (e)
        m |= UINT64_C(1) << 52;
    else
        e = 1;
    if (m == 0)
        return;
    int E = e - 1075;           /* |x| = m * 2^E */
    while (!(m & 1)) {
        m >>= 1;
        E++;
    }
    if (E >= 0) {
        /* An integer: m << E in base 10^9 limbs, least significant first. */
        uint32_t limb[40];
        int n = 0;
        for (uint64_t t = m; t; t /= 1000000000u)
            limb[n++] = (uint32_t)(t % 1000000000u);
        while (E > 0) {
            int k = E < 29 ? E : 29;
            uint64_t carry = 0;
            for (int i = 0; i < n; i++) {
                uint64_t t = ((uint64_t)limb[i] << k) + carry;
                limb[i] = (uint32_t)(t % 1000000000u);
                carry = t / 1000000000u;
            }
            if (carry)
                limb[n++] = (uint32_t)carry;
            E -= k;
        }
        dec_put(v, limb[n - 1], 0);
        for (int i = n - 2; i >= 0; i--)
            dec_put(v, limb[i], 9);
        v->point = v->nd;
        dec_trim(v);
        return;
    }
    /* m / 2^n, n = -E: the integer part, then the fraction. */
    int n = -E;
    uint64_t ip = n < 64 ? m >> n : 0;
    uint64_t fp = n < 64 ? m & ((UINT64_C(1) << n) - 1) : m;
    if (ip)
        dec_put(v, ip, 0);
    v->point = v->nd;
    /* The fraction fp / 2^n as nw words (least significant first) scaled
    ** to 32 * nw bits; each multiplication by 10^9 pushes the next nine
    ** digits out of the top word. */
    uint32_t w[36];
    int nw = (n + 31) / 32, sh = 32 * nw - n;
    memset(w, 0, sizeof w);
    for (int b = 0; b < 64; b += 32) {   /* fp << sh, fp < 2^53 */
        uint32_t part = (uint32_t)(fp >> b);
        int bit = sh + b, wi = bit / 32, off = bit % 32;
        if (!part)
            continue;
        if (wi < nw)
            w[wi] |= part << off;
        if (off && wi + 1 < nw)
            w[wi + 1] |= part >> (32 - off);
    }
    int lo = 0;                          /* words below lo are zero */
    while (lo < nw) {
        uint64_t carry = 0;
        for (int i = lo; i < nw; i++) {
            uint64_t t = (uint64_t)w[i] * 1000000000u + carry;
            w[i] = (uint32_t)t;
            carry = t >> 32;
        }
        dec_put(v, carry, 9);
        while (lo < nw && w[lo] == 0)
            lo++;
    }
    dec_trim(v);
    if (!ip) {                           /* drop the leading zeros */
        int z = 0;
        while (z < v->nd && v->d[z] == '0')
            z++;
        memmove(v->d, v->d + z, (size_t)(v->nd - z));
        v->nd -= z;
        v->point = -z;
    }
}

/* Keep r significant digits, rounding the exact value to nearest, ties
** to even. r <= 0 keeps nothing: a value below half a unit becomes 0. */
static void dec_round(dec_t *v, int r)
{
    if (r >= v->nd)
        return;
    if (r < 0) {
        v->nd = 0;
        return;
    }
    int up = v->d[r] > '5' ||
             (v->d[r] == '5' &&
              (v->nd > r + 1 || (r > 0 && (v->d[r - 1] - '0') % 2)));
    v->nd = r;
    if (up) {
        int i = r - 1;
        while (i >= 0 && v->d[i] == '9')
            i--;
        if (i < 0) {
            v->d[0] = '1';
            v->nd = 1;
            v->point++;
        } else {
            v->d[i]++;
            v->nd = i + 1;
        }
    }
    dec_trim(v);
}

/* ---- conversions --------------------------------------------------------- */

enum {
    F_MINUS = 1, F_PLUS = 2, F_SPACE = 4, F_ALT = 8, F_ZERO = 16
};

typedef struct spec {
    int flags;
    int width;       /* 0 none */
    int prec;        /* -1 none */
    char conv;
} spec_t;

/* Sign, then the body of len characters produced by body(), padded. */
static void pad_out(sink_t *s, const spec_t *sp, char sign, const char *pre,
                    long len, int zero_ok)
{
    long n = len + (sign != 0) + (long)strlen(pre);
    long fill = sp->width > n ? sp->width - n : 0;
    if (!(sp->flags & F_MINUS) && !((sp->flags & F_ZERO) && zero_ok))
        pad(s, ' ', fill);
    if (sign)
        put(s, sign);
    puts_n(s, pre, strlen(pre));
    if (!(sp->flags & F_MINUS) && (sp->flags & F_ZERO) && zero_ok)
        pad(s, '0', fill);
}

static char digit_at(const dec_t *v, long i)
{
    return i >= 0 && i < v->nd ? v->d[i] : '0';
}

static void fmt_double(sink_t *s, const spec_t *sp, double x)
{
    static dec_t v;            /* 1.1 KB: off the stack */
    uint64_t bits;
    memcpy(&bits, &x, 8);
    char sign = bits >> 63 ? '-' : sp->flags & F_PLUS ? '+'
              : sp->flags & F_SPACE ? ' ' : 0;
    int upper = sp->conv == 'E' || sp->conv == 'F' || sp->conv == 'G';
    if ((bits & UINT64_C(0x7FF0000000000000)) == UINT64_C(0x7FF0000000000000)) {
        const char *t = bits & UINT64_C(0x000FFFFFFFFFFFFF)
                      ? (upper ? "NAN" : "nan") : (upper ? "INF" : "inf");
        pad_out(s, sp, sign, "", 3, 0);
        puts_n(s, t, 3);
        if (sp->flags & F_MINUS)
            pad(s, ' ', sp->width - 3 - (sign != 0));
        return;
    }
    dec_exact(x, &v);
    int prec = sp->prec < 0 ? 6 : sp->prec;
    int alt = (sp->flags & F_ALT) != 0;
    char c = (char)(sp->conv | 0x20);      /* e f g */
    int estyle = c == 'e';
    if (c == 'g') {
        int P = prec == 0 ? 1 : prec;
        dec_round(&v, P);
        int X = v.nd ? v.point - 1 : 0;
        if (P > X && X >= -4) {
            prec = P - 1 - X;
            if (!alt) {                 /* no trailing zeros */
                int have = v.nd - v.point;
                prec = have < 0 ? 0 : have < prec ? have : prec;
            }
        } else {
            estyle = 1;
            prec = P - 1;
            if (!alt)
                prec = v.nd - 1 < prec ? (v.nd > 1 ? v.nd - 1 : 0) : prec;
        }
    } else if (estyle) {
        dec_round(&v, prec + 1);
    } else {
        dec_round(&v, v.point + prec);
    }
    int dot = prec > 0 || alt;
    long len;
    int X = 0;
    if (estyle) {
        X = v.nd ? v.point - 1 : 0;
        int ax = X < 0 ? -X : X;
        int ne = ax >= 100 ? 3 : 2;
        len = 1 + (dot ? 1 + prec : 0) + 2 + ne;
    } else {
        if (v.nd == 0)
            v.point = 1;
        len = (v.point > 0 ? v.point : 1) + (dot ? 1 + prec : 0);
    }
    pad_out(s, sp, sign, "", len, 1);
    if (estyle) {
        put(s, v.nd ? v.d[0] : '0');
        if (dot)
            put(s, '.');
        for (int i = 1; i <= prec; i++)
            put(s, digit_at(&v, i));
        put(s, upper ? 'E' : 'e');
        put(s, X < 0 ? '-' : '+');
        int ax = X < 0 ? -X : X;
        if (ax >= 100)
            put(s, (char)('0' + ax / 100));
        put(s, (char)('0' + ax / 10 % 10));
        put(s, (char)('0' + ax % 10));
    } else {
        if (v.point <= 0)
            put(s, '0');
        for (long i = 0; i < v.point; i++)
            put(s, digit_at(&v, i));
        if (dot)
            put(s, '.');
        for (long i = 0; i < prec; i++)
            put(s, digit_at(&v, v.point + i));
    }
    if (sp->flags & F_MINUS)
        pad(s, ' ', sp->width - len - (sign != 0));
}

static void fmt_int(sink_t *s, const spec_t *sp, uintmax_t u, int neg)
{
    char t[24];
    int n = 0, base = 10;
    const char *dig = "0123456789abcdef", *pre = "";
    char c = sp->conv;
    if (c == 'o')
        base = 8;
    else if (c == 'x' || c == 'X' || c == 'p')
        base = 16;
    if (c == 'X')
        dig = "0123456789ABCDEF";
    while (u) {
        t[n++] = dig[u % (unsigned)base];
        u /= (unsigned)base;
    }
    if (n == 0 && sp->prec != 0)
        t[n++] = '0';
    char sign = 0;
    if (c == 'd' || c == 'i')
        sign = neg ? '-' : sp->flags & F_PLUS ? '+'
             : sp->flags & F_SPACE ? ' ' : 0;
    if (c == 'p' || ((sp->flags & F_ALT) && base == 16 && n > 0 &&
                     !(n == 1 && t[0] == '0')))
        pre = c == 'X' ? "0X" : "0x";
    long zeros = sp->prec > n ? sp->prec - n : 0;
    if ((sp->flags & F_ALT) && base == 8 && zeros == 0 &&
        (n == 0 || t[n - 1] != '0'))
        zeros = 1;
    long len = zeros + n;
    pad_out(s, sp, sign, pre, len, sp->prec < 0);
    pad(s, '0', zeros);
    while (n > 0)
        put(s, t[--n]);
    if (sp->flags & F_MINUS)
        pad(s, ' ', sp->width - len - (sign != 0) - (long)strlen(pre));
}

static void fmt_str(sink_t *s, const spec_t *sp, const char *p, size_t n)
{
    pad_out(s, sp, 0, "", (long)n, 0);
    puts_n(s, p, n);
    if (sp->flags & F_MINUS)
        pad(s, ' ', sp->width - (long)n);
}

/* ---- the format loop ----------------------------------------------------- */

enum { L_NONE, L_HH, L_H, L_L, L_LL, L_Z, L_J, L_T, L_BIGL };

static int format(sink_t *s, const char *fmt, va_list ap)
{
    while (*fmt) {
        if (*fmt != '%') {
            put(s, *fmt++);
            continue;
        }
        const char *start = fmt++;
        spec_t sp = {0, 0, -1, 0};
        for (;; fmt++) {
            int f = *fmt == '-' ? F_MINUS : *fmt == '+' ? F_PLUS
                  : *fmt == ' ' ? F_SPACE : *fmt == '#' ? F_ALT
                  : *fmt == '0' ? F_ZERO : 0;
            if (!f)
                break;
            sp.flags |= f;
        }
        if (*fmt == '*') {
            sp.width = va_arg(ap, int);
            if (sp.width < 0) {
                sp.flags |= F_MINUS;
                sp.width = -sp.width;
            }
            fmt++;
        } else {
            while (*fmt >= '0' && *fmt <= '9')
                sp.width = sp.width * 10 + (*fmt++ - '0');
        }
        if (*fmt == '.') {
            fmt++;
            sp.prec = 0;
            if (*fmt == '*') {
                sp.prec = va_arg(ap, int);
                if (sp.prec < 0)
                    sp.prec = -1;
                fmt++;
            } else {
                while (*fmt >= '0' && *fmt <= '9')
                    sp.prec = sp.prec * 10 + (*fmt++ - '0');
            }
        }
        int len = L_NONE;
        switch (*fmt) {
        case 'h':
            len = fmt[1] == 'h' ? L_HH : L_H;
            fmt += len == L_HH ? 2 : 1;
            break;
        case 'l':
            len = fmt[1] == 'l' ? L_LL : L_L;
            fmt += len == L_LL ? 2 : 1;
            break;
        case 'z': len = L_Z; fmt++; break;
        case 'j': len = L_J; fmt++; break;
        case 't': len = L_T; fmt++; break;
        case 'L': len = L_BIGL; fmt++; break;
        default: break;
        }
        sp.conv = *fmt;
        if (*fmt)
            fmt++;
        switch (sp.conv) {
        case 'd':
        case 'i': {
            intmax_t v;
            switch (len) {
            case L_HH: v = (signed char)va_arg(ap, int); break;
            case L_H: v = (short)va_arg(ap, int); break;
            case L_L: v = va_arg(ap, long); break;
            case L_LL: v = va_arg(ap, long long); break;
            case L_Z: v = (intmax_t)va_arg(ap, size_t); break;
            case L_J: v = va_arg(ap, intmax_t); break;
            case L_T: v = va_arg(ap, ptrdiff_t); break;
            default: v = va_arg(ap, int); break;
            }
            fmt_int(s, &sp, v < 0 ? 0 - (uintmax_t)v : (uintmax_t)v, v < 0);
            break;
        }
        case 'u':
        case 'o':
        case 'x':
        case 'X': {
            uintmax_t v;
            switch (len) {
            case L_HH: v = (unsigned char)va_arg(ap, unsigned); break;
            case L_H: v = (unsigned short)va_arg(ap, unsigned); break;
            case L_L: v = va_arg(ap, unsigned long); break;
            case L_LL: v = va_arg(ap, unsigned long long); break;
            case L_Z: v = va_arg(ap, size_t); break;
            case L_J: v = va_arg(ap, uintmax_t); break;
            case L_T: v = (uintmax_t)va_arg(ap, ptrdiff_t); break;
            default: v = va_arg(ap, unsigned); break;
            }
            fmt_int(s, &sp, v, 0);
            break;
        }
        case 'p': {
            void *p = va_arg(ap, void *);
            if (!p) {
                fmt_str(s, &sp, "(nil)", 5);
                break;
            }
            sp.flags &= ~F_ZERO;
            fmt_int(s, &sp, (uintptr_t)p, 0);
            break;
        }
        case 'c': {
            char ch = (char)va_arg(ap, int);
            fmt_str(s, &sp, &ch, 1);
            break;
        }
        case 's': {
            const char *p = va_arg(ap, const char *);
            if (!p)
                p = sp.prec < 0 || sp.prec >= 6 ? "(null)" : "";
            size_t n = 0;
            while (p[n] && (sp.prec < 0 || n < (size_t)sp.prec))
                n++;
            fmt_str(s, &sp, p, n);
            break;
        }
        case 'e':
        case 'E':
        case 'f':
        case 'F':
        case 'g':
        case 'G': {
            double d = len == L_BIGL ? (double)va_arg(ap, long double)
                                     : va_arg(ap, double);
            fmt_double(s, &sp, d);
            break;
        }
        case 'n': {
            void *p = va_arg(ap, void *);
            switch (len) {
            case L_HH: *(signed char *)p = (signed char)s->len; break;
            case L_H: *(short *)p = (short)s->len; break;
            case L_L: *(long *)p = (long)s->len; break;
            case L_LL: *(long long *)p = (long long)s->len; break;
            case L_Z: *(size_t *)p = s->len; break;
            default: *(int *)p = (int)s->len; break;
            }
            break;
        }
        case '%':
            put(s, '%');
            break;
        default:             /* unsupported: print the directive */
            puts_n(s, start, (size_t)(fmt - start));
            break;
        }
    }
    return s->len > INT32_MAX ? -1 : (int)s->len;
}

/* ---- the C library's entry points ---------------------------------------- */

int P(vsnprintf)(char *buf, size_t size, const char *fmt, va_list ap)
{
    sink_t s = {buf, size, NULL, 0};
    int r = format(&s, fmt, ap);
    if (size > 0)
        buf[s.len < size ? s.len : size - 1] = 0;
    return r;
}

int P(snprintf)(char *buf, size_t size, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int r = P(vsnprintf)(buf, size, fmt, ap);
    va_end(ap);
    return r;
}

int P(vsprintf)(char *buf, const char *fmt, va_list ap)
{
    return P(vsnprintf)(buf, SIZE_MAX / 2, fmt, ap);
}

int P(sprintf)(char *buf, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int r = P(vsprintf)(buf, fmt, ap);
    va_end(ap);
    return r;
}

int P(vfprintf)(FILE *f, const char *fmt, va_list ap)
{
    sink_t s = {NULL, 0, f, 0};
    return format(&s, fmt, ap);
}

int P(fprintf)(FILE *f, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int r = P(vfprintf)(f, fmt, ap);
    va_end(ap);
    return r;
}

int P(vprintf)(const char *fmt, va_list ap)
{
    return P(vfprintf)(stdout, fmt, ap);
}

int P(printf)(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int r = P(vfprintf)(stdout, fmt, ap);
    va_end(ap);
    return r;
}
