/*
** lib_node.c: the node library of NodeMCU's Lua 5.1 firmware, as the
** ROTable lib_node_tab: heap, chipid, flashid, flashsize, info, restart,
** node.LFS (get, list, reload and the virtual fields time and config,
** docs/lfs51.md §8) and the deprecated flashindex/flashreload (flashreload and
** node.info() without a group print NodeMCU's deprecation note); and the
** global LFS table, whose fields are the LFS modules and which refuses
** writes ("LFS is readonly. Invalid write to LFS.<name>", as _init.lua
** words it). reload and restart leave the VM: they go through
** lib_node_hooks_t (lib_node.h), which the simulator fills; so do the
** partition table (getpartitiontable) and the boot reason (bootreason).
** node.task.post queues functions, per priority, in a registry table
** the event loop empties (lib_node_pushtask).
** Spec: docs/lfs51.md §3.11 (the index function), §5.3, §8.
** Twin: lib_node.h. May call: vm.h, plat, libc.
*/
#include "firmware/lib/lib_node.h"

#include <string.h>

#include "firmware/lib/lib.h"
#include "firmware/plat/plat.h"

#define VERSION_MAJOR 3          /* NodeMCU 3.0.0, the last 5.1 release   */
#define VERSION_MINOR 0
#define VERSION_REVISION 0
#define FLASH_MODE 0             /* QIO                                    */
#define FLASH_SPEED 40000000     /* Hz                                     */
#define NOT_SUPPORTED "not supported in this build"
#define TASKS_KEY "node.tasks"  /* registry: {[prio + 1] = {fn, ...}}   */
#define MODULES "bit,crypto,encoder,file,node,sjson,struct,tmr,uart"

static lib_node_hooks_t hooks;
static uint32_t task_head[3], task_tail[3];  /* queue indexes per prio */

void lib_node_sethooks(const lib_node_hooks_t *h)
{
    if (h != NULL)
        hooks = *h;
    else
        memset(&hooks, 0, sizeof hooks);
}

static uint32_t chip_id(void)
{
    return hooks.chip_id ? hooks.chip_id : LIB_NODE_CHIP_ID;
}

/* A Winbond JEDEC id as the SDK reads it: capacity byte (log2 of the
** size), memory type 0x40, maker 0xEF, low byte first. */
static uint32_t flash_id(void)
{
    uint32_t size = plat_flash_size(), lg = 0;
    if (hooks.flash_id)
        return hooks.flash_id;
    while (lg < 31 && (1u << (lg + 1)) <= size)
        lg++;
    return (lg << 16) | 0x4000u | 0xEFu;
}

/* NodeMCU's console note for a deprecated call (platform.c's words). */
static void deprecated(vm_State *L, const char *what, const char *when)
{
    vm_pushfstring(L, "Warning, deprecated API! %s. It will be removed %s."
                   " See documentation for details.\n", what, when);
    vm_writestring(L, vm_tostring(L, -1), vm_objlen(L, -1));
    vm_pop(L, 1);
}

static void set_int(vm_State *L, const char *k, vm_Number v)
{
    vm_pushnumber(L, v);
    vm_setfield(L, -2, k);
}

static void set_string(vm_State *L, const char *k, const char *v)
{
    vm_pushstring(L, v);
    vm_setfield(L, -2, k);
}

/* ---- LFS ---------------------------------------------------------------- */

/* Pushes {lfs_mapped, lfs_base, lfs_size, lfs_used} (docs/lfs51.md §5.3). */
static void push_config(vm_State *L)
{
    uint32_t mapped = 0, base = 0, size = 0, used = 0;
    vm_lfsinfo(L, &mapped, &base, &size, &used);
    vm_createtable(L, 0, 4);
    set_int(L, "lfs_mapped", mapped);
    set_int(L, "lfs_base", base);
    set_int(L, "lfs_size", size);
    set_int(L, "lfs_used", used);
}

