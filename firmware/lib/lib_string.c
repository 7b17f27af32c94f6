/*
** lib_string.c: Lua 5.1's string library for the firmware VM: byte, char,
** dump, find, format, gfind, gmatch, gsub, len, lower, match, rep,
** reverse, sub, upper, the pattern matcher they share, the ROTable
** lib_string_tab and the string metatable (__index = string).
** Behaviour and error messages are lua5.1's (tests/vm51/lib_string_*.lua
** diff them), numbers converted as the x86-64 build converts them, with
** these differences (tests/deviations/lib51-libraries.md): a pattern may
** nest at most MAXDEPTH recursive matches ("pattern too complex", as Lua
** 5.2 says; lua5.1 recurses until the C stack overflows), string.dump
** always raises "unable to dump given function" (vm.h has no dump), and
** in the integer VM string.format refuses %e %E %f %g %G and formats
** %o %u %x %X as 32-bit unsigned, as NodeMCU's LUA_NUMBER_INTEGRAL build.
** Spec: Lua 5.1 manual §5.4 (string manipulation, patterns); lib.h.
** May call: vm.h, libc.
*/
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "firmware/lib/lib.h"

#define ESC '%'
#define SPECIALS "^$*+?.([%-"       /* a pattern without these is plain */
#define MAXCAPTURES 32              /* LUA_MAXCAPTURES of stock 5.1      */
/* Nested matches: each costs one match_items frame, about 50 bytes of
** the target's 16 KiB stack; 100 leaves room for the VM's own frames and
** still lets 32 captures nest (65 levels). */
#define MAXDEPTH 100
#define CAP_UNFINISHED (-1)
#define CAP_POSITION (-2)

#define uchar(c) ((unsigned char)(c))

/* ---- numbers as lua5.1 on x86-64 converts them -------------------------
** 5.1 casts a double to ptrdiff_t, int or unsigned long; out-of-range
** values (and NaN) give the "integer indefinite" 0x8000... of the x86
** conversion instructions. These helpers make that well defined here. */

static long long num2ll(double d)
{
    if (d >= -9223372036854775808.0 && d < 9223372036854775808.0)
        return (long long)d;
    return (long long)(-9223372036854775807LL - 1);
}

static unsigned long long num2ull(double d)
{
    if (!(d >= 9223372036854775808.0))
        return (unsigned long long)num2ll(d);
    return (unsigned long long)num2ll(d - 9223372036854775808.0) ^
           0x8000000000000000ULL;
}

static int num2int(double d)
{
    if (d > -2147483649.0 && d < 2147483648.0)
        return (int)d;
    return (int)(-2147483647 - 1);
}

/* luaL_checkinteger / luaL_optinteger with 5.1's 64-bit lua_Integer. */
static long long checkinteg(vm_State *L, int narg)
{
    return num2ll(vm_checknumber(L, narg));
}

static long long optinteg(vm_State *L, int narg, long long def)
{
    if (vm_type(L, narg) <= VM_TNIL)
        return def;
    return checkinteg(L, narg);
}

/* luaL_checkint: the 64-bit integer narrowed to int (wraps). */
static int checkint(vm_State *L, int narg)
{
    return (int)(unsigned int)(unsigned long long)checkinteg(L, narg);
}

/* A position relative to the string: negatives count from the end. */
static long long posrelat(long long pos, size_t len)
{
    if (pos < 0)
        pos += (long long)len + 1;
    return pos >= 0 ? pos : 0;
}

/* ---- simple functions ---------------------------------------------------- */

static int str_len(vm_State *L)
{
    size_t l;
    vm_checklstring(L, 1, &l);
    vm_pushinteger(L, (vm_Integer)l);
    return 1;
}

static int str_sub(vm_State *L)
{
    size_t l;
    const char *s = vm_checklstring(L, 1, &l);
    long long start = posrelat(checkinteg(L, 2), l);
    long long end = posrelat(optinteg(L, 3, -1), l);
    if (start < 1)
        start = 1;
    if (end > (long long)l)
        end = (long long)l;
    if (start <= end)
        vm_pushlstring(L, s + start - 1, (size_t)(end - start + 1));
    else
        vm_pushliteral(L, "");
    return 1;
}

