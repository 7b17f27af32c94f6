/*
** lib_package.c: require, module and the package table of NodeMCU's Lua
** 5.1 firmware. package is a RAM table (path and the others are
** assignable): lib_package_open fills it from the ROTable lib_package_tab
** (loadlib, seeall, config, path "?.lc;?.lua", cpath "") and adds loaded
** (the registry's _LOADED), preload and loaders, the searchers require
** tries in order:
**   1. package.preload[name];
**   2. files: each template of package.path, '?' replaced by the name with
**      dots turned into '/', loaded with vm_loadfile;
**   3. LFS: the module's function from the LFS index (vm_pushlfsmodule),
**      where NodeMCU's lua_examples/lfs/_init.lua puts its loader, so a
**      file in SPIFFS wins over the LFS copy. It adds nothing to the "not
**      found" message, as _init.lua's loader does not.
** There are no C searchers (NodeMCU's cpath is empty). As in NodeMCU, a
** name whose global is a ROTable (a built-in library such as "node") is
** not searched: require returns the ROTable, module does nothing.
** Spec: Lua 5.1 manual §5.3; docs/lfs51.md §5.3 and §8 (the LFS searcher).
** May call: vm.h, libc.
*/
#include <string.h>

#include "firmware/lib/lib.h"

#define LOADED_KEY "_LOADED"       /* registry: package.loaded            */
#define PATH_DEFAULT "?.lc;?.lua"  /* NodeMCU's LUA_PATH_DEFAULT          */
#define DL_MSG "dynamic libraries not enabled; check your Lua installation"

/* The value package.loaded[name] holds while name is being loaded: this
** function, as a light function (unique, truthy, no allocation, and not a
** table, which module() would take for the module). Never called. */
static int loading(vm_State *L)
{
    (void)L;
    return 0;
}

static int is_loading(vm_State *L, int idx)
{
    return vm_type(L, idx) == VM_TFUNCTION &&
           vm_tocfunction(L, idx) == loading;
}

/* Pushes package[field] (package looked up as a global, as 5.1 does). */
static void push_package_field(vm_State *L, const char *field)
{
    vm_getglobal(L, "package");
    vm_getfield(L, -1, field);
    vm_remove(L, -2);
}

/* Pushes s[0..len) with every character c replaced by repl. */
static const char *push_replaced(vm_State *L, const char *s, size_t len,
                                 char c, const char *repl)
{
    vm_Buffer b;
    const char *end = s + len, *p;
    vm_buffinit(L, &b);
    while ((p = memchr(s, c, (size_t)(end - s))) != NULL) {
        vm_addlstring(&b, s, (size_t)(p - s));
        vm_addstring(&b, repl);
        s = p + 1;
    }
    vm_addlstring(&b, s, (size_t)(end - s));
    vm_pushresult(&b);
    return vm_tostring(L, -1);
}

/* ---- searchers ---------------------------------------------------------- */

/* 1. package.preload[name], or why not. */
static int search_preload(vm_State *L)
{
    const char *name = vm_checkstring(L, 1);
    push_package_field(L, "preload");
    if (vm_type(L, -1) != VM_TTABLE)
        return vm_errorf(L, "'package.preload' must be a table");
    vm_getfield(L, -1, name);
    if (vm_type(L, -1) == VM_TNIL)
        vm_pushfstring(L, "\n\tno field package.preload['%s']", name);
    return 1;
}

/* 2. A file on package.path: its loaded chunk, or the list of files
** tried. A file that exists but does not load is an error. */
static int search_file(vm_State *L)
{
    const char *name = vm_checkstring(L, 1);
    const char *path, *file;
    int status;
    vm_settop(L, 1);
    push_replaced(L, name, strlen(name), '.', "/");       /* 2: a/b     */
    push_package_field(L, "path");                        /* 3          */
    path = vm_tostring(L, 3);
    if (path == NULL)
        return vm_errorf(L, "'package.path' must be a string");
    vm_pushliteral(L, "");                                /* 4: message */
    for (;;) {
        const char *end;
        while (*path == ';')
            path++;
        if (*path == '\0')
            break;
        end = strchr(path, ';');
        if (end == NULL)
            end = path + strlen(path);
        file = push_replaced(L, path, (size_t)(end - path), '?',
                             vm_tostring(L, 2));          /* 5          */
        path = end;
        status = vm_loadfile(L, file);                    /* 6          */
        if (status == VM_OK)
            return 1;
        if (status != VM_ERRFILE)
            return vm_errorf(L, "error loading module '%s' from file '%s'"
                             ":\n\t%s", name, file, vm_tostring(L, 6));
        vm_pop(L, 1);
        vm_pushfstring(L, "\n\tno file '%s'", file);
        vm_remove(L, 5);
        vm_concat(L, 2);
    }
    return 1;                                       /* the message at 4 */
}

