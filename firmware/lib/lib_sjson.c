/*
** lib_sjson.c: the sjson library of NodeMCU's Lua 5.1 firmware, as the
** ROTable lib_sjson_tab: encode(table[, opts]), decode(str[, opts]), the
** streaming objects encoder(table[, opts]) (metatable "sjson.encoder":
** read([size])) and decoder([opts]) (metatable "sjson.decoder":
** write(str), result()), and sjson.NULL, the light userdata 0 that JSON
** null decodes to and that encodes as null.
**
** Decoder. A byte-at-a-time JSON parser (RFC 8259) whose state survives
** between writes, so a document may arrive in pieces of any size; what
** it keeps is the open containers (a work table in the registry), one
** small record per level and the text of the one string or number that
** a write ended inside (in pieces, joined every PIECES writes and when
** the token ends), as NodeMCU's jsonsl-based decoder keeps the buffer
** from the start of the current element. Values go into their
** table as they complete, through settable, so opts.metatable's
** __newindex sees each; a new table is inserted when it opens, after
** metatable.checkpath(table, path) (if there is one) said true. Options:
** depth (default 20, kept within 4..1000: an element nested deeper than
** depth - 1 levels, counting strings and numbers as a level as jsonsl
** does, is the error LEVELS_EXCEEDED; NodeMCU's code read the option
** from the wrong stack slot and so always used 20), null (what null decodes to; with
** an opts table and no null field, nil), metatable. Numbers are the VM's
** conversion of their text (lua_tonumber): in the integer VM, "1.5" and
** "1e3" are 0, as on NodeMCU's integer build. A \u escape of a surrogate
** gives '?', as NodeMCU's. The document is complete when its top-level
** object or array closes; the rest of that write is ignored. Errors are
** "JSON parse error: <jsonsl's name>", then "JSON parse error: previous
** call" for any later write.
**
** Encoder. A stack of the tables being written (depth levels, default 20;
** deeper is "encoder stack overflow"), producing about VM_BUFFERSIZE
** bytes at a time, so read(n) holds little more than n bytes. A table
** whose keys are all positive integers is an array up to its largest
** key (holes are null; {} is []); any other is an object whose number
** keys become strings. A function value is called and its result
** encoded (up to 10 times); nil and light userdata are null, as is the
** string opts.null. Other types: "Cannot encode type <n>". Strings are
** escaped as NodeMCU's (\" \b \f \n \r \t, \u00XX for other bytes below
** 0x20, others as they are) and also \\, which NodeMCU left bare and so
** wrote JSON no parser reads back.
** Spec: NodeMCU 3.0 docs/modules/sjson.md, app/modules/sjson.c (the
** jsonsl error names); RFC 8259. Twin: none. May call: vm.h, libc.
*/
#include <string.h>

#include "firmware/lib/lib.h"

#define DEC_META "sjson.decoder"    /* registry: the objects' metatables */
#define ENC_META "sjson.encoder"
#define DEFAULT_DEPTH 20
#define MIN_DEPTH 4
#define MAX_DEPTH 1000
#define MAX_CALLS 10                /* function values called in a row   */
#define PIECES 16                   /* strings kept apart before a concat */

/* Work table fields (besides the integer slots). */
#define W_KEY    "key"              /* decoder: the pending object key   */
#define W_NULL   "null"             /* what null decodes to / encodes    */
#define W_MT     "mt"               /* decoder: opts.metatable           */
#define W_PATH   "path"             /* decoder: checkpath's path         */
#define W_TOK    "tok"              /* decoder: pieces of a split token  */
#define W_RESULT "result"           /* decoder: the top-level table      */
#define W_CHUNK  "chunk"            /* encoder: text not yet read        */

/* The depth option of opts at arg (a table or anything else). */
static int opt_depth(vm_State *L, int arg)
{
    if (vm_type(L, arg) != VM_TTABLE)
        return DEFAULT_DEPTH;
    vm_getfield(L, arg, "depth");
    int n = (int)vm_tointeger(L, -1);
    vm_pop(L, 1);
    if (n == 0)
        return DEFAULT_DEPTH;
    return n < MIN_DEPTH ? MIN_DEPTH : n > MAX_DEPTH ? MAX_DEPTH : n;
}

/* A new work table in the registry: its reference; also left on the
** stack. */
static int new_work(vm_State *L)
{
    vm_newtable(L);
    vm_pushvalue(L, -1);
    return vm_ref(L, VM_REGISTRYINDEX);
}

/* Pieces of output on the stack: join them when there are many. */
static void piece(vm_State *L, int *n)
{
    if (++*n == PIECES) {
        vm_concat(L, *n);
        *n = 1;
    }
}