static int str_reverse(vm_State *L)
{
    size_t l;
    const char *s = vm_checklstring(L, 1, &l);
    vm_Buffer b;
    vm_buffinit(L, &b);
    while (l > 0)
        vm_addchar(&b, s[--l]);
    vm_pushresult(&b);
    return 1;
}

/* lower and upper: one pass through the C locale's ctype. */
static int mapcase(vm_State *L, int (*conv)(int))
{
    size_t l, i;
    const char *s = vm_checklstring(L, 1, &l);
    vm_Buffer b;
    vm_buffinit(L, &b);
    for (i = 0; i < l; i++)
        vm_addchar(&b, conv(uchar(s[i])));
    vm_pushresult(&b);
    return 1;
}

static int str_lower(vm_State *L)
{
    return mapcase(L, tolower);
}

static int str_upper(vm_State *L)
{
    return mapcase(L, toupper);
}

static int str_rep(vm_State *L)
{
    size_t l;
    const char *s = vm_checklstring(L, 1, &l);
    int n = checkint(L, 2);
    vm_Buffer b;
    vm_buffinit(L, &b);
    if (l > 0)
        for (; n > 0; n--)
            vm_addlstring(&b, s, l);
    vm_pushresult(&b);
    return 1;
}

static int str_byte(vm_State *L)
{
    size_t l;
    const char *s = vm_checklstring(L, 1, &l);
    long long first = posrelat(optinteg(L, 2, 1), l);
    long long last = posrelat(optinteg(L, 3, first), l);
    long long n, i;
    if (first <= 0)
        first = 1;
    if (last > (long long)l)
        last = (long long)l;
    if (first > last)
        return 0;
    n = last - first + 1;
    if (n >= 0x7fffffff)
        return vm_errorf(L, "string slice too long");
    vm_checkstack_msg(L, (int)n, "string slice too long");
    for (i = 0; i < n; i++)
        vm_pushinteger(L, uchar(s[first + i - 1]));
    return (int)n;
}

static int str_char(vm_State *L)
{
    int n = vm_gettop(L), i;
    vm_Buffer b;
    vm_buffinit(L, &b);
    for (i = 1; i <= n; i++) {
        int c = checkint(L, i);
        vm_argcheck(L, uchar(c) == c, i, "invalid value");
        vm_addchar(&b, uchar(c));
    }
    vm_pushresult(&b);
    return 1;
}

/* string.dump needs the core to write a function as .lc bytes. vm.h has
** no such call yet; once it declares (and defines VM_HAVE_DUMP)
**   typedef int (*vm_Writer)(vm_State *L, const void *p, size_t sz,
**                            void *ud);
**   int vm_dump(vm_State *L, vm_Writer w, void *ud);
** (lua_dump's contract: dumps the Lua function on top, nonzero for a C
** function or a writer error), the first branch is lua5.1's string.dump.
** Until then every function is "unable to dump given function". */
#ifdef VM_HAVE_DUMP
static int dump_writer(vm_State *L, const void *p, size_t sz, void *ud)
{
    (void)L;
    vm_addlstring((vm_Buffer *)ud, (const char *)p, sz);
    return 0;
}

static int str_dump(vm_State *L)
{
    vm_Buffer b;
    vm_checktype(L, 1, VM_TFUNCTION);
    vm_settop(L, 1);
    vm_buffinit(L, &b);
    if (vm_dump(L, dump_writer, &b) != 0)
        return vm_errorf(L, "unable to dump given function");
    vm_pushresult(&b);
    return 1;
}
#else
static int str_dump(vm_State *L)
{
    vm_checktype(L, 1, VM_TFUNCTION);
    return vm_errorf(L, "unable to dump given function");
}
#endif