/* 3. An LFS module's function, or nil (no message). */
static int search_lfs(vm_State *L)
{
    vm_pushlfsmodule(L, vm_checkstring(L, 1));
    return 1;
}

/* ---- require ------------------------------------------------------------ */

/* require(name): package.loaded[name], loading it first if needed. */
static int pk_require(vm_State *L)
{
    const char *name = vm_checkstring(L, 1);
    int i;
    vm_settop(L, 1);
    vm_getfield(L, VM_REGISTRYINDEX, LOADED_KEY);             /* 2      */
    vm_getfield(L, 2, name);
    if (vm_toboolean(L, -1)) {
        if (is_loading(L, -1))
            return vm_errorf(L, "loop or previous error loading module"
                             " '%s'", name);
        return 1;
    }
    vm_pop(L, 1);
    vm_getglobal(L, name);              /* NodeMCU: a ROTable library  */
    if (vm_isrotable(L, -1))
        return 1;
    vm_pop(L, 1);
    push_package_field(L, "loaders");                         /* 3      */
    if (vm_type(L, 3) != VM_TTABLE)
        return vm_errorf(L, "'package.loaders' must be a table");
    vm_pushliteral(L, "");                                    /* 4      */
    for (i = 1;; i++) {
        vm_rawgeti(L, 3, i);                                  /* 5      */
        if (vm_type(L, 5) == VM_TNIL)
            return vm_errorf(L, "module '%s' not found:%s", name,
                             vm_tostring(L, 4));
        vm_pushstring(L, name);
        vm_call(L, 1, 1);
        if (vm_type(L, 5) == VM_TFUNCTION)
            break;
        if (vm_isstring(L, 5))
            vm_concat(L, 2);
        else
            vm_pop(L, 1);
    }
    vm_pushlightfunction(L, loading);
    vm_setfield(L, 2, name);
    vm_pushstring(L, name);
    vm_call(L, 1, 1);                   /* run the module with its name */
    if (vm_type(L, -1) != VM_TNIL)
        vm_setfield(L, 2, name);
    vm_getfield(L, 2, name);
    if (is_loading(L, -1)) {            /* it set nothing: use true     */
        vm_pushboolean(L, 1);
        vm_pushvalue(L, -1);
        vm_setfield(L, 2, name);
    }
    return 1;
}

/* ---- module ------------------------------------------------------------- */

/* Pushes the table at the dotted path name from the table at idx,
** creating missing levels; NULL, or the part that is not a table (nothing
** pushed). */
static const char *find_table(vm_State *L, int idx, const char *name)
{
    const char *end;
    vm_pushvalue(L, idx);
    do {
        end = strchr(name, '.');
        if (end == NULL)
            end = name + strlen(name);
        vm_pushlstring(L, name, (size_t)(end - name));
        vm_rawget(L, -2);
        if (vm_type(L, -1) == VM_TNIL) {
            vm_pop(L, 1);
            vm_createtable(L, 0, 1);
            vm_pushlstring(L, name, (size_t)(end - name));
            vm_pushvalue(L, -2);
            vm_settable(L, -4);
        } else if (vm_type(L, -1) != VM_TTABLE) {
            vm_pop(L, 2);
            return name;
        }
        vm_remove(L, -2);
        name = end + 1;
    } while (*end == '.');
    return NULL;
}

