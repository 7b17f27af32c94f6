/*
** vm_str.c: strings. Every string is interned: one object per distinct
** byte sequence, so equality is a reference compare. Lookup searches the
** RAM string table, then the LFS read-only string table (ROstrt) in
** flash, and only then makes a RAM string (docs/lfs51.md §5.4), so a string
** never exists both in flash and in RAM. Flash strings (marked LFS) are
** never written. Also numbers as text (Lua 5.1 luaO_str2d and "%.14g",
** NodeMCU's integer build: strtol and "%d"), formatted messages and
** chunk names.
** Spec: docs/lfs51.md §2.5 (TString), §3.5-3.6 (ROstrt, hash), §5.4.
** Twin: none. May call: vm_mem, vm_gc, vm_tm (concat), lfs/lfs51.h (the
** string hash luac.cross uses for the ROstrt: one function, so the two
** agree bit for bit), libc.
*/
#include "firmware/vm/vm_core.h"
#include "lfs/lfs51.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>

#define MINSTRTAB 32

static plat_ref_t *buckets(vm_global_t *g)
{
    return VM_P(plat_ref_t, g->strt_hash);
}

void vm_str_init(vm_State *L)
{
    vm_global_t *g = G(L);
    plat_ref_t *b = vm_mem_alloc(L, MINSTRTAB * sizeof(plat_ref_t));
    memset(b, 0, MINSTRTAB * sizeof(plat_ref_t));
    g->strt_hash = plat_ref(b);
    g->strt_size = MINSTRTAB;
    g->strt_nuse = 0;
}

void vm_str_resize(vm_State *L, uint32_t size)
{
    plat_ref_t *nb = vm_mem_tryalloc(L, size * sizeof(plat_ref_t));
    vm_global_t *g = G(L);      /* read after a possible collection */
    if (!nb)
        return;
    memset(nb, 0, size * sizeof(plat_ref_t));
    plat_ref_t *ob = buckets(g);
    for (uint32_t i = 0; i < g->strt_size; i++) {
        plat_ref_t r = ob[i];
        while (r) {
            vm_string_t *ts = VM_P(vm_string_t, r);
            plat_ref_t nx = ts->next;
            uint32_t h = ts->hash & (size - 1);
            ts->next = nb[h];
            nb[h] = r;
            r = nx;
        }
    }
    vm_mem_free(ob);
    g->strt_hash = plat_ref(nb);
    g->strt_size = size;
}

static vm_string_t *find(vm_global_t *g, const char *s, size_t l, uint32_t h)
{
    for (plat_ref_t r = buckets(g)[h & (g->strt_size - 1)]; r;) {
        vm_string_t *ts = VM_P(vm_string_t, r);
        if (ts->len == l && ts->hash == h && memcmp(str_data(ts), s, l) == 0)
            return ts;
        r = ts->next;
    }
    if (g->ro_hash) {
        plat_ref_t r = plat_load32(g->ro_hash + 4 * (h & (g->ro_size - 1)));
        while (r) {
            vm_string_t *ts = VM_P(vm_string_t, r);
            if (ts->hash == h && ts->len == l &&
                memcmp(str_data(ts), s, l) == 0)
                return ts;
            r = ts->next;
        }
    }
    return NULL;
}

/* Link a filled, unlinked string into the RAM table. */
static vm_string_t *link_new(vm_State *L, vm_string_t *ts)
{
    vm_global_t *g = G(L);
    if (g->strt_nuse + 1 > g->strt_size && g->strt_size < (1u << 24)) {
        vm_str_resize(L, g->strt_size * 2);
        g = G(L);
    }
    plat_ref_t *b = buckets(g) + (ts->hash & (g->strt_size - 1));
    ts->next = *b;
    *b = plat_ref(ts);
    g->strt_nuse++;
    return ts;
}