/* ---- the pattern matcher ---------------------------------------------------
** A pattern is read as a C string (5.1 stops it at an embedded zero; %z
** matches one). The subject is [src, end). Each recursive call of
** do_match advances in the pattern, so the depth is bounded by the
** pattern's length; 'depth' bounds it further for the device's stack. */

typedef struct matchstate {
    const char *src;                 /* subject start                   */
    const char *end;                 /* subject end (exclusive)         */
    vm_State *L;
    int depth;                       /* recursive matches still allowed */
    int level;                       /* captures opened so far          */
    struct {
        const char *init;            /* where the capture starts        */
        ptrdiff_t len;               /* length, or CAP_*                */
    } cap[MAXCAPTURES];
} matchstate;

static const char *do_match(matchstate *ms, const char *s, const char *p);

/* The capture index of the back-reference digit c ("%1" is 0). */
static int capture_index(matchstate *ms, int c)
{
    c -= '1';
    if (c < 0 || c >= ms->level || ms->cap[c].len == CAP_UNFINISHED)
        return vm_errorf(ms->L, "invalid capture index");
    return c;
}

/* The innermost capture still open, which ')' closes. */
static int open_capture(matchstate *ms)
{
    int i;
    for (i = ms->level - 1; i >= 0; i--)
        if (ms->cap[i].len == CAP_UNFINISHED)
            return i;
    return vm_errorf(ms->L, "invalid pattern capture");
}

/* The end of the single-character class starting at p. */
static const char *class_end(matchstate *ms, const char *p)
{
    char c = *p++;
    if (c == ESC) {
        if (*p == '\0')
            vm_errorf(ms->L, "malformed pattern (ends with '%%')");
        return p + 1;
    }
    if (c == '[') {
        if (*p == '^')
            p++;
        do {                         /* the first ']' is a member */
            if (*p == '\0')
                vm_errorf(ms->L, "malformed pattern (missing ']')");
            if (*p++ == ESC && *p != '\0')
                p++;
        } while (*p != ']');
        return p + 1;
    }
    return p;
}

/* Whether c is in the class %cl (an upper-case letter complements). */
static int class_match(int c, int cl)
{
    int r;
    switch (tolower(cl)) {
    case 'a': r = isalpha(c); break;
    case 'c': r = iscntrl(c); break;
    case 'd': r = isdigit(c); break;
    case 'l': r = islower(c); break;
    case 'p': r = ispunct(c); break;
    case 's': r = isspace(c); break;
    case 'u': r = isupper(c); break;
    case 'w': r = isalnum(c); break;
    case 'x': r = isxdigit(c); break;
    case 'z': r = (c == 0); break;
    default: return cl == c;         /* %. %% %[ ...: the character */
    }
    if (isupper(cl))
        r = !r;
    return r != 0;
}

/* Whether c is in the set [p .. ec], p at '[' and ec at its ']'. */
static int set_match(int c, const char *p, const char *ec)
{
    int yes = 1;
    if (p[1] == '^') {
        yes = 0;
        p++;
    }
    while (++p < ec) {
        if (*p == ESC) {
            p++;
            if (class_match(c, uchar(*p)))
                return yes;
        } else if (p[1] == '-' && p + 2 < ec) {
            p += 2;
            if (uchar(p[-2]) <= c && c <= uchar(*p))
                return yes;
        } else if (uchar(*p) == c) {
            return yes;
        }
    }
    return !yes;
}

/* Whether the subject character at s matches the class [p, ep). */
static int single_match(matchstate *ms, const char *s, const char *p,
                        const char *ep)
{
    int c;
    if (s >= ms->end)
        return 0;
    c = uchar(*s);
    switch (*p) {
    case '.': return 1;
    case ESC: return class_match(c, uchar(p[1]));
    case '[': return set_match(c, p, ep - 1);
    default: return uchar(*p) == c;
    }
}

/* %bxy at s; p points at x. */
static const char *balance(matchstate *ms, const char *s, const char *p)
{
    int open, close, n = 1;
    if (p[0] == '\0' || p[1] == '\0')
        vm_errorf(ms->L, "unbalanced pattern");
    if (s >= ms->end || *s != *p)
        return NULL;
    open = *p;
    close = p[1];
    while (++s < ms->end) {
        if (*s == close) {
            if (--n == 0)
                return s + 1;
        } else if (*s == open) {
            n++;
        }
    }
    return NULL;
}

