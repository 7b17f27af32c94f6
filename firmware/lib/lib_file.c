/*
** lib_file.c: the file library of NodeMCU's Lua 5.1 firmware over the
** SPIFFS the platform mounted (lib_file.h, plat_fs.h), as the ROTable
** lib_file_tab: open (modes r w a r+ w+ a+, "b" ignored) returning a file
** object (metatable "file.obj": close, read, readline, write, writeline,
** seek, flush, __gc), the same functions on the last opened file
** (file.read() ...), list, remove, rename, exists, stat, fsinfo, fscfg,
** format, getcontents and putcontents. With a file system, loadfile,
** dofile and require's file searcher (package.loaders[2]) read it.
**
** A file object is a userdata holding the name, a position and the mode;
** every call goes to the SPIFFS library by name (it has no handles):
** reads at the position, writes at the end are appends, and a write
** before the end (r+, w+ after a seek) rewrites the file (in one step:
** the old or the new bytes after a power cut, docs/spiffs.md §5.6). At most
** MAX_OPEN files are open at once (SPIFFS_MAX_OPEN_FILES); open returns
** nil beyond that. Failures are nil (or false) results, as NodeMCU's;
** only bad arguments raise errors.
** Spec: NodeMCU 3.0 docs/modules/file.md (5.1 branch); docs/spiffs.md §1.12
** (names), §1.17 (fsinfo), §5.8. Twin: lib_file.h. May call: vm.h, plat_fs
** (the SPIFFS library through its table), libc.
*/
#include "firmware/lib/lib_file.h"

#include <stdlib.h>
#include <string.h>

#include "firmware/lib/lib.h"

#define MAX_OPEN     4          /* SPIFFS_MAX_OPEN_FILES                  */
#define READ_CHUNK   1024       /* FILE_READ_CHUNK: read()'s default      */
#define LINE_MAX_    1024       /* readline's limit                       */
#define CURRENT_KEY  "file.current"   /* registry: the last opened file  */
#define PATH_KEY     "path"

enum { M_READ = 1, M_WRITE = 2, M_APPEND = 4 };

typedef struct fd {
    char name[SPIFFS_NAME_LEN + 1];
    uint32_t pos;
    uint8_t mode;               /* M_* bits                               */
    uint8_t open;
} fd_t;

static plat_fs_t the_fs;
static int have_fs;
static int nopen;               /* open file objects                      */

void lib_file_setfs(const plat_fs_t *fs)
{
    have_fs = fs != NULL && fs->fs != NULL && fs->op != NULL;
    if (have_fs)
        the_fs = *fs;
    else
        memset(&the_fs, 0, sizeof the_fs);
}

const plat_fs_t *lib_file_fs(void)
{
    return have_fs ? &the_fs : NULL;
}

int lib_file_slurp(const plat_fs_t *fs, const char *name, char **data,
                   size_t *n)
{
    spiffs_stat_t st;
    *data = NULL;
    *n = 0;
    if (fs == NULL || fs->fs == NULL)
        return SPIFFS_ENOENT;
    int r = fs->op->stat(fs->fs, name, &st);
    if (r < 0)
        return r;
    char *p = malloc(st.size ? st.size : 1);
    if (p == NULL)
        return SPIFFS_EIO;
    long got = st.size ? fs->op->read(fs->fs, name, 0, p, st.size) : 0;
    if (got < 0 || (uint32_t)got != st.size) {
        free(p);
        return got < 0 ? (int)got : SPIFFS_ECORRUPT;
    }
    *data = p;
    *n = st.size;
    return 0;
}

/* ---- names and sizes ---------------------------------------------------- */

/* The name argument: a string of at most 31 bytes (FS_OBJ_NAME_LEN). */
static const char *check_name(vm_State *L, int arg)
{
    size_t len;
    const char *name = vm_checklstring(L, arg, &len);
    vm_argcheck(L, len <= SPIFFS_NAME_MAX && strlen(name) == len, arg,
                "filename invalid");
    return name;
}

/* A name SPIFFS takes (docs/spiffs.md §1.12): 1..31 bytes, no leading '/'. */
static int name_ok(const char *name)
{
    size_t n = strlen(name);
    return n > 0 && n <= SPIFFS_NAME_MAX && name[0] != '/';
}