/* ======================================================================
** The decoder
** ====================================================================== */

enum { S_VALUE, S_KEY, S_COLON, S_AFTER, S_STR, S_NUM, S_LIT };
enum { N_SIGN, N_ZERO, N_INT, N_DOT, N_FRAC, N_E, N_ESIGN, N_EXP };

typedef struct level {
    uint32_t n;                 /* elements so far (arrays' next index)   */
    uint8_t obj;                /* 1 object, 0 array                      */
} level_t;

typedef struct dec {
    int work;                   /* registry: W[d] is the table at depth d;
                                   first, for work_gc                     */
    int nlevels;
    int depth;                  /* open containers                        */
    uint8_t state;              /* S_*                                    */
    uint8_t first;              /* just after '[' or '{': may close       */
    uint8_t is_key;             /* S_STR: an object key                   */
    uint8_t esc;                /* S_STR: after '\\'                      */
    uint8_t uhex;               /* S_STR: hex digits of \u still to come  */
    uint8_t num;                /* S_NUM: N_*                             */
    uint8_t lit, litpos;        /* S_LIT: which literal, bytes matched    */
    uint8_t split;              /* W.tok holds the token's start          */
    uint8_t complete;
    const char *error;
    level_t lv[];               /* [1..nlevels - 1]                       */
} dec_t;

static const char *const literals[] = { "true", "false", "null" };

/* A write in progress: the decoder, its work table's stack slot and the
** string written. */
typedef struct feed {
    vm_State *L;
    dec_t *d;
    int w;
    const char *s;
    size_t start;               /* where the current token's text starts  */
} feed_t;

static int is_ws(int c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static int is_end(int c)
{
    return is_ws(c) || c == ',' || c == ']' || c == '}' || c == ':';
}

static int is_hex(int c)
{
    return (c >= '0' && c <= '9') || ((c | 32) >= 'a' && (c | 32) <= 'f');
}

static int hexval(int c)
{
    return c <= '9' ? c - '0' : (c | 32) - 'a' + 10;
}

/* Forget what only parsing needs (on completion and on error). */
static void drop_working(vm_State *L, dec_t *d, int w)
{
    for (int i = 1; i <= d->depth; i++) {
        vm_pushnil(L);
        vm_rawseti(L, w, i);
    }
    static const char *const fields[] = { W_KEY, W_NULL, W_MT, W_PATH,
                                          W_TOK };
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++) {
        vm_pushnil(L);
        vm_setfield(L, w, fields[i]);
    }
    d->split = 0;
}

static int fail(feed_t *f, const char *name)
{
    f->d->error = name;
    drop_working(f->L, f->d, f->w);
    return vm_errorf(f->L, "JSON parse error: %s", name);
}

/* Push the key under which the next element of the container at depth
** goes: an array's next index, or the pending object key (consumed). */
static void push_key(feed_t *f)
{
    vm_State *L = f->L;
    level_t *lv = &f->d->lv[f->d->depth];
    if (!lv->obj) {
        vm_pushinteger(L, (vm_Integer)++lv->n);
        return;
    }
    vm_getfield(L, f->w, W_KEY);
    vm_pushnil(L);
    vm_setfield(L, f->w, W_KEY);
}

/* Store the value on top of the stack into the current container (pops
** it). A top-level scalar goes nowhere: it never completes a document. */
static void store(feed_t *f)
{
    vm_State *L = f->L;
    if (f->d->depth == 0) {
        vm_pop(L, 1);
        return;
    }
    vm_rawgeti(L, f->w, f->d->depth);
    push_key(f);
    vm_pushvalue(L, -3);
    vm_settable(L, -3);
    vm_pop(L, 2);
}

/* The level an element starting now occupies must stay below nlevels. */
static void check_level(feed_t *f, int level)
{
    if (level > f->d->nlevels - 1)
        fail(f, "LEVELS_EXCEEDED");
}