static const char *cap_start(matchstate *ms, const char *s, const char *p,
                             ptrdiff_t what)
{
    const char *r;
    int l = ms->level;
    if (l >= MAXCAPTURES)
        vm_errorf(ms->L, "too many captures");
    ms->cap[l].init = s;
    ms->cap[l].len = what;
    ms->level = l + 1;
    r = do_match(ms, s, p);
    if (r == NULL)
        ms->level--;
    return r;
}

static const char *cap_end(matchstate *ms, const char *s, const char *p)
{
    int l = open_capture(ms);
    const char *r;
    ms->cap[l].len = s - ms->cap[l].init;
    r = do_match(ms, s, p);
    if (r == NULL)
        ms->cap[l].len = CAP_UNFINISHED;
    return r;
}

/* %1-%9: the text of an earlier capture again. */
static const char *backref(matchstate *ms, const char *s, int c)
{
    int l = capture_index(ms, c);
    size_t len = (size_t)ms->cap[l].len;   /* a position: never fits */
    if ((size_t)(ms->end - s) >= len &&
        memcmp(ms->cap[l].init, s, len) == 0)
        return s + len;
    return NULL;
}

static const char *match_items(matchstate *ms, const char *s, const char *p);

/* Match pattern p at s: the end of the match, or NULL. */
static const char *do_match(matchstate *ms, const char *s, const char *p)
{
    const char *r;
    if (ms->depth-- == 0)
        vm_errorf(ms->L, "pattern too complex");
    r = match_items(ms, s, p);
    ms->depth++;
    return r;
}

static const char *match_items(matchstate *ms, const char *s, const char *p)
{
    for (;;) {
        const char *ep;
        int m;
        switch (*p) {
        case '\0':
            return s;
        case '(':
            if (p[1] == ')')
                return cap_start(ms, s, p + 2, CAP_POSITION);
            return cap_start(ms, s, p + 1, CAP_UNFINISHED);
        case ')':
            return cap_end(ms, s, p + 1);
        case '$':
            if (p[1] == '\0')
                return s == ms->end ? s : NULL;
            break;
        case ESC:
            if (p[1] == 'b') {
                s = balance(ms, s, p + 2);
                if (s == NULL)
                    return NULL;
                p += 4;
                continue;
            }
            if (p[1] == 'f') {
                int prev, cur;
                p += 2;
                if (*p != '[')
                    vm_errorf(ms->L, "missing '[' after '%%f' in pattern");
                ep = class_end(ms, p);
                prev = s == ms->src ? 0 : uchar(s[-1]);
                cur = s < ms->end ? uchar(*s) : 0;
                if (set_match(prev, p, ep - 1) || !set_match(cur, p, ep - 1))
                    return NULL;
                p = ep;
                continue;
            }
            if (isdigit(uchar(p[1]))) {
                s = backref(ms, s, uchar(p[1]));
                if (s == NULL)
                    return NULL;
                p += 2;
                continue;
            }
            break;
        default:
            break;
        }
        /* a single-character class, maybe with a quantifier */
        ep = class_end(ms, p);
        m = single_match(ms, s, p, ep);
        switch (*ep) {
        case '?':
            if (m) {
                const char *r = do_match(ms, s + 1, ep + 1);
                if (r)
                    return r;
            }
            p = ep + 1;
            continue;
        case '+':
        case '*': {
            /* the longest run first, then give back one at a time (in
            ** this frame: a helper's frame would cost stack per level) */
            ptrdiff_t i = 0;
            if (*ep == '+') {        /* one match, then as '*' */
                if (!m)
                    return NULL;
                s++;
            }
            while (single_match(ms, s + i, p, ep))
                i++;
            for (; i >= 0; i--) {
                const char *r = do_match(ms, s + i, ep + 1);
                if (r)
                    return r;
            }
            return NULL;
        }
        case '-':
            /* the shortest run first, growing one at a time */
            for (;;) {
                const char *r = do_match(ms, s, ep + 1);
                if (r)
                    return r;
                if (!single_match(ms, s, p, ep))
                    return NULL;
                s++;
            }
        default:
            if (!m)
                return NULL;
            s++;
            p = ep;
            continue;
        }
    }
}