/* Size of a file, or -1 if there is no such file (or no file system). */
static long file_size(const char *name)
{
    spiffs_stat_t st;
    if (!have_fs || the_fs.op->stat(the_fs.fs, name, &st) < 0)
        return -1;
    return (long)st.size;
}

/* ---- file objects ------------------------------------------------------- */

static int fd_gc(vm_State *L);
static int fd_close(vm_State *L);
static int fd_read(vm_State *L);
static int fd_readline(vm_State *L);
static int fd_write(vm_State *L);
static int fd_writeline(vm_State *L);
static int fd_seek(vm_State *L);
static int fd_flush(vm_State *L);

static const vm_roentry fd_methods[] = {
    VM_RO_F("close", fd_close),
    VM_RO_F("flush", fd_flush),
    VM_RO_F("read", fd_read),
    VM_RO_F("readline", fd_readline),
    VM_RO_F("seek", fd_seek),
    VM_RO_F("write", fd_write),
    VM_RO_F("writeline", fd_writeline),
    VM_RO_END
};

static const vm_roentry fd_meta[] = {
    VM_RO_T("__index", fd_methods),
    VM_RO_F("__gc", fd_gc),
    VM_RO_END
};

/* The file object at idx, or NULL if the value is none. */
static fd_t *to_fd(vm_State *L, int idx)
{
    if (vm_type(L, idx) != VM_TUSERDATA || !vm_getmetatable(L, idx))
        return NULL;
    vm_pushrotable(L, fd_meta);
    int same = vm_rawequal(L, -1, -2);
    vm_pop(L, 2);
    return same ? vm_touserdata(L, idx) : NULL;
}

/* The file a call works on: the object at argument 1 (then *arg = 2) or
** the last opened file (*arg = 1). Raises "open a file first". */
static fd_t *get_fd(vm_State *L, int *arg)
{
    fd_t *f = to_fd(L, 1);
    if (f != NULL) {
        *arg = 2;
    } else {
        *arg = 1;
        vm_getfield(L, VM_REGISTRYINDEX, CURRENT_KEY);
        f = to_fd(L, -1);
        vm_pop(L, 1);
    }
    if (f == NULL || !f->open)
        vm_errorf(L, "open a file first");
    return f;
}

static void close_fd(fd_t *f)
{
    if (f->open) {
        f->open = 0;
        nopen--;
    }
}

static int fd_gc(vm_State *L)
{
    fd_t *f = to_fd(L, 1);
    if (f != NULL)
        close_fd(f);
    return 0;
}

/* Parse a mode string: r w a r+ w+ a+, each optionally with 'b'. */
static int parse_mode(const char *m)
{
    int bits;
    switch (m[0]) {
    case 'r': bits = M_READ; break;
    case 'w': bits = M_WRITE; break;
    case 'a': bits = M_WRITE | M_APPEND; break;
    default: return -1;
    }
    m++;
    if (*m == 'b')
        m++;
    if (*m == '+') {
        bits |= M_READ | M_WRITE;
        m++;
    }
    if (*m == 'b')
        m++;
    return *m ? -1 : bits;
}

/* file.open(name [, mode]) */
static int file_open(vm_State *L)
{
    const char *name = check_name(L, 1);
    const char *ms = vm_optstring(L, 2, "r");
    int mode = parse_mode(ms);
    vm_argcheck(L, mode > 0, 2, "invalid mode");
    if (!have_fs || nopen >= MAX_OPEN || !name_ok(name)) {
        vm_pushnil(L);
        return 1;
    }
    long size = file_size(name);
    if (ms[0] == 'r' && size < 0) {
        vm_pushnil(L);
        return 1;
    }
    if (ms[0] == 'w') {
        if (size >= 0 && the_fs.op->remove(the_fs.fs, name) < 0) {
            vm_pushnil(L);
            return 1;
        }
        size = -1;
    }
    if (size < 0 && the_fs.op->create(the_fs.fs, name) < 0) {
        vm_pushnil(L);
        return 1;
    }
    fd_t *f = vm_newuserdata(L, sizeof *f);
    memset(f, 0, sizeof *f);
    memcpy(f->name, name, strlen(name) + 1);
    f->mode = (uint8_t)mode;
    f->open = 1;
    nopen++;
    vm_pushrotable(L, fd_meta);
    vm_setmetatable(L, -2);
    vm_pushvalue(L, -1);
    vm_setfield(L, VM_REGISTRYINDEX, CURRENT_KEY);
    return 1;
}