/* Calls the index function without a name: pushes the build timestamp
** and the array of module names, or two nils without LFS. */
static void push_directory(vm_State *L)
{
    vm_pushlfsindex(L);
    if (vm_type(L, -1) == VM_TFUNCTION) {
        vm_call(L, 0, 2);
    } else {
        vm_pop(L, 1);
        vm_pushnil(L);
        vm_pushnil(L);
    }
}

/* Sorts the array at idx (at most 50 names: insertion sort). */
static void sort_names(vm_State *L, int idx)
{
    int n = (int)vm_objlen(L, idx), i, j;
    for (i = 2; i <= n; i++) {
        vm_rawgeti(L, idx, i);                              /* x        */
        for (j = i - 1; j >= 1; j--) {
            vm_rawgeti(L, idx, j);                          /* x, t[j]  */
            if (!vm_lessthan(L, -2, -1)) {
                vm_pop(L, 1);
                break;
            }
            vm_rawseti(L, idx, j + 1);
        }
        vm_rawseti(L, idx, j + 1);
    }
}

/* node.LFS.get(name), node.flashindex(name): the module's function (a new
** closure) or nil. A number is no module name here (the index compares it
** with strings), unlike node.LFS[1], where NodeMCU converts it. */
static int lfs_get(vm_State *L)
{
    if (vm_type(L, 1) == VM_TSTRING)
        vm_pushlfsmodule(L, vm_tostring(L, 1));
    else
        vm_pushnil(L);
    return 1;
}

/* node.LFS.list(): the sorted module names, or nil without LFS. */
static int lfs_list(vm_State *L)
{
    vm_settop(L, 0);
    push_directory(L);
    if (vm_type(L, 2) == VM_TTABLE)
        sort_names(L, 2);
    return 1;
}

/* node.LFS.reload(file), node.flashreload(file) */
static int lfs_reload(vm_State *L)
{
    const char *file = vm_checkstring(L, 1);
    if (hooks.reload != NULL)
        return hooks.reload(L, file);
    vm_pushliteral(L, NOT_SUPPORTED);
    return 1;
}

/* node.flashreload(file): reload, after a note on the console. */
static int lfs_flashreload(vm_State *L)
{
    deprecated(L, "node.flashreload", "soon. Use node.LFS interface instead");
    return lfs_reload(L);
}

/* node.LFS's __index: the virtual fields, else a module (or nil). */
static int lfs_index(vm_State *L)
{
    const char *name = vm_type(L, 2) == VM_TSTRING ||
                       vm_type(L, 2) == VM_TNUMBER ? vm_tostring(L, 2)
                                                   : NULL;
    if (name == NULL) {
        vm_pushnil(L);
    } else if (strcmp(name, "config") == 0) {
        push_config(L);
    } else if (strcmp(name, "time") == 0) {
        push_directory(L);
        vm_pop(L, 1);
    } else {
        vm_pushlfsmodule(L, name);
    }
    return 1;
}

static const vm_roentry lfs_meta[] = {
    VM_RO_F("__index", lfs_index),
    VM_RO_END
};

static const vm_roentry lfs_tab[] = {
    VM_RO_M(lfs_meta),
    VM_RO_F("get", lfs_get),
    VM_RO_F("list", lfs_list),
    VM_RO_F("reload", lfs_reload),
    VM_RO_END
};

/* ---- the global LFS ----------------------------------------------------- */

/* LFS.name: the module (or nil); no virtual fields (docs/lfs51.md §8: with
** the current firmware, _init.lua's LFS._time, _config and _list are nil
** too). */
static int global_index(vm_State *L)
{
    if (vm_type(L, 2) == VM_TSTRING)
        vm_pushlfsmodule(L, vm_tostring(L, 2));
    else
        vm_pushnil(L);
    return 1;
}

