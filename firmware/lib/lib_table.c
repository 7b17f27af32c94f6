/*
** lib_table.c: Lua 5.1's table library for the firmware VM: concat,
** foreach, foreachi, getn, insert, maxn, remove, setn, sort, and the
** ROTable lib_table_tab. As in 5.1, elements are read and written raw
** (no __index/__newindex) and a table's length is its raw border
** (vm_objlen). sort is 5.1's median-of-three quicksort, comparison for
** comparison, so inconsistent order functions fail (or not) where
** lua5.1's do; it never reads outside the table's slots it was given
** plus one on each side, and recursion is on the smaller half.
** Spec: Lua 5.1 manual §5.5 (table manipulation); lib.h.
** May call: vm.h, libc.
*/
#include "firmware/lib/lib.h"

/* luaL_checkint / luaL_optint with 5.1's conversion: the double to a
** 64-bit integer (x86's 0x8000... when out of range), narrowed to int. */
static int num2int(double d)
{
    long long v;
    if (d >= -9223372036854775808.0 && d < 9223372036854775808.0)
        v = (long long)d;
    else
        v = (long long)(-9223372036854775807LL - 1);
    return (int)(unsigned int)(unsigned long long)v;
}

static int checkint(vm_State *L, int narg)
{
    return num2int(vm_checknumber(L, narg));
}

static int optint(vm_State *L, int narg, int def)
{
    if (vm_type(L, narg) <= VM_TNIL)
        return def;
    return checkint(L, narg);
}

/* The length of the table argument n (5.1's aux_getn). */
static int getn(vm_State *L, int n)
{
    vm_checktype(L, n, VM_TTABLE);
    return (int)vm_objlen(L, n);
}

static int tab_foreachi(vm_State *L)
{
    int n = getn(L, 1), i;
    vm_checktype(L, 2, VM_TFUNCTION);
    for (i = 1; i <= n; i++) {
        vm_pushvalue(L, 2);
        vm_pushinteger(L, i);
        vm_rawgeti(L, 1, i);
        vm_call(L, 2, 1);
        if (vm_type(L, -1) != VM_TNIL)
            return 1;
        vm_pop(L, 1);
    }
    return 0;
}

static int tab_foreach(vm_State *L)
{
    vm_checktype(L, 1, VM_TTABLE);
    vm_checktype(L, 2, VM_TFUNCTION);
    vm_pushnil(L);
    while (vm_next(L, 1)) {
        vm_pushvalue(L, 2);
        vm_pushvalue(L, -3);         /* key   */
        vm_pushvalue(L, -3);         /* value */
        vm_call(L, 2, 1);
        if (vm_type(L, -1) != VM_TNIL)
            return 1;
        vm_pop(L, 2);                /* result and value; keep the key */
    }
    return 0;
}

static int tab_maxn(vm_State *L)
{
    vm_Number max = 0;
    vm_checktype(L, 1, VM_TTABLE);
    vm_pushnil(L);
    while (vm_next(L, 1)) {
        vm_pop(L, 1);
        if (vm_type(L, -1) == VM_TNUMBER) {
            vm_Number v = vm_tonumber(L, -1);
            if (v > max)
                max = v;
        }
    }
    vm_pushnumber(L, max);
    return 1;
}

static int tab_getn(vm_State *L)
{
    vm_pushinteger(L, getn(L, 1));
    return 1;
}

static int tab_setn(vm_State *L)
{
    vm_checktype(L, 1, VM_TTABLE);
    return vm_errorf(L, "'setn' is obsolete");
}

static int tab_insert(vm_State *L)
{
    int e = getn(L, 1) + 1;          /* the first empty slot */
    int pos;
    switch (vm_gettop(L)) {
    case 2:
        pos = e;
        break;
    case 3: {
        int i;
        pos = checkint(L, 2);
        if (pos > e)
            e = pos;                 /* the table grows to pos */
        for (i = e; i > pos; i--) {
            vm_rawgeti(L, 1, i - 1);
            vm_rawseti(L, 1, i);
        }
        break;
    }
    default:
        return vm_errorf(L, "wrong number of arguments to 'insert'");
    }
    vm_rawseti(L, 1, pos);
    return 0;
}

static int tab_remove(vm_State *L)
{
    int e = getn(L, 1);
    int pos = optint(L, 2, e);
    if (!(1 <= pos && pos <= e))
        return 0;
    vm_rawgeti(L, 1, pos);           /* the result */
    for (; pos < e; pos++) {
        vm_rawgeti(L, 1, pos + 1);
        vm_rawseti(L, 1, pos);
    }
    vm_pushnil(L);
    vm_rawseti(L, 1, e);
    return 1;
}

/* Append t[i] to b; it must be a string or a number. */
static void concat_item(vm_State *L, vm_Buffer *b, int i)
{
    vm_rawgeti(L, 1, i);
    if (!vm_isstring(L, -1))
        vm_errorf(L, "invalid value (at index %d) in table for 'concat'", i);
    vm_addvalue(b);
}