/* file.close(), fd:close() */
static int fd_close(vm_State *L)
{
    fd_t *f = to_fd(L, 1);
    if (f == NULL) {
        vm_getfield(L, VM_REGISTRYINDEX, CURRENT_KEY);
        f = to_fd(L, -1);
        vm_pop(L, 1);
    }
    if (f != NULL)
        close_fd(f);
    return 0;
}

/* Reads up to n bytes at the position, stopping after the byte `end`
** (-1: none); pushes them, or nil at the end of the file. */
static int read_common(vm_State *L, fd_t *f, uint32_t n, int end)
{
    char buf[256];
    vm_Buffer b;
    uint32_t got = 0;
    if (!(f->mode & M_READ)) {
        vm_pushnil(L);
        return 1;
    }
    vm_buffinit(L, &b);
    while (got < n) {
        uint32_t want = n - got < sizeof buf ? n - got : sizeof buf;
        long r = the_fs.op->read(the_fs.fs, f->name, f->pos, buf, want);
        if (r <= 0)
            break;
        uint32_t take = (uint32_t)r;
        if (end >= 0) {
            const char *e = memchr(buf, end, take);
            if (e != NULL)
                take = (uint32_t)(e - buf) + 1;
        }
        vm_addlstring(&b, buf, take);
        f->pos += take;
        got += take;
        if (take < (uint32_t)r || (end >= 0 && buf[take - 1] == end))
            break;
    }
    vm_pushresult(&b);
    if (got == 0) {
        vm_pop(L, 1);
        vm_pushnil(L);
    }
    return 1;
}

/* read([n | endchar]) */
static int fd_read(vm_State *L)
{
    int arg;
    fd_t *f = get_fd(L, &arg);
    uint32_t n = READ_CHUNK;
    int end = -1;
    if (vm_type(L, arg) == VM_TNUMBER) {
        vm_Integer k = vm_tointeger(L, arg);
        n = k > 0 ? (uint32_t)k : 0;
    } else if (vm_type(L, arg) == VM_TSTRING) {
        const char *s = vm_tostring(L, arg);
        end = (unsigned char)s[0];
    } else if (vm_type(L, arg) > VM_TNIL) {
        return vm_typerror(L, arg, "number");
    }
    if (n == 0) {
        vm_pushnil(L);
        return 1;
    }
    return read_common(L, f, n, end);
}

static int fd_readline(vm_State *L)
{
    int arg;
    fd_t *f = get_fd(L, &arg);
    return read_common(L, f, LINE_MAX_, '\n');
}

/* Write s at the position: an append at the end, else a rewrite. */
static int write_at(fd_t *f, const char *s, size_t n)
{
    spiffs_stat_t st;
    int r;
    if (!(f->mode & M_WRITE) ||
        (r = the_fs.op->stat(the_fs.fs, f->name, &st)) < 0)
        return -1;
    if (f->mode & M_APPEND)
        f->pos = st.size;
    if (n == 0)
        return 0;
    if (f->pos >= st.size) {
        f->pos = st.size;
        if (the_fs.op->append(the_fs.fs, f->name, s, n) < 0)
            return -1;
        f->pos += (uint32_t)n;
        return 0;
    }
    /* inside the file: read, patch, write it again */
    size_t total = f->pos + n > st.size ? f->pos + n : st.size;
    char *buf = malloc(total);
    if (buf == NULL)
        return -1;
    long got = the_fs.op->read(the_fs.fs, f->name, 0, buf, st.size);
    if (got != (long)st.size) {
        free(buf);
        return -1;
    }
    memcpy(buf + f->pos, s, n);
    r = the_fs.op->write_file(the_fs.fs, f->name, buf, total);
    free(buf);
    if (r < 0)
        return -1;
    f->pos += (uint32_t)n;
    return 0;
}