static void open_container(feed_t *f, int c)
{
    vm_State *L = f->L;
    dec_t *d = f->d;
    int nd = d->depth + 1;
    check_level(f, nd);
    vm_newtable(L);                                     /* the table   */
    vm_getfield(L, f->w, W_MT);
    if (vm_type(L, -1) == VM_TNIL)
        vm_pop(L, 1);
    else
        vm_setmetatable(L, -2);
    vm_pushvalue(L, -1);
    vm_rawseti(L, f->w, nd);
    if (d->depth > 0)
        push_key(f);                                    /* its key     */
    else
        vm_pushnil(L);
    int want = 1;
    vm_getfield(L, f->w, W_PATH);
    if (vm_type(L, -1) == VM_TTABLE) {
        if (nd > 1) {
            vm_pushvalue(L, -2);
            vm_rawseti(L, -2, nd - 1);
        }
        vm_getfield(L, f->w, W_MT);
        vm_getfield(L, -1, "checkpath");
        if (vm_type(L, -1) != VM_TNIL) {
            vm_pushvalue(L, -5);
            vm_pushvalue(L, -4);
            vm_call(L, 2, 1);
            want = vm_toboolean(L, -1);
        }
        vm_pop(L, 2);
    }
    vm_pop(L, 1);                                       /* the path    */
    if (want && d->depth == 0) {
        vm_pushvalue(L, -2);
        vm_setfield(L, f->w, W_RESULT);
    } else if (want) {
        vm_rawgeti(L, f->w, d->depth);                  /* the parent  */
        vm_pushvalue(L, -2);
        vm_pushvalue(L, -4);
        vm_settable(L, -3);
    }
    vm_settop(L, f->w);
    d->depth = nd;
    d->lv[nd].n = 0;
    d->lv[nd].obj = c == '{';
    d->state = c == '{' ? S_KEY : S_VALUE;
    d->first = 1;
}

static void close_container(feed_t *f, int c)
{
    vm_State *L = f->L;
    dec_t *d = f->d;
    if (d->depth == 0 || d->lv[d->depth].obj != (c == '}'))
        fail(f, "BRACKET_MISMATCH");
    vm_getfield(L, f->w, W_PATH);
    if (vm_type(L, -1) == VM_TTABLE) {
        vm_pushnil(L);
        vm_rawseti(L, -2, d->depth);
    }
    vm_pop(L, 1);
    vm_pushnil(L);
    vm_rawseti(L, f->w, d->depth);
    d->depth--;
    d->state = S_AFTER;
    if (d->depth == 0)
        d->complete = 1;
}

/* A value starting with c (not a container, not a string). */
static void start_scalar(feed_t *f, int c, size_t i)
{
    dec_t *d = f->d;
    if (c == '-' || (c >= '0' && c <= '9')) {
        d->state = S_NUM;
        d->num = c == '-' ? N_SIGN : c == '0' ? N_ZERO : N_INT;
        f->start = i;
    } else if (c == 't' || c == 'f' || c == 'n') {
        d->state = S_LIT;
        d->lit = c == 't' ? 0 : c == 'f' ? 1 : 2;
        d->litpos = 1;
    } else {
        fail(f, c == 0 ? "FOUND_NULL_BYTE"
                : c < 0x20 ? "WEIRD_WHITESPACE" : "SPECIAL_EXPECTED");
        return;
    }
    if (d->depth > 0)
        check_level(f, d->depth + 1);
}

static void start_string(feed_t *f, size_t i, int is_key)
{
    dec_t *d = f->d;
    if (d->depth == 0)
        fail(f, "STRING_OUTSIDE_CONTAINER");
    check_level(f, d->depth + 1);
    d->state = S_STR;
    d->is_key = (uint8_t)is_key;
    d->esc = d->uhex = 0;
    f->start = i + 1;
}

static int starts_value(int c)
{
    return c == '{' || c == '[' || c == '"' || c == '-' ||
           (c >= '0' && c <= '9') || c == 't' || c == 'f' || c == 'n';
}

/* Push the pieces of the table at t (at most PIECES) and return their
** count. */
static int push_pieces(vm_State *L, int t)
{
    int k = (int)vm_objlen(L, t);
    vm_checkstack_msg(L, k + 2, "sjson");
    for (int j = 1; j <= k; j++)
        vm_rawgeti(L, t, j);
    return k;
}

/* Push the text of the token that ends before i: with a split start, the
** pieces earlier writes kept (W.tok) joined to this write's. */
static void push_token(feed_t *f, size_t i)
{
    vm_State *L = f->L;
    int k = 0;
    if (f->d->split) {
        vm_getfield(L, f->w, W_TOK);
        k = push_pieces(L, vm_gettop(L));
        vm_pushnil(L);
        vm_setfield(L, f->w, W_TOK);
        f->d->split = 0;
    }
    vm_pushlstring(L, f->s + f->start, i - f->start);
    vm_concat(L, k + 1);
    if (k > 0)
        vm_remove(L, -2);                       /* the pieces' table   */
}