/* Push capture i of a match [s, e): with no captures, 0 is the match. */
static void push_capture(matchstate *ms, int i, const char *s, const char *e)
{
    if (i >= ms->level) {
        if (i != 0)
            vm_errorf(ms->L, "invalid capture index");
        vm_pushlstring(ms->L, s, (size_t)(e - s));
        return;
    }
    if (ms->cap[i].len == CAP_UNFINISHED)
        vm_errorf(ms->L, "unfinished capture");
    if (ms->cap[i].len == CAP_POSITION)
        vm_pushinteger(ms->L, (vm_Integer)(ms->cap[i].init - ms->src + 1));
    else
        vm_pushlstring(ms->L, ms->cap[i].init, (size_t)ms->cap[i].len);
}

/* Push all captures (or the whole match if s is not NULL and there are
** none); returns how many. */
static int push_captures(matchstate *ms, const char *s, const char *e)
{
    int n = (ms->level == 0 && s) ? 1 : ms->level, i;
    vm_checkstack_msg(ms->L, n, "too many captures");
    for (i = 0; i < n; i++)
        push_capture(ms, i, s, e);
    return n;
}

static void ms_init(matchstate *ms, vm_State *L, const char *s, size_t l)
{
    ms->L = L;
    ms->src = s;
    ms->end = s + l;
    ms->level = 0;
    ms->depth = MAXDEPTH;
}

/* Plain search for p (lp bytes) in s (ls bytes). */
static const char *find_plain(const char *s, size_t ls, const char *p,
                              size_t lp)
{
    const char *last;
    if (lp == 0)
        return s;
    if (lp > ls)
        return NULL;
    last = s + (ls - lp);
    while (s <= last) {
        const char *q = memchr(s, p[0], (size_t)(last - s) + 1);
        if (q == NULL)
            return NULL;
        if (memcmp(q + 1, p + 1, lp - 1) == 0)
            return q;
        s = q + 1;
    }
    return NULL;
}

/* string.find (find != 0) and string.match. */
static int find_or_match(vm_State *L, int find)
{
    size_t ls, lp;
    const char *s = vm_checklstring(L, 1, &ls);
    const char *p = vm_checklstring(L, 2, &lp);
    long long init = posrelat(optinteg(L, 3, 1), ls) - 1;
    if (init < 0)
        init = 0;
    else if (init > (long long)ls)
        init = (long long)ls;
    if (find && (vm_toboolean(L, 4) || strpbrk(p, SPECIALS) == NULL)) {
        const char *r = find_plain(s + init, ls - (size_t)init, p, lp);
        if (r) {
            vm_pushinteger(L, (vm_Integer)(r - s + 1));
            vm_pushinteger(L, (vm_Integer)(r - s + (ptrdiff_t)lp));
            return 2;
        }
    } else {
        matchstate ms;
        const char *s1 = s + init;
        int anchor = (*p == '^');
        if (anchor)
            p++;
        ms_init(&ms, L, s, ls);
        do {
            const char *e;
            ms.level = 0;
            e = do_match(&ms, s1, p);
            if (e) {
                if (!find)
                    return push_captures(&ms, s1, e);
                vm_pushinteger(L, (vm_Integer)(s1 - s + 1));
                vm_pushinteger(L, (vm_Integer)(e - s));
                return push_captures(&ms, NULL, NULL) + 2;
            }
        } while (s1++ < ms.end && !anchor);
    }
    vm_pushnil(L);
    return 1;
}

static int str_find(vm_State *L)
{
    return find_or_match(L, 1);
}

static int str_match(vm_State *L)
{
    return find_or_match(L, 0);
}