static int write_common(vm_State *L, int newline)
{
    int arg;
    fd_t *f = get_fd(L, &arg);
    size_t n;
    const char *s = vm_checklstring(L, arg, &n);
    int ok = write_at(f, s, n) == 0 && (!newline || write_at(f, "\n", 1) == 0);
    if (ok)
        vm_pushboolean(L, 1);
    else
        vm_pushnil(L);
    return 1;
}

static int fd_write(vm_State *L)
{
    return write_common(L, 0);
}

static int fd_writeline(vm_State *L)
{
    return write_common(L, 1);
}

/* seek([whence [, offset]]): the new position, or nil. */
static int fd_seek(vm_State *L)
{
    static const char *const names[] = { "set", "cur", "end", NULL };
    int arg;
    fd_t *f = get_fd(L, &arg);
    int whence = vm_checkoption(L, arg, "cur", names);
    vm_Integer off = vm_optinteger(L, arg + 1, 0);
    long size = file_size(f->name);
    int64_t at = whence == 0 ? 0 : whence == 1 ? (int64_t)f->pos : size;
    at += off;
    if (size < 0 || at < 0 || at > size) {
        vm_pushnil(L);
        return 1;
    }
    f->pos = (uint32_t)at;
    vm_pushinteger(L, (vm_Integer)at);
    return 1;
}

static int fd_flush(vm_State *L)
{
    int arg;
    get_fd(L, &arg);
    vm_pushboolean(L, 1);
    return 1;
}

/* ---- the file system ---------------------------------------------------- */

typedef struct names {
    spiffs_stat_t *v;
    size_t n, cap;
} names_t;

static int collect(void *ctx, const spiffs_stat_t *st)
{
    names_t *ns = ctx;
    if (ns->n == ns->cap) {
        size_t cap = ns->cap ? 2 * ns->cap : 16;
        spiffs_stat_t *v = realloc(ns->v, cap * sizeof *v);
        if (v == NULL)
            return SPIFFS_EIO;
        ns->v = v;
        ns->cap = cap;
    }
    ns->v[ns->n++] = *st;
    return 0;
}

/* Does string.match(name, pattern) find something? */
static int matches(vm_State *L, const char *name, int pattern)
{
    vm_getglobal(L, "string");
    vm_getfield(L, -1, "match");
    vm_remove(L, -2);
    vm_pushstring(L, name);
    vm_pushvalue(L, pattern);
    vm_call(L, 2, 1);
    int found = vm_type(L, -1) != VM_TNIL;
    vm_pop(L, 1);
    return found;
}

/* file.list([pattern]): { name = size, ... } */
static int file_list(vm_State *L)
{
    names_t ns = { NULL, 0, 0 };
    int pattern = vm_type(L, 1) > VM_TNIL;
    if (pattern)
        vm_checkstring(L, 1);
    if (have_fs)
        the_fs.op->list(the_fs.fs, collect, &ns);
    /* move the names onto the VM heap before anything can raise */
    vm_createtable(L, 0, (int)ns.n);
    int t = vm_gettop(L);
    for (size_t i = 0; i < ns.n; i++) {
        vm_pushstring(L, ns.v[i].name);
        vm_pushinteger(L, (vm_Integer)ns.v[i].size);
        vm_rawset(L, t);
    }
    free(ns.v);
    if (!pattern)
        return 1;
    vm_newtable(L);
    vm_pushnil(L);
    while (vm_next(L, t)) {
        if (matches(L, vm_tostring(L, -2), 1)) {
            vm_pushvalue(L, -2);
            vm_pushvalue(L, -2);
            vm_rawset(L, t + 1);
        }
        vm_pop(L, 1);
    }
    return 1;
}

static int file_remove(vm_State *L)
{
    const char *name = check_name(L, 1);
    if (have_fs)
        the_fs.op->remove(the_fs.fs, name);
    return 0;
}

static int file_rename(vm_State *L)
{
    const char *from = check_name(L, 1), *to = check_name(L, 2);
    vm_pushboolean(L, have_fs && name_ok(to) &&
                      the_fs.op->rename(the_fs.fs, from, to) == 0);
    return 1;
}

static int file_exists(vm_State *L)
{
    const char *name = check_name(L, 1);
    vm_pushboolean(L, file_size(name) >= 0);
    return 1;
}

static void set_num(vm_State *L, const char *k, vm_Number v)
{
    vm_pushnumber(L, v);
    vm_setfield(L, -2, k);
}