vm_string_t *vm_str_new(vm_State *L, const char *s, size_t l)
{
    uint32_t h = lfs51_hash(s, l);
    vm_string_t *ts = find(G(L), s, l, h);
    if (ts)
        return ts;
    if (l >= 0x7FFFFFF0u)
        vm_err_mem(L);
    ts = vm_mem_alloc(L, sizeof(vm_string_t) + l + 1);
    ts->tt = VM_TSTRING;
    ts->marked = 0;
    ts->pad = 0;
    ts->hash = h;
    ts->len = (uint32_t)l;
    memcpy(str_data(ts), s, l);
    str_data(ts)[l] = 0;
    return link_new(L, ts);
}

vm_string_t *vm_str_newz(vm_State *L, const char *s)
{
    return vm_str_new(L, s, strlen(s));
}

vm_string_t *vm_str_buffer(vm_State *L, size_t len)
{
    if (len >= 0x7FFFFFF0u)
        vm_err_mem(L);
    vm_string_t *ts = vm_mem_alloc(L, sizeof(vm_string_t) + len + 1);
    ts->next = 0;
    ts->tt = VM_TSTRING;
    ts->marked = 0;
    ts->pad = 0;
    ts->len = (uint32_t)len;
    str_data(ts)[len] = 0;
    return ts;
}

vm_string_t *vm_str_intern(vm_State *L, vm_string_t *ts)
{
    const char *s = str_data(ts);
    ts->hash = lfs51_hash(s, ts->len);
    vm_string_t *old = find(G(L), s, ts->len, ts->hash);
    if (old) {
        vm_mem_free(ts);
        return old;
    }
    return link_new(L, ts);
}

void vm_str_fix(vm_string_t *ts)
{
    if (vm_isram(plat_ref(ts)))
        ts->marked |= VM_MARK_FIXED;
}

void vm_str_sweep(vm_State *L, int all)
{
    vm_global_t *g = G(L);
    plat_ref_t *b = buckets(g);
    for (uint32_t i = 0; i < g->strt_size; i++) {
        plat_ref_t *pr = &b[i];
        while (*pr) {
            vm_string_t *ts = VM_P(vm_string_t, *pr);
            if (!all && (ts->marked & (VM_MARK_BLACK | VM_MARK_FIXED))) {
                ts->marked &= (uint8_t)~VM_MARK_BLACK;
                pr = &ts->next;
            } else {
                *pr = ts->next;
                g->strt_nuse--;
                vm_mem_free(ts);
            }
        }
    }
}

/* ---- numbers as text --------------------------------------------------- */

int vm_str_tonum(int integral, const char *s, double *out)
{
    char *end;
    double r;
    if (integral) {
        long long v = strtoll(s, &end, 10);
        if (end == s)
            return 0;
        if (v > INT32_MAX)
            v = INT32_MAX;      /* a 32-bit strtol saturates */
        if (v < INT32_MIN)
            v = INT32_MIN;
        r = (double)v;
        if (*end == 'x' || *end == 'X') {
            unsigned long long u = strtoull(s, &end, 16);
            if (u > 0xFFFFFFFFull)
                u = 0xFFFFFFFFull;
            r = (double)(int32_t)(uint32_t)u;
        }
    } else {
        r = strtod(s, &end);
        if (end == s)
            return 0;
        if (*end == 'x' || *end == 'X')
            r = (double)strtoul(s, &end, 16);
    }
    while (*end && isspace((unsigned char)*end))
        end++;
    if (*end)
        return 0;
    *out = r;
    return 1;
}

int vm_str_fromnum(int integral, double n, char *buf)
{
    if (integral)
        return snprintf(buf, 32, "%d", (int)vm_toint32(n));
    return snprintf(buf, 32, "%.14g", n);
}

int vm_str_tostring(vm_State *L, vm_tvalue_t *o)
{
    char buf[32];
    if (o->tt == VM_TSTRING)
        return 1;
    if (o->tt != VM_TNUMBER)
        return 0;
    int n = vm_str_fromnum(G(L)->integral, o->value.n, buf);
    ptrdiff_t at = savestack(L, o);
    int instack = o >= L_stack(L) && o < VM_P(vm_tvalue_t, L->stack_last) +
                  VM_EXTRA_STACK;
    vm_string_t *ts = vm_str_new(L, buf, (size_t)n);
    if (instack)
        o = restorestack(L, at);
    tv_setobj(ts, o, VM_TSTRING);
    return 1;
}