/* Keep this write's part of an unfinished token as a piece of W.tok
** (joined every PIECES pieces: no copy of the whole per write). */
static void keep_token(feed_t *f, size_t n)
{
    vm_State *L = f->L;
    if (!f->d->split) {
        vm_newtable(L);
        vm_pushvalue(L, -1);
        vm_setfield(L, f->w, W_TOK);
        f->d->split = 1;
    } else {
        vm_getfield(L, f->w, W_TOK);
    }
    int t = vm_gettop(L);
    int k = (int)vm_objlen(L, t);
    vm_pushlstring(L, f->s + f->start, n - f->start);
    vm_rawseti(L, t, k + 1);
    if (k + 1 == PIECES) {
        vm_concat(L, push_pieces(L, t));
        vm_rawseti(L, t, 1);
        for (int j = 2; j <= PIECES; j++) {
            vm_pushnil(L);
            vm_rawseti(L, t, j);
        }
    }
    vm_pop(L, 1);
}

/* Append code point u as UTF-8 ('?' for a surrogate, as NodeMCU). */
static void add_utf8(vm_Buffer *b, uint32_t u)
{
    if (u < 0x80) {
        vm_addchar(b, u);
    } else if (u < 0x800) {
        vm_addchar(b, 0xC0 | (u >> 6));
        vm_addchar(b, 0x80 | (u & 63));
    } else if (u >= 0xD800 && u < 0xE000) {
        vm_addchar(b, '?');
    } else {
        vm_addchar(b, 0xE0 | (u >> 12));
        vm_addchar(b, 0x80 | ((u >> 6) & 63));
        vm_addchar(b, 0x80 | (u & 63));
    }
}

/* Replace the (validated) string text on top by its value. */
static void unescape(vm_State *L)
{
    size_t n;
    const char *s = vm_tolstring(L, -1, &n);
    vm_Buffer b;
    vm_buffinit(L, &b);
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (c != '\\') {
            vm_addchar(&b, c);
            continue;
        }
        switch (c = s[++i]) {
        case 'b': vm_addchar(&b, '\b'); break;
        case 'f': vm_addchar(&b, '\f'); break;
        case 'n': vm_addchar(&b, '\n'); break;
        case 'r': vm_addchar(&b, '\r'); break;
        case 't': vm_addchar(&b, '\t'); break;
        case 'u': {
            uint32_t u = 0;
            for (int k = 0; k < 4; k++)
                u = u << 4 | (uint32_t)hexval(s[++i]);
            add_utf8(&b, u);
            break;
        }
        default: vm_addchar(&b, c); break;
        }
    }
    vm_pushresult(&b);
    vm_remove(L, -2);
}

static void end_string(feed_t *f, size_t i)
{
    push_token(f, i);
    unescape(f->L);
    if (f->d->is_key) {
        vm_setfield(f->L, f->w, W_KEY);
        f->d->state = S_COLON;
    } else {
        store(f);
        f->d->state = S_AFTER;
    }
}

static void end_number(feed_t *f, size_t i)
{
    push_token(f, i);
    vm_Number n = vm_tonumber(f->L, -1);
    vm_pop(f->L, 1);
    vm_pushnumber(f->L, n);
    store(f);
    f->d->state = S_AFTER;
}

static void end_literal(feed_t *f)
{
    switch (f->d->lit) {
    case 0: vm_pushboolean(f->L, 1); break;
    case 1: vm_pushboolean(f->L, 0); break;
    default: vm_getfield(f->L, f->w, W_NULL); break;
    }
    store(f);
    f->d->state = S_AFTER;
}

/* One byte inside a string. */
static void in_string(feed_t *f, int c, size_t i)
{
    dec_t *d = f->d;
    if (d->uhex > 0) {
        if (!is_hex(c))
            fail(f, "ESCAPE_INVALID");
        d->uhex--;
    } else if (d->esc) {
        if (c == 0 || strchr("\"\\/bfnrtu", c) == NULL)
            fail(f, "ESCAPE_INVALID");
        d->esc = 0;
        d->uhex = c == 'u' ? 4 : 0;
    } else if (c == '"') {
        end_string(f, i);
    } else if (c == '\\') {
        d->esc = 1;
    } else if (c < 0x20) {
        fail(f, "WEIRD_WHITESPACE");
    }
}

/* One byte inside a number: 1 if it ended the number before c. */
static int in_number(feed_t *f, int c, size_t i)
{
    dec_t *d = f->d;
    int digit = c >= '0' && c <= '9';
    uint8_t s = d->num, next;
    if (digit)
        next = s == N_SIGN ? (c == '0' ? N_ZERO : N_INT)
             : s == N_ZERO ? 255
             : s == N_DOT ? N_FRAC : s == N_E || s == N_ESIGN ? N_EXP : s;
    else if (c == '.')
        next = s == N_ZERO || s == N_INT ? N_DOT : 255;
    else if (c == 'e' || c == 'E')
        next = s == N_ZERO || s == N_INT || s == N_FRAC ? N_E : 255;
    else if (c == '+' || c == '-')
        next = s == N_E ? N_ESIGN : 255;
    else if (is_end(c) && (s == N_ZERO || s == N_INT || s == N_FRAC ||
                           s == N_EXP)) {
        end_number(f, i);
        return 1;
    } else
        next = 255;
    if (next == 255)
        fail(f, "INVALID_NUMBER");
    d->num = next;
    return 0;
}