static void set_bool(vm_State *L, const char *k, int v)
{
    vm_pushboolean(L, v);
    vm_setfield(L, -2, k);
}

/* file.stat(name): size, name, attributes and a time (SPIFFS keeps none:
** the epoch, as NodeMCU reports it). */
static int file_stat(vm_State *L)
{
    const char *name = check_name(L, 1);
    long size = file_size(name);
    if (size < 0) {
        vm_pushnil(L);
        return 1;
    }
    vm_createtable(L, 0, 8);
    set_num(L, "size", (vm_Number)size);
    vm_pushstring(L, name);
    vm_setfield(L, -2, "name");
    set_bool(L, "is_dir", 0);
    set_bool(L, "is_rdonly", 0);
    set_bool(L, "is_hidden", 0);
    set_bool(L, "is_sys", 0);
    set_bool(L, "is_arch", 0);
    vm_createtable(L, 0, 6);
    set_num(L, "year", 1970);
    set_num(L, "mon", 1);
    set_num(L, "day", 1);
    set_num(L, "hour", 0);
    set_num(L, "min", 0);
    set_num(L, "sec", 0);
    vm_setfield(L, -2, "time");
    return 1;
}

/* file.fsinfo(): remaining, used, total bytes (docs/spiffs.md §1.17). */
static int file_fsinfo(vm_State *L)
{
    uint32_t total = 0, used = 0;
    if (!have_fs || the_fs.op->info(the_fs.fs, &total, &used) < 0)
        return vm_errorf(L, "file system not mounted");
    if (used > total)
        used = total;
    vm_pushnumber(L, total - used);
    vm_pushnumber(L, used);
    vm_pushnumber(L, total);
    return 3;
}

/* file.fscfg(): the FS region's flash offset and size. */
static int file_fscfg(vm_State *L)
{
    if (!have_fs)
        return vm_errorf(L, "file system not mounted");
    vm_pushnumber(L, the_fs.addr);
    vm_pushnumber(L, the_fs.size);
    return 2;
}

static int file_format(vm_State *L)
{
    if (!have_fs || the_fs.op->format(the_fs.fs) < 0)
        return vm_errorf(L, "Failed to format file system");
    return 0;
}

/* file.getcontents(name): the whole file, or nil. */
static int file_getcontents(vm_State *L)
{
    const char *name = check_name(L, 1);
    long size = file_size(name);
    char buf[256];
    vm_Buffer b;
    if (size < 0) {
        vm_pushnil(L);
        return 1;
    }
    vm_buffinit(L, &b);
    for (uint32_t off = 0; off < (uint32_t)size;) {
        uint32_t want = (uint32_t)size - off < sizeof buf
                      ? (uint32_t)size - off : (uint32_t)sizeof buf;
        long r = the_fs.op->read(the_fs.fs, name, off, buf, want);
        if (r <= 0)
            break;
        vm_addlstring(&b, buf, (size_t)r);
        off += (uint32_t)r;
    }
    vm_pushresult(&b);
    return 1;
}

/* file.putcontents(name, data): true, or nil. */
static int file_putcontents(vm_State *L)
{
    const char *name = check_name(L, 1);
    size_t n;
    const char *s = vm_checklstring(L, 2, &n);
    if (have_fs && name_ok(name) &&
        the_fs.op->write_file(the_fs.fs, name, s, n) == 0)
        vm_pushboolean(L, 1);
    else
        vm_pushnil(L);
    return 1;
}

static const vm_roentry lib_file_tab[] = {
    VM_RO_F("close", fd_close),
    VM_RO_F("exists", file_exists),
    VM_RO_F("flush", fd_flush),
    VM_RO_F("format", file_format),
    VM_RO_F("fscfg", file_fscfg),
    VM_RO_F("fsinfo", file_fsinfo),
    VM_RO_F("getcontents", file_getcontents),
    VM_RO_F("list", file_list),
    VM_RO_F("open", file_open),
    VM_RO_F("putcontents", file_putcontents),
    VM_RO_F("read", fd_read),
    VM_RO_F("readline", fd_readline),
    VM_RO_F("remove", file_remove),
    VM_RO_F("rename", file_rename),
    VM_RO_F("seek", fd_seek),
    VM_RO_F("stat", file_stat),
    VM_RO_F("write", fd_write),
    VM_RO_F("writeline", fd_writeline),
    VM_RO_END
};