static int tab_concat(vm_State *L)
{
    vm_Buffer b;
    size_t lsep;
    const char *sep = vm_optlstring(L, 2, "", &lsep);
    int i, last;
    vm_checktype(L, 1, VM_TTABLE);
    i = optint(L, 3, 1);
    last = vm_type(L, 4) <= VM_TNIL ? (int)vm_objlen(L, 1) : checkint(L, 4);
    vm_buffinit(L, &b);
    for (; i < last; i++) {
        concat_item(L, &b, i);
        vm_addlstring(&b, sep, lsep);
    }
    if (i == last)
        concat_item(L, &b, i);
    vm_pushresult(&b);
    return 1;
}

/* ---- sort ------------------------------------------------------------------
** The table is argument 1, the order function (or nil) argument 2. The
** partition keeps the pivot on the stack; elements are fetched with
** rawgeti and stored back in pairs by put2. */

/* t[i] = top, t[j] = the value below it; pops both. */
static void put2(vm_State *L, int i, int j)
{
    vm_rawseti(L, 1, i);
    vm_rawseti(L, 1, j);
}

/* Whether the value at a sorts before the one at b (negative indices,
** taken before anything is pushed). */
static int before(vm_State *L, int a, int b)
{
    int r;
    if (vm_type(L, 2) == VM_TNIL)
        return vm_lessthan(L, a, b);
    vm_pushvalue(L, 2);
    vm_pushvalue(L, a - 1);
    vm_pushvalue(L, b - 2);
    vm_call(L, 2, 1);
    r = vm_toboolean(L, -1);
    vm_pop(L, 1);
    return r;
}

static void sort_range(vm_State *L, int lo, int up)
{
    while (lo < up) {
        int i, j;
        /* order t[lo], t[mid], t[up] */
        vm_rawgeti(L, 1, lo);
        vm_rawgeti(L, 1, up);
        if (before(L, -1, -2))
            put2(L, lo, up);         /* swap t[lo] and t[up] */
        else
            vm_pop(L, 2);
        if (up - lo == 1)
            break;
        i = lo + (up - lo) / 2;      /* (lo + up) / 2 without overflow */
        vm_rawgeti(L, 1, i);
        vm_rawgeti(L, 1, lo);
        if (before(L, -2, -1)) {     /* t[i] < t[lo] */
            put2(L, i, lo);
        } else {
            vm_pop(L, 1);
            vm_rawgeti(L, 1, up);
            if (before(L, -1, -2))   /* t[up] < t[i] */
                put2(L, i, up);
            else
                vm_pop(L, 2);
        }
        if (up - lo == 2)
            break;
        /* the median is the pivot P; park it at up-1 */
        vm_rawgeti(L, 1, i);
        vm_pushvalue(L, -1);
        vm_rawgeti(L, 1, up - 1);
        put2(L, i, up - 1);
        /* t[lo] <= P == t[up-1] <= t[up]: partition lo+1 .. up-2 */
        i = lo;
        j = up - 1;
        for (;;) {
            /* advance i to an element not below P */
            for (;;) {
                vm_rawgeti(L, 1, ++i);
                if (!before(L, -1, -2))
                    break;
                if (i > up)
                    vm_errorf(L, "invalid order function for sorting");
                vm_pop(L, 1);
            }
            /* retreat j to an element not above P */
            for (;;) {
                vm_rawgeti(L, 1, --j);
                if (!before(L, -3, -1))
                    break;
                if (j < lo)
                    vm_errorf(L, "invalid order function for sorting");
                vm_pop(L, 1);
            }
            if (j < i) {
                vm_pop(L, 3);        /* P, t[i], t[j] */
                break;
            }
            put2(L, i, j);           /* swap t[i] and t[j] */
        }
        /* the pivot goes to i */
        vm_rawgeti(L, 1, up - 1);
        vm_rawgeti(L, 1, i);
        put2(L, up - 1, i);
        /* t[lo..i-1] <= t[i] == P <= t[i+1..up]: recurse on the smaller
        ** side, loop on the larger */
        if (i - lo < up - i) {
            j = lo;
            i = i - 1;
            lo = i + 2;
        } else {
            j = i + 1;
            i = up;
            up = j - 2;
        }
        sort_range(L, j, i);
    }
}

static int tab_sort(vm_State *L)
{
    int n = getn(L, 1);
    vm_checkstack_msg(L, 40, "");
    if (vm_type(L, 2) > VM_TNIL)
        vm_checktype(L, 2, VM_TFUNCTION);
    vm_settop(L, 2);
    sort_range(L, 1, n);
    return 0;
}

static const vm_roentry lib_table_tab[] = {
    VM_RO_F("concat", tab_concat),
    VM_RO_F("foreach", tab_foreach),
    VM_RO_F("foreachi", tab_foreachi),
    VM_RO_F("getn", tab_getn),
    VM_RO_F("insert", tab_insert),
    VM_RO_F("maxn", tab_maxn),
    VM_RO_F("remove", tab_remove),
    VM_RO_F("setn", tab_setn),
    VM_RO_F("sort", tab_sort),
    VM_RO_END
};

int lib_table_open(vm_State *L)
{
    vm_pushrotable(L, lib_table_tab);
    vm_setglobal(L, "table");
    return 0;
}