/* One byte inside true/false/null: 1 if it ended the literal before c. */
static int in_literal(feed_t *f, int c)
{
    dec_t *d = f->d;
    const char *lit = literals[d->lit];
    if (lit[d->litpos] == '\0' && is_end(c)) {
        end_literal(f);
        return 1;
    }
    if (lit[d->litpos] != '\0' && c == lit[d->litpos]) {
        d->litpos++;
        return 0;
    }
    return fail(f, is_end(c) ? "SPECIAL_INCOMPLETE" : "SPECIAL_EXPECTED");
}

/* One byte between tokens. */
static void structural(feed_t *f, int c, size_t i)
{
    dec_t *d = f->d;
    if (is_ws(c))
        return;
    int first = d->first;
    d->first = 0;
    int obj = d->depth > 0 && d->lv[d->depth].obj;
    switch (d->state) {
    case S_VALUE:
        if (c == '{' || c == '[')
            open_container(f, c);
        else if (c == '"')
            start_string(f, i, 0);
        else if ((c == ']' || c == '}') && first)
            close_container(f, c);
        else if (c == ']' || c == '}')
            fail(f, d->depth == 0 || obj != (c == '}') ? "BRACKET_MISMATCH"
                    : obj ? "VALUE_EXPECTED" : "TRAILING_COMMA");
        else if (c == ',' || c == ':')
            fail(f, "STRAY_TOKEN");
        else
            start_scalar(f, c, i);
        break;
    case S_KEY:
        if (c == '"')
            start_string(f, i, 1);
        else if (c == '}' && first)
            close_container(f, c);
        else if (c == '}')
            fail(f, "TRAILING_COMMA");
        else if (c == ']')
            fail(f, "BRACKET_MISMATCH");
        else if (c == ',' || c == ':')
            fail(f, "STRAY_TOKEN");
        else if (starts_value(c))
            fail(f, "HKEY_EXPECTED");
        else
            start_scalar(f, c, i);              /* fails with the reason */
        break;
    case S_COLON:
        if (c == ':')
            d->state = S_VALUE;
        else if (c == '}')
            fail(f, "VALUE_EXPECTED");
        else
            fail(f, starts_value(c) ? "MISSING_TOKEN" : "STRAY_TOKEN");
        break;
    default:                                    /* S_AFTER             */
        if (d->depth == 0 || starts_value(c))
            fail(f, "CANT_INSERT");
        else if (c == ',')
            d->state = obj ? S_KEY : S_VALUE;
        else if (c == ']' || c == '}')
            close_container(f, c);
        else if (c == ':')
            fail(f, "STRAY_TOKEN");
        else
            start_scalar(f, c, i);              /* fails with the reason */
        break;
    }
}

static void feed(feed_t *f, size_t n)
{
    dec_t *d = f->d;
    f->start = 0;
    for (size_t i = 0; i < n && !d->complete; i++) {
        int c = (unsigned char)f->s[i];
        if (d->state == S_STR)
            in_string(f, c, i);
        else if (d->state == S_NUM ? in_number(f, c, i)
                 : d->state == S_LIT ? in_literal(f, c) : 1)
            structural(f, c, i);
    }
    if (!d->complete && (d->state == S_STR || d->state == S_NUM))
        keep_token(f, n);
}

static dec_t *new_decoder(vm_State *L, int opts)
{
    int nlevels = opt_depth(L, opts);
    dec_t *d = vm_newuserdata(L, sizeof *d + (size_t)nlevels *
                                 sizeof(level_t));
    memset(d, 0, sizeof *d);
    d->work = VM_NOREF;
    d->nlevels = nlevels;
    d->state = S_VALUE;
    vm_getfield(L, VM_REGISTRYINDEX, DEC_META);
    vm_setmetatable(L, -2);
    d->work = new_work(L);
    if (vm_type(L, opts) == VM_TTABLE) {
        vm_getfield(L, opts, "null");
        vm_setfield(L, -2, W_NULL);
        vm_getfield(L, opts, "metatable");
        if (vm_type(L, -1) != VM_TNIL) {
            vm_getfield(L, -1, "checkpath");
            if (vm_type(L, -1) != VM_TNIL) {
                vm_newtable(L);
                vm_setfield(L, -4, W_PATH);
            }
            vm_pop(L, 1);
        }
        vm_setfield(L, -2, W_MT);
    } else {
        vm_pushlightuserdata(L, NULL);
        vm_setfield(L, -2, W_NULL);
    }
    vm_pop(L, 1);                               /* the work table      */
    return d;
}