/* ---- loading code from the file system ---------------------------------- */

/* luaL_loadfile over the file system: pushes the chunk (named "@name")
** or a message; VM_ERRFILE when the file cannot be read. */
static int load_fs(vm_State *L, const char *name)
{
    char *data, *chunkname;
    size_t n;
    if (lib_file_slurp(&the_fs, name, &data, &n) < 0) {
        vm_pushfstring(L, "cannot open %s", name);
        return VM_ERRFILE;
    }
    const char *start = data;
    size_t len = n;
    if (len > 0 && start[0] == '#') {       /* keep the newline */
        while (len > 0 && start[0] != '\n') {
            start++;
            len--;
        }
    }
    chunkname = malloc(strlen(name) + 2);
    if (chunkname == NULL) {
        free(data);
        vm_pushliteral(L, "not enough memory");
        return VM_ERRMEM;
    }
    chunkname[0] = '@';
    strcpy(chunkname + 1, name);
    int st = vm_loadbuffer(L, start, len, chunkname);
    free(chunkname);
    free(data);
    return st;
}

/* loadfile([name]) from the file system. */
static int fs_loadfile(vm_State *L)
{
    const char *name = vm_checkstring(L, 1);
    if (load_fs(L, name) == 0)
        return 1;
    vm_pushnil(L);
    vm_insert(L, -2);
    return 2;
}

/* dofile(name) from the file system. */
static int fs_dofile(vm_State *L)
{
    const char *name = vm_checkstring(L, 1);
    int n = vm_gettop(L);
    if (load_fs(L, name) != 0)
        return vm_error(L);
    vm_call(L, 0, VM_MULTRET);
    return vm_gettop(L) - n;
}

/* package.loaders[2] over the file system: each template of package.path
** with '?' replaced by the name (dots turned into '/'). */
static int fs_searcher(vm_State *L)
{
    const char *name = vm_checkstring(L, 1);
    vm_settop(L, 1);
    vm_getglobal(L, "package");
    vm_getfield(L, -1, PATH_KEY);
    const char *path = vm_tostring(L, -1);
    if (path == NULL)
        return vm_errorf(L, "'package.path' must be a string");
    vm_Buffer msg;
    vm_buffinit(L, &msg);
    while (*path) {
        const char *end = strchr(path, ';');
        size_t len = end ? (size_t)(end - path) : strlen(path);
        char file[2 * SPIFFS_NAME_LEN + 8];
        size_t k = 0;
        for (size_t i = 0; i < len && k < sizeof file - 1; i++) {
            if (path[i] != '?') {
                file[k++] = path[i];
                continue;
            }
            for (const char *c = name; *c && k < sizeof file - 1; c++)
                file[k++] = *c == '.' ? '/' : *c;
        }
        file[k] = 0;
        path += len + (end != NULL);
        if (len == 0)
            continue;
        if (file_size(file) >= 0) {
            int st = load_fs(L, file);
            if (st == 0)
                return 1;
            return vm_errorf(L, "error loading module '%s' from file '%s'"
                             ":\n\t%s", name, file, vm_tostring(L, -1));
        }
        vm_addstring(&msg, "\n\tno file '");
        vm_addstring(&msg, file);
        vm_addstring(&msg, "'");
    }
    vm_pushresult(&msg);
    return 1;
}

int lib_file_open(vm_State *L)
{
    nopen = 0;
    vm_pushrotable(L, lib_file_tab);
    vm_setglobal(L, "file");
    if (!have_fs)
        return 0;
    vm_pushcfunction(L, fs_loadfile);
    vm_setglobal(L, "loadfile");
    vm_pushcfunction(L, fs_dofile);
    vm_setglobal(L, "dofile");
    vm_getglobal(L, "package");
    if (vm_type(L, -1) == VM_TTABLE) {
        vm_getfield(L, -1, "loaders");
        if (vm_type(L, -1) == VM_TTABLE) {
            vm_pushcfunction(L, fs_searcher);
            vm_rawseti(L, -2, 2);
        }
        vm_pop(L, 1);
    }
    vm_pop(L, 1);
    return 0;
}