static int global_newindex(vm_State *L)
{
    vm_settop(L, 2);
    vm_tolstring_meta(L, 2, NULL);
    return vm_errorf(L, "LFS is readonly. Invalid write to LFS.%s",
                     vm_tostring(L, -1));
}

static const vm_roentry global_meta[] = {
    VM_RO_F("__index", global_index),
    VM_RO_F("__newindex", global_newindex),
    VM_RO_END
};

/* ---- node --------------------------------------------------------------- */

static int node_heap(vm_State *L)
{
    vm_heapstats st;
    vm_heap(L, &st);
    vm_pushnumber(L, st.size - st.used);
    return 1;
}

static int node_chipid(vm_State *L)
{
    vm_pushnumber(L, chip_id());
    return 1;
}

static int node_flashid(vm_State *L)
{
    vm_pushnumber(L, flash_id());
    return 1;
}

static int node_flashsize(vm_State *L)
{
    vm_pushnumber(L, plat_flash_size());
    return 1;
}

/* node.info([group]): a table for "lfs", "hw", "sw_version" and
** "build_config"; without a group, the legacy eight numbers. */
static int node_info(vm_State *L)
{
    static const char *const groups[] = {
        "lfs", "hw", "sw_version", "build_config", "legacy", NULL
    };
    uint32_t mapped, base, size = 0, used;
    switch (vm_checkoption(L, 1, "legacy", groups)) {
    case 0:
        push_config(L);
        return 1;
    case 1:
        vm_createtable(L, 0, 5);
        set_int(L, "chip_id", chip_id());
        set_int(L, "flash_id", flash_id());
        set_int(L, "flash_size", plat_flash_size() / 1024);
        set_int(L, "flash_mode", FLASH_MODE);
        set_int(L, "flash_speed", FLASH_SPEED);
        return 1;
    case 2:
        vm_createtable(L, 0, 7);
        set_int(L, "node_version_major", VERSION_MAJOR);
        set_int(L, "node_version_minor", VERSION_MINOR);
        set_int(L, "node_version_revision", VERSION_REVISION);
        set_string(L, "git_branch", "simulator");
        set_string(L, "git_commit_id", "");
        set_string(L, "git_release", "");
        set_string(L, "git_commit_dts", "");
        return 1;
    case 3:
        vm_lfsinfo(L, &mapped, &base, &size, &used);
        vm_createtable(L, 0, 4);
        vm_pushboolean(L, 0);
        vm_setfield(L, -2, "ssl");
        set_int(L, "lfs_size", size);
        set_string(L, "modules", MODULES);
        set_string(L, "number_type", vm_integral(L) ? "integer" : "float");
        return 1;
    default:
        deprecated(L, "node.info() without parameter", "in the next version");
        vm_pushinteger(L, VERSION_MAJOR);
        vm_pushinteger(L, VERSION_MINOR);
        vm_pushinteger(L, VERSION_REVISION);
        vm_pushnumber(L, chip_id());
        vm_pushnumber(L, flash_id());
        vm_pushnumber(L, plat_flash_size() / 1024);
        vm_pushinteger(L, FLASH_MODE);
        vm_pushnumber(L, FLASH_SPEED);
        return 8;
    }
}

static int node_restart(vm_State *L)
{
    if (hooks.restart != NULL)
        return hooks.restart(L);
    return vm_errorf(L, "node.restart: " NOT_SUPPORTED);
}

/* node.getpartitiontable(): where LFS and SPIFFS live (flash offsets). */
static int node_getpartitiontable(vm_State *L)
{
    uint32_t base = 0, size = 0;
    vm_lfsinfo(L, NULL, &base, &size, NULL);
    vm_createtable(L, 0, 4);
    set_int(L, "lfs_addr", base);
    set_int(L, "lfs_size", size);
    set_int(L, "spiffs_addr", hooks.spiffs_addr);
    set_int(L, "spiffs_size", hooks.spiffs_size);
    return 1;
}