/* The iterator of gmatch: upvalues subject, pattern, next offset. A '^'
** is an ordinary character here, as in 5.1. */
static int gmatch_next(vm_State *L)
{
    matchstate ms;
    size_t ls;
    const char *s = vm_tolstring(L, vm_upvalueindex(1), &ls);
    const char *p = vm_tostring(L, vm_upvalueindex(2));
    const char *from;
    ms_init(&ms, L, s, ls);
    for (from = s + (size_t)vm_tointeger(L, vm_upvalueindex(3));
         from <= ms.end; from++) {
        const char *e;
        ms.level = 0;
        e = do_match(&ms, from, p);
        if (e) {
            vm_Integer next = (vm_Integer)(e - s);
            if (e == from)
                next++;              /* empty match: move on by one */
            vm_pushinteger(L, next);
            vm_replace(L, vm_upvalueindex(3));
            return push_captures(&ms, from, e);
        }
    }
    return 0;
}

static int str_gmatch(vm_State *L)
{
    vm_checkstring(L, 1);
    vm_checkstring(L, 2);
    vm_settop(L, 2);
    vm_pushinteger(L, 0);
    vm_pushcclosure(L, gmatch_next, 3);
    return 1;
}

/* A replacement string: %0-%9 are captures, '%' escapes anything else. */
static void add_template(matchstate *ms, vm_Buffer *b, const char *s,
                         const char *e)
{
    size_t l, i;
    const char *r = vm_tolstring(ms->L, 3, &l);
    for (i = 0; i < l; i++) {
        int c = uchar(r[i]);
        if (c != ESC) {
            vm_addchar(b, c);
            continue;
        }
        c = ++i < l ? uchar(r[i]) : 0;   /* a final '%' adds a zero */
        if (!isdigit(c)) {
            vm_addchar(b, c);
        } else if (c == '0') {
            vm_addlstring(b, s, (size_t)(e - s));
        } else {
            push_capture(ms, c - '1', s, e);
            vm_addvalue(b);
        }
    }
}

/* Add the replacement of the match [s, e) to b. */
static void add_replacement(matchstate *ms, vm_Buffer *b, const char *s,
                            const char *e)
{
    vm_State *L = ms->L;
    switch (vm_type(L, 3)) {
    case VM_TNUMBER:
    case VM_TSTRING:
        add_template(ms, b, s, e);
        return;
    case VM_TFUNCTION: {
        int n;
        vm_pushvalue(L, 3);
        n = push_captures(ms, s, e);
        vm_call(L, n, 1);
        break;
    }
    default:                         /* a table */
        push_capture(ms, 0, s, e);
        vm_gettable(L, 3);
        break;
    }
    if (!vm_toboolean(L, -1)) {      /* nil or false: keep the match */
        vm_pop(L, 1);
        vm_pushlstring(L, s, (size_t)(e - s));
    } else if (!vm_isstring(L, -1)) {
        vm_errorf(L, "invalid replacement value (a %s)",
                  vm_typenameat(L, -1));
    }
    vm_addvalue(b);
}

static int str_gsub(vm_State *L)
{
    size_t ls;
    const char *src = vm_checklstring(L, 1, &ls);
    const char *p = vm_checkstring(L, 2);
    int tr = vm_type(L, 3);
    long long max_n = optinteg(L, 4, (long long)ls + 1);
    int anchor = (*p == '^');
    long long n = 0;
    matchstate ms;
    vm_Buffer b;
    max_n = (int)(unsigned int)(unsigned long long)max_n;   /* optint */
    if (anchor)
        p++;
    vm_argcheck(L, tr == VM_TNUMBER || tr == VM_TSTRING ||
                tr == VM_TFUNCTION || tr == VM_TTABLE, 3,
                "string/function/table expected");
    vm_buffinit(L, &b);
    ms_init(&ms, L, src, ls);
    while (n < max_n) {
        const char *e;
        ms.level = 0;
        e = do_match(&ms, src, p);
        if (e) {
            n++;
            add_replacement(&ms, &b, src, e);
        }
        if (e && e > src)
            src = e;
        else if (src < ms.end)
            vm_addchar(&b, *src++);
        else
            break;
        if (anchor)
            break;
    }
    vm_addlstring(&b, src, (size_t)(ms.end - src));
    vm_pushresult(&b);
    vm_pushinteger(L, (vm_Integer)n);
    return 2;
}