static int push_result(vm_State *L, dec_t *d)
{
    if (!d->complete)
        return vm_errorf(L, "decode not complete");
    vm_rawgeti(L, VM_REGISTRYINDEX, d->work);
    vm_getfield(L, -1, W_RESULT);
    vm_remove(L, -2);
    return 1;
}

/* Feed the string at arg s to the decoder d at arg u: the result once
** complete, else nothing. */
static int write_to(vm_State *L, dec_t *d, int s)
{
    size_t n;
    feed_t f;
    f.s = vm_checklstring(L, s, &n);
    if (d->error != NULL)
        return vm_errorf(L, "JSON parse error: previous call");
    if (!d->complete) {
        f.L = L;
        f.d = d;
        vm_rawgeti(L, VM_REGISTRYINDEX, d->work);
        f.w = vm_gettop(L);
        feed(&f, n);
        if (d->complete)
            drop_working(L, d, f.w);
        vm_pop(L, 1);
    }
    return d->complete ? push_result(L, d) : 0;
}

/* sjson.decoder([opts]) */
static int sjson_decoder(vm_State *L)
{
    new_decoder(L, 1);
    return 1;
}

/* decoder:write(str) */
static int dec_write(vm_State *L)
{
    dec_t *d = vm_checkudata(L, 1, DEC_META);
    return write_to(L, d, 2);
}

/* decoder:result() */
static int dec_result(vm_State *L)
{
    return push_result(L, vm_checkudata(L, 1, DEC_META));
}

/* __gc of both objects: each begins with its work table's reference. */
static int work_gc(vm_State *L)
{
    int *work = vm_touserdata(L, 1);
    vm_unref(L, VM_REGISTRYINDEX, *work);
    *work = VM_NOREF;
    return 0;
}

/* sjson.decode(str[, opts]) */
static int sjson_decode(vm_State *L)
{
    vm_checkstring(L, 1);
    dec_t *d = new_decoder(L, 2);
    if (write_to(L, d, 1) == 0)
        return vm_errorf(L, "Incomplete JSON object passed to sjson.decode");
    return 1;
}

/* ======================================================================
** The encoder
** ====================================================================== */

typedef struct elevel {
    int32_t size;               /* array length, or -1 for an object      */
    uint32_t off;               /* 2k: before element k+1, 2k+1: at it    */
} elevel_t;

typedef struct enc {
    int work;                   /* W[2d-1] table, W[2d] last key at d;
                                   first, for work_gc                     */
    int nlevels;
    int depth;
    size_t chunk_off;           /* bytes of W.chunk already read          */
    uint8_t has_null;           /* W.null is the string for null          */
    elevel_t lv[];              /* [1..nlevels]                           */
} enc_t;

/* -1 if the table at idx is an object, else its largest integer key. */
static int32_t array_size(vm_State *L, int idx)
{
    int32_t max = 0;
    vm_pushnil(L);
    while (vm_next(L, idx)) {
        vm_pop(L, 1);
        vm_Integer k = vm_type(L, -1) == VM_TNUMBER ? vm_tointeger(L, -1)
                                                     : 0;
        if (k <= 0) {
            vm_pop(L, 1);
            return -1;
        }
        if (k > max)
            max = k;
    }
    return max;
}

/* Push the table on top as a new level (pops it). */
static void push_level(vm_State *L, enc_t *e, int w)
{
    if (e->depth >= e->nlevels)
        vm_errorf(L, "encoder stack overflow");
    int d = ++e->depth;
    e->lv[d].size = array_size(L, vm_gettop(L));
    e->lv[d].off = 0;
    vm_rawseti(L, w, 2 * d - 1);
}

static void pop_level(vm_State *L, enc_t *e, int w)
{
    vm_pushnil(L);
    vm_rawseti(L, w, 2 * e->depth - 1);
    vm_pushnil(L);
    vm_rawseti(L, w, 2 * e->depth);
    e->depth--;
}

/* Call function values (no arguments) until the value on top is none. */
static void resolve(vm_State *L)
{
    for (int i = 0; i < MAX_CALLS && vm_type(L, -1) == VM_TFUNCTION; i++)
        vm_call(L, 0, 1);
}