/* node.bootreason(): raw code (1 power on, 2 any other reset) and the
** extended reason. */
static int node_bootreason(vm_State *L)
{
    int r = hooks.boot_reason;
    vm_pushinteger(L, r == LIB_NODE_BOOT_POWER_ON ? 1 : 2);
    vm_pushinteger(L, r);
    return 2;
}

/* ---- node.task ---------------------------------------------------------- */

/* Pushes the queue table of priority p (created on first use). */
static void push_queue(vm_State *L, int p)
{
    vm_getfield(L, VM_REGISTRYINDEX, TASKS_KEY);
    if (vm_type(L, -1) != VM_TTABLE) {
        vm_pop(L, 1);
        vm_createtable(L, 3, 0);
        for (int i = 1; i <= 3; i++) {
            vm_newtable(L);
            vm_rawseti(L, -2, i);
        }
        vm_pushvalue(L, -1);
        vm_setfield(L, VM_REGISTRYINDEX, TASKS_KEY);
    }
    vm_rawgeti(L, -1, p + 1);
    vm_remove(L, -2);
}

/* node.task.post([priority,] fn) */
static int task_post(vm_State *L)
{
    int p = LIB_NODE_TASK_MEDIUM, fn = 1;
    if (vm_type(L, 1) == VM_TNUMBER) {
        p = vm_checkint(L, 1);
        vm_argcheck(L, p >= LIB_NODE_TASK_LOW && p <= LIB_NODE_TASK_HIGH, 1,
                    "invalid priority");
        fn = 2;
    }
    vm_checktype(L, fn, VM_TFUNCTION);
    push_queue(L, p);
    vm_pushvalue(L, fn);
    vm_rawseti(L, -2, (int)++task_tail[p]);
    return 0;
}

int lib_node_pushtask(vm_State *L)
{
    for (int p = LIB_NODE_TASK_HIGH; p >= LIB_NODE_TASK_LOW; p--) {
        if (task_head[p] == task_tail[p])
            continue;
        push_queue(L, p);
        int i = (int)++task_head[p];
        vm_rawgeti(L, -1, i);                       /* queue, fn */
        vm_pushnil(L);
        vm_rawseti(L, -3, i);
        vm_remove(L, -2);                           /* fn        */
        vm_pushinteger(L, p);
        return 1;
    }
    return 0;
}

static const vm_roentry task_tab[] = {
    VM_RO_F("post", task_post),
    VM_RO_N("LOW_PRIORITY", LIB_NODE_TASK_LOW),
    VM_RO_N("MEDIUM_PRIORITY", LIB_NODE_TASK_MEDIUM),
    VM_RO_N("HIGH_PRIORITY", LIB_NODE_TASK_HIGH),
    VM_RO_END
};

static const vm_roentry lib_node_tab[] = {
    VM_RO_T("LFS", lfs_tab),
    VM_RO_F("bootreason", node_bootreason),
    VM_RO_F("chipid", node_chipid),
    VM_RO_F("flashid", node_flashid),
    VM_RO_F("flashindex", lfs_get),
    VM_RO_F("flashreload", lfs_flashreload),
    VM_RO_F("flashsize", node_flashsize),
    VM_RO_F("getpartitiontable", node_getpartitiontable),
    VM_RO_F("heap", node_heap),
    VM_RO_F("info", node_info),
    VM_RO_F("restart", node_restart),
    VM_RO_T("task", task_tab),
    VM_RO_END
};

int lib_node_open(vm_State *L)
{
    memset(task_head, 0, sizeof task_head);
    memset(task_tail, 0, sizeof task_tail);
    vm_pushrotable(L, lib_node_tab);
    vm_setglobal(L, "node");
    vm_createtable(L, 0, 0);            /* empty: every access is a miss */
    vm_pushrotable(L, global_meta);
    vm_setmetatable(L, -2);
    vm_setglobal(L, "LFS");
    return 0;
}