/* ---- string.format ------------------------------------------------------- */

#define FLAGS "-+ #0"
#define FORMSIZE 24                  /* "%" flags width.prec "ll" spec \0 */

/* %q: a string Lua can read back. */
static void add_quoted(vm_State *L, vm_Buffer *b, int arg)
{
    size_t l, i;
    const char *s = vm_checklstring(L, arg, &l);
    vm_addchar(b, '"');
    for (i = 0; i < l; i++) {
        switch (s[i]) {
        case '"': case '\\': case '\n':
            vm_addchar(b, '\\');
            vm_addchar(b, s[i]);
            break;
        case '\r':
            vm_addlstring(b, "\\r", 2);
            break;
        case '\0':
            vm_addlstring(b, "\\000", 4);
            break;
        default:
            vm_addchar(b, s[i]);
            break;
        }
    }
    vm_addchar(b, '"');
}

/* Copy the conversion at f (after '%') into form as "%<flags...>"; returns
** the position of the conversion letter. */
static const char *scan_format(vm_State *L, const char *f, char *form)
{
    const char *p = f;
    size_t n;
    while (*p != '\0' && strchr(FLAGS, *p) != NULL)
        p++;
    if ((size_t)(p - f) >= sizeof(FLAGS))
        vm_errorf(L, "invalid format (repeated flags)");
    if (isdigit(uchar(*p)))
        p++;
    if (isdigit(uchar(*p)))
        p++;
    if (*p == '.') {
        p++;
        if (isdigit(uchar(*p)))
            p++;
        if (isdigit(uchar(*p)))
            p++;
    }
    if (isdigit(uchar(*p)))
        vm_errorf(L, "invalid format (width or precision too long)");
    n = (size_t)(p - f);
    form[0] = '%';
    memcpy(form + 1, f, n);
    form[n + 1] = '\0';
    return p;
}

/* One converted item: the argument as the C type its conversion takes. */
typedef struct fmtitem {
    char form[FORMSIZE];
    enum { FI_INT, FI_LL, FI_ULL, FI_DBL, FI_STR } kind;
    union {
        int i;
        long long ll;
        unsigned long long ull;
        double d;
        const char *s;
    } u;
} fmtitem;

static int fmt_print(char *buf, size_t size, const fmtitem *it)
{
    switch (it->kind) {
    case FI_INT: return snprintf(buf, size, it->form, it->u.i);
    case FI_LL: return snprintf(buf, size, it->form, it->u.ll);
    case FI_ULL: return snprintf(buf, size, it->form, it->u.ull);
    case FI_DBL: return snprintf(buf, size, it->form, it->u.d);
    default: return snprintf(buf, size, it->form, it->u.s);
    }
}

/* Format the item into b. As 5.1, the text ends at its first zero
** ("%c" of 0 adds nothing). Long items ("%99.99f" of 1e308) go through
** a temporary userdata instead of a big C array. */
static void add_item(vm_State *L, vm_Buffer *b, const fmtitem *it)
{
    char *p = vm_prepbuffer(b);
    int n = fmt_print(p, VM_BUFFERSIZE, it);
    if (n < 0)
        return;
    if (n < VM_BUFFERSIZE) {
        vm_addsize(b, strlen(p));
    } else {
        char *big = vm_newuserdata(L, (size_t)n + 1);
        fmt_print(big, (size_t)n + 1, it);
        vm_pushlstring(L, big, strlen(big));
        vm_remove(L, -2);
        vm_addvalue(b);
    }
}

/* End form with the length modifier mod and the conversion letter c. */
static void form_end(char *form, const char *mod, int c)
{
    size_t l = strlen(form), m = strlen(mod);
    memcpy(form + l, mod, m);
    form[l + m] = (char)c;
    form[l + m + 1] = '\0';
}