static void add_quoted(vm_Buffer *b, const char *s, size_t n)
{
    static const char hex[] = "0123456789abcdef";
    vm_addchar(b, '"');
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        const char *esc = c == '"' ? "\\\"" : c == '\\' ? "\\\\"
                        : c == '\b' ? "\\b" : c == '\f' ? "\\f"
                        : c == '\n' ? "\\n" : c == '\r' ? "\\r"
                        : c == '\t' ? "\\t" : NULL;
        if (esc != NULL) {
            vm_addstring(b, esc);
        } else if (c < 0x20) {
            vm_addstring(b, "\\u00");
            vm_addchar(b, hex[c >> 4]);
            vm_addchar(b, hex[c & 15]);
        } else {
            vm_addchar(b, c);
        }
    }
    vm_addchar(b, '"');
}

/* Push prefix, the JSON of the non-table value at idx, suffix. */
static void encode_scalar(vm_State *L, enc_t *e, int w, int idx,
                          const char *prefix, const char *suffix)
{
    int t = vm_type(L, idx);
    if (t == VM_TSTRING && e->has_null) {
        vm_getfield(L, w, W_NULL);
        if (vm_rawequal(L, -1, idx))
            t = VM_TNIL;
        vm_pop(L, 1);
    }
    size_t n = 0;
    const char *s = NULL;
    if (t == VM_TNUMBER) {
        vm_pushvalue(L, idx);
        s = vm_tolstring(L, -1, &n);
    } else if (t == VM_TSTRING) {
        s = vm_tolstring(L, idx, &n);
    } else if (t != VM_TNIL && t != VM_TLIGHTUSERDATA &&
               t != VM_TBOOLEAN) {
        vm_errorf(L, "Cannot encode type %d", t);
    }
    vm_Buffer b;
    vm_buffinit(L, &b);
    vm_addstring(&b, prefix);
    if (t == VM_TSTRING)
        add_quoted(&b, s, n);
    else if (t == VM_TNUMBER)
        vm_addlstring(&b, s, n);
    else if (t == VM_TBOOLEAN)
        vm_addstring(&b, vm_toboolean(L, idx) ? "true" : "false");
    else
        vm_addstring(&b, "null");
    vm_addstring(&b, suffix);
    vm_pushresult(&b);
    if (t == VM_TNUMBER)
        vm_remove(L, -2);
}

/* One step of the level on top: pushes at most one piece; 1 if it did. */
static int step(vm_State *L, enc_t *e, int w)
{
    int d = e->depth;
    elevel_t *lv = &e->lv[d];
    uint32_t off = lv->off++;
    int top = vm_gettop(L);
    vm_rawgeti(L, w, 2 * d - 1);                        /* the table   */
    if (lv->size >= 0 && off == 2u * (uint32_t)lv->size) {
        vm_pushstring(L, off == 0 ? "[]" : "]");
        pop_level(L, e, w);
    } else if (lv->size >= 0 && off % 2 == 0) {
        vm_pushstring(L, off == 0 ? "[" : ",");
    } else if (off % 2 == 0) {                          /* object key  */
        vm_rawgeti(L, w, 2 * d);
        if (!vm_next(L, -2)) {
            vm_pushstring(L, "}");
            pop_level(L, e, w);
        } else {
            vm_pop(L, 1);
            vm_pushvalue(L, -1);
            vm_rawseti(L, w, 2 * d);
            if (vm_type(L, -1) == VM_TNUMBER)
                vm_tolstring(L, -1, NULL);
            encode_scalar(L, e, w, vm_gettop(L), off == 0 ? "{" : ",",
                          ":");
        }
    } else {                                            /* a value     */
        if (lv->size >= 0) {
            vm_rawgeti(L, -1, (int)(off / 2 + 1));
        } else {
            vm_rawgeti(L, w, 2 * d);
            vm_rawget(L, -2);
        }
        resolve(L);
        if (vm_type(L, -1) == VM_TTABLE) {
            push_level(L, e, w);
            vm_settop(L, top);
            return 0;
        }
        encode_scalar(L, e, w, vm_gettop(L), "", "");
    }
    vm_replace(L, top + 1);
    vm_settop(L, top + 1);
    return 1;
}

/* Make the next chunk, about VM_BUFFERSIZE bytes, into W.chunk (nothing
** when the document is finished). */
static void make_chunk(vm_State *L, enc_t *e, int w)
{
    if (e->depth == 0)
        return;
    int pieces = 0;
    size_t len = 0;
    while (e->depth > 0 && len < VM_BUFFERSIZE) {
        if (step(L, e, w)) {
            len += vm_objlen(L, -1);
            piece(L, &pieces);
        }
    }
    vm_concat(L, pieces);
    vm_setfield(L, w, W_CHUNK);
    e->chunk_off = 0;
}