/* ---- formatted messages ------------------------------------------------ */

static void pushstr(vm_State *L, const char *s, size_t l)
{
    vm_string_t *ts = vm_str_new(L, s, l);
    tv_setobj(ts, L_top(L), VM_TSTRING);
    L_incrtop(L);
}

const char *vm_str_vpush(vm_State *L, const char *fmt, va_list ap)
{
    int n = 1;
    vm_do_checkstack(L, 4);
    pushstr(L, "", 0);
    for (;;) {
        const char *e = strchr(fmt, '%');
        if (!e)
            break;
        vm_do_checkstack(L, 3);
        pushstr(L, fmt, (size_t)(e - fmt));
        switch (e[1]) {
        case 's': {
            const char *s = va_arg(ap, const char *);
            if (!s)
                s = "(null)";
            pushstr(L, s, strlen(s));
            break;
        }
        case 'c': {
            char c = (char)va_arg(ap, int);
            pushstr(L, &c, 1);
            break;
        }
        case 'd': {
            char buf[32];
            int k = snprintf(buf, sizeof buf, "%d", va_arg(ap, int));
            pushstr(L, buf, (size_t)k);
            break;
        }
        case 'f': {
            char buf[32];
            double d = va_arg(ap, double);
            int k = vm_str_fromnum(G(L)->integral, d, buf);
            pushstr(L, buf, (size_t)k);
            break;
        }
        case 'p': {
            char buf[40];
            void *p = va_arg(ap, void *);
            int k;
            uint8_t *w = (uint8_t *)plat_ptr(0);
            if ((uint8_t *)p >= w &&
                (uint64_t)((uint8_t *)p - w) < UINT64_C(1) << 32)
                k = snprintf(buf, sizeof buf, "0x%x", plat_ref(p));
            else
                k = snprintf(buf, sizeof buf, "%p", p);
            pushstr(L, buf, (size_t)k);
            break;
        }
        case '%':
            pushstr(L, "%", 1);
            break;
        default: {
            char buf[2] = { '%', e[1] };
            pushstr(L, buf, e[1] ? 2 : 1);
            break;
        }
        }
        n += 2;
        fmt = e + (e[1] ? 2 : 1);
    }
    pushstr(L, fmt, strlen(fmt));
    vm_tm_concat(L, n + 1, (int)(L_top(L) - L_base(L)) - 1);
    L->top -= (uint32_t)(n * sizeof(vm_tvalue_t));
    return tv_svalue(L_top(L) - 1);
}

const char *vm_str_push(vm_State *L, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    const char *s = vm_str_vpush(L, fmt, ap);
    va_end(ap);
    return s;
}

void vm_str_chunkid(char *out, const char *source, size_t bufflen)
{
    if (*source == '=') {
        size_t l = strlen(source + 1);
        if (l > bufflen - 1)
            l = bufflen - 1;
        memcpy(out, source + 1, l);
        out[l] = 0;
    } else if (*source == '@') {
        size_t room = bufflen - sizeof(" '...' ");
        size_t l = strlen(++source);
        if (l > room) {
            memcpy(out, "...", 3);
            memcpy(out + 3, source + l - room, room + 1);
        } else {
            memcpy(out, source, l + 1);
        }
    } else {
        size_t room = bufflen - sizeof(" [string \"...\"] ");
        size_t len = strcspn(source, "\n\r");
        size_t o = 0;
        if (len > room)
            len = room;
        memcpy(out, "[string \"", 9);
        o = 9;
        memcpy(out + o, source, len);
        o += len;
        if (source[len] != 0) {
            memcpy(out + o, "...", 3);
            o += 3;
        }
        memcpy(out + o, "\"]", 3);
    }
}