/* module(name, ...): the 5.1 module system. */
static int pk_module(vm_State *L)
{
    const char *name = vm_checkstring(L, 1);
    int nopts = vm_gettop(L), loaded = nopts + 1, i;
    const char *dot;
    vm_Debug ar;
    vm_getglobal(L, name);              /* NodeMCU: a ROTable library  */
    if (vm_isrotable(L, -1))
        return 0;
    vm_pop(L, 1);
    vm_getfield(L, VM_REGISTRYINDEX, LOADED_KEY);        /* loaded      */
    vm_getfield(L, loaded, name);
    if (vm_type(L, -1) != VM_TTABLE) {
        vm_pop(L, 1);
        if (find_table(L, VM_GLOBALSINDEX, name) != NULL)
            return vm_errorf(L, "name conflict for module '%s'", name);
        vm_pushvalue(L, -1);
        vm_setfield(L, loaded, name);
    }
    vm_getfield(L, -1, "_NAME");
    if (vm_type(L, -1) == VM_TNIL) {    /* a new module: initialise it */
        vm_pop(L, 1);
        vm_pushvalue(L, -1);
        vm_setfield(L, -2, "_M");
        vm_pushstring(L, name);
        vm_setfield(L, -2, "_NAME");
        dot = strrchr(name, '.');
        vm_pushlstring(L, name, dot ? (size_t)(dot - name + 1) : 0);
        vm_setfield(L, -2, "_PACKAGE");
    } else {
        vm_pop(L, 1);
    }
    /* the calling Lua function gets the module as its environment */
    if (!vm_getstack(L, 1, &ar) || !vm_getinfo(L, "f", &ar) ||
        vm_iscfunction(L, -1))
        return vm_errorf(L, "'module' not called from a Lua function");
    vm_pushvalue(L, -2);
    vm_setfenv(L, -2);
    vm_pop(L, 1);
    for (i = 2; i <= nopts; i++) {      /* options: f(module)           */
        vm_pushvalue(L, i);
        vm_pushvalue(L, -2);
        vm_call(L, 1, 0);
    }
    return 0;
}

/* package.seeall(module): globals visible through module's metatable. */
static int pk_seeall(vm_State *L)
{
    vm_checktype(L, 1, VM_TTABLE);
    if (!vm_getmetatable(L, 1)) {
        vm_createtable(L, 0, 1);
        vm_pushvalue(L, -1);
        vm_setmetatable(L, 1);
    }
    vm_pushvalue(L, VM_GLOBALSINDEX);
    vm_setfield(L, -2, "__index");
    return 0;
}

/* package.loadlib(path, init): there are no dynamic libraries. */
static int pk_loadlib(vm_State *L)
{
    vm_checkstring(L, 1);
    vm_checkstring(L, 2);
    vm_pushnil(L);
    vm_pushliteral(L, DL_MSG);
    vm_pushliteral(L, "absent");
    return 3;
}

/* What package starts with; lib_package_open copies it into RAM. */
static const vm_roentry lib_package_tab[] = {
    VM_RO_S("config", "/\n;\n?\n!\n-"),
    VM_RO_S("cpath", ""),
    VM_RO_F("loadlib", pk_loadlib),
    VM_RO_S("path", PATH_DEFAULT),
    VM_RO_F("seeall", pk_seeall),
    VM_RO_END
};

static const vm_CFunction searchers[] = {
    search_preload, search_file, search_lfs
};

int lib_package_open(vm_State *L)
{
    int pkg, i;
    vm_createtable(L, 0, 8);
    pkg = vm_gettop(L);
    vm_pushrotable(L, lib_package_tab);
    vm_pushnil(L);
    while (vm_next(L, pkg + 1)) {       /* package[k] = v for each entry */
        vm_pushvalue(L, -2);
        vm_insert(L, -2);
        vm_rawset(L, pkg);
    }
    vm_pop(L, 1);
    vm_createtable(L, 3, 0);
    for (i = 0; i < 3; i++) {
        vm_pushlightfunction(L, searchers[i]);
        vm_rawseti(L, -2, i + 1);
    }
    vm_setfield(L, pkg, "loaders");
    vm_newtable(L);
    vm_setfield(L, pkg, "preload");
    vm_getfield(L, VM_REGISTRYINDEX, LOADED_KEY);
    if (vm_type(L, -1) != VM_TTABLE) {
        vm_pop(L, 1);
        vm_createtable(L, 0, 2);
        vm_pushvalue(L, -1);
        vm_setfield(L, VM_REGISTRYINDEX, LOADED_KEY);
    }
    vm_pushvalue(L, pkg);
    vm_setfield(L, -2, "package");
    vm_pushvalue(L, VM_GLOBALSINDEX);
    vm_setfield(L, -2, "_G");
    vm_setfield(L, pkg, "loaded");
    vm_pushvalue(L, pkg);
    vm_setglobal(L, "package");
    vm_pushlightfunction(L, pk_require);
    vm_setglobal(L, "require");
    vm_pushlightfunction(L, pk_module);
    vm_setglobal(L, "module");
    vm_settop(L, pkg - 1);
    return 0;
}