/* Push up to n bytes of the document; 0 (nothing pushed) at its end. */
static int read_from(vm_State *L, enc_t *e, size_t n)
{
    vm_checkstack_msg(L, 3 * PIECES, "sjson");
    vm_rawgeti(L, VM_REGISTRYINDEX, e->work);
    int w = vm_gettop(L);
    int pieces = 0;
    size_t got = 0;
    for (;;) {
        vm_getfield(L, w, W_CHUNK);
        if (vm_type(L, -1) == VM_TNIL) {
            vm_pop(L, 1);
            if (got == n || e->depth == 0)
                break;
            make_chunk(L, e, w);
            continue;
        }
        size_t len;
        const char *s = vm_tolstring(L, -1, &len);
        size_t take = len - e->chunk_off;
        if (take > n - got)
            take = n - got;
        vm_pushlstring(L, s + e->chunk_off, take);
        vm_remove(L, -2);
        piece(L, &pieces);
        got += take;
        e->chunk_off += take;
        if (e->chunk_off == len) {
            vm_pushnil(L);
            vm_setfield(L, w, W_CHUNK);
        }
        if (got == n)
            break;
    }
    vm_concat(L, pieces);
    vm_remove(L, w);
    if (got == 0) {
        vm_pop(L, 1);
        return 0;
    }
    return 1;
}

/* sjson.encoder(table[, opts]) */
static int sjson_encoder(vm_State *L)
{
    vm_checktype(L, 1, VM_TTABLE);
    int nlevels = opt_depth(L, 2);
    enc_t *e = vm_newuserdata(L, sizeof *e + (size_t)(nlevels + 1) *
                                 sizeof(elevel_t));
    memset(e, 0, sizeof *e);
    e->work = VM_NOREF;
    e->nlevels = nlevels;
    vm_getfield(L, VM_REGISTRYINDEX, ENC_META);
    vm_setmetatable(L, -2);
    e->work = new_work(L);
    int w = vm_gettop(L);
    if (vm_type(L, 2) == VM_TTABLE) {
        vm_getfield(L, 2, "null");
        e->has_null = vm_type(L, -1) != VM_TNIL;
        vm_setfield(L, w, W_NULL);
    }
    vm_pushvalue(L, 1);
    push_level(L, e, w);
    vm_pop(L, 1);                               /* the work table      */
    return 1;
}

/* encoder:read([size]): default 1024 bytes, at least 1 */
static int enc_read(vm_State *L)
{
    enc_t *e = vm_checkudata(L, 1, ENC_META);
    vm_Integer n = 1024;
    if (vm_type(L, 2) == VM_TNUMBER) {
        n = vm_tointeger(L, 2);
        if (n < 1)
            n = 1;
    }
    return read_from(L, e, (size_t)n);
}

/* sjson.encode(table[, opts]) */
static int sjson_encode(vm_State *L)
{
    sjson_encoder(L);
    return read_from(L, vm_touserdata(L, -1), (size_t)-1);
}

/* ======================================================================
** The library
** ====================================================================== */

static const vm_roentry dec_methods[] = {
    VM_RO_F("result", dec_result),
    VM_RO_F("write", dec_write),
    VM_RO_END
};

static const vm_roentry dec_meta[] = {
    VM_RO_T("__index", dec_methods),
    VM_RO_F("__gc", work_gc),
    VM_RO_END
};

static const vm_roentry enc_methods[] = {
    VM_RO_F("read", enc_read),
    VM_RO_END
};

static const vm_roentry enc_meta[] = {
    VM_RO_T("__index", enc_methods),
    VM_RO_F("__gc", work_gc),
    VM_RO_END
};

/* sjson.NULL: a ROTable holds no light userdata, so its metatable's
** __index gives it. */
static int sjson_index(vm_State *L)
{
    const char *k = vm_tostring(L, 2);
    if (k != NULL && strcmp(k, "NULL") == 0)
        vm_pushlightuserdata(L, NULL);
    else
        vm_pushnil(L);
    return 1;
}

static const vm_roentry sjson_meta[] = {
    VM_RO_F("__index", sjson_index),
    VM_RO_END
};

const vm_roentry lib_sjson_tab[] = {
    VM_RO_M(sjson_meta),
    VM_RO_F("decode", sjson_decode),
    VM_RO_F("decoder", sjson_decoder),
    VM_RO_F("encode", sjson_encode),
    VM_RO_F("encoder", sjson_encoder),
    VM_RO_END
};

int lib_sjson_open(vm_State *L)
{
    vm_pushrotable(L, dec_meta);
    vm_setfield(L, VM_REGISTRYINDEX, DEC_META);
    vm_pushrotable(L, enc_meta);
    vm_setfield(L, VM_REGISTRYINDEX, ENC_META);
    return 0;
}