static int str_format(vm_State *L)
{
    int top = vm_gettop(L), arg = 1;
    int integral = vm_integral(L);
    size_t lf;
    const char *f = vm_checklstring(L, 1, &lf);
    const char *fend = f + lf;
    vm_Buffer b;
    vm_buffinit(L, &b);
    while (f < fend) {
        fmtitem it;
        int c;
        if (*f != ESC) {
            vm_addchar(&b, *f++);
            continue;
        }
        if (*++f == ESC) {
            vm_addchar(&b, *f++);
            continue;
        }
        if (++arg > top)
            vm_argerror(L, arg, "no value");
        f = scan_format(L, f, it.form);
        c = uchar(*f++);
        switch (c) {
        case 'c':
            it.kind = FI_INT;
            it.u.i = num2int(vm_checknumber(L, arg));
            form_end(it.form, "", c);
            break;
        case 'd': case 'i':
            it.kind = FI_LL;
            it.u.ll = num2ll(vm_checknumber(L, arg));
            form_end(it.form, "ll", c);
            break;
        case 'o': case 'u': case 'x': case 'X': {
            vm_Number v = vm_checknumber(L, arg);
            it.kind = FI_ULL;
            if (integral)            /* a 32-bit unsigned long there */
                it.u.ull = (uint32_t)(int32_t)v;
            else
                it.u.ull = num2ull(v);
            form_end(it.form, "ll", c);
            break;
        }
        case 'e': case 'E': case 'f': case 'g': case 'G':
            if (integral)
                goto badoption;
            it.kind = FI_DBL;
            it.u.d = vm_checknumber(L, arg);
            form_end(it.form, "", c);
            break;
        case 'q':
            add_quoted(L, &b, arg);
            continue;
        case 's': {
            size_t l;
            const char *s = vm_checklstring(L, arg, &l);
            if (strchr(it.form, '.') == NULL && l >= 100) {
                vm_pushvalue(L, arg);        /* too long to format: */
                vm_addvalue(&b);             /* keep it whole */
                continue;
            }
            it.kind = FI_STR;
            it.u.s = s;
            form_end(it.form, "", c);
            break;
        }
        default:
        badoption:
            if (c == 0)
                return vm_errorf(L, "invalid option '%%' to 'format'");
            return vm_errorf(L, "invalid option '%%%c' to 'format'", c);
        }
        add_item(L, &b, &it);
    }
    vm_pushresult(&b);
    return 1;
}

/* ---- the library --------------------------------------------------------- */

static const vm_roentry lib_string_tab[] = {
    VM_RO_F("byte", str_byte),
    VM_RO_F("char", str_char),
    VM_RO_F("dump", str_dump),
    VM_RO_F("find", str_find),
    VM_RO_F("format", str_format),
    VM_RO_F("gfind", str_gmatch),    /* LUA_COMPAT_GFIND, as lua5.1 */
    VM_RO_F("gmatch", str_gmatch),
    VM_RO_F("gsub", str_gsub),
    VM_RO_F("len", str_len),
    VM_RO_F("lower", str_lower),
    VM_RO_F("match", str_match),
    VM_RO_F("rep", str_rep),
    VM_RO_F("reverse", str_reverse),
    VM_RO_F("sub", str_sub),
    VM_RO_F("upper", str_upper),
    VM_RO_END
};

/* The global 'string' and the strings' metatable: a RAM table whose
** __index is the ROTable, so getmetatable("").__index == string and the
** metatable can be extended, as in lua5.1. */
int lib_string_open(vm_State *L)
{
    vm_pushrotable(L, lib_string_tab);
    vm_setglobal(L, "string");
    vm_pushliteral(L, "");
    vm_createtable(L, 0, 1);
    vm_pushrotable(L, lib_string_tab);
    vm_setfield(L, -2, "__index");
    vm_setmetatable(L, -2);
    vm_pop(L, 1);
    return 0;
}
