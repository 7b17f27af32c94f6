#!/bin/bash
# tests/cli/node51.sh: the node library and the LFS at run time in
# nodemcu-sim (docs/lfs51.md §5.3, §8): node.LFS.get/list/time/config and
# their virtual-field rules, node.flashindex, the global LFS and its
# readonly error, require of an LFS module (after the file searcher, with
# package.loaded caching), LFS tracebacks, node.heap/chipid/flashid/info,
# debug.getstrings, all with and without an image. Env: BINDIR. PASS/FAIL
# lines.
set -u
BIN="${BINDIR:-build/rel/bin}"
BIN="$(cd "$BIN" && pwd)"
SIM="$BIN/nodemcu-sim"
LUAC="$BIN/luac.cross"
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
CLI_PREFIX=node51
CLI_LIB="$(cd "$(dirname "$0")" && pwd)/lib.bash"
# shellcheck source=tests/cli/lib.bash
. "$CLI_LIB"
cd "$T" || exit 1

# out NAME EXPECTED -- command: exit 0 and stdout exactly EXPECTED
out() {
    local name=$1 want=$2
    shift 3
    "$@" >"$T/stdout" 2>"$T/stderr"
    local rc=$?
    if [ $rc -ne 0 ]; then
        fail "$name" "exit $rc: $(head -c 300 "$T/stderr")"
    elif [ "$(cat "$T/stdout")" != "$want" ]; then
        fail "$name" "got '$(head -c 300 "$T/stdout" | tr '\n\t' '|>')'," \
             "want '$(printf '%s' "$want" | tr '\n\t' '|>')'"
    else
        pass "$name"
    fi
}

# err NAME PATTERN -- command: exit 1 and stderr matching PATTERN
err() {
    local name=$1 pat=$2
    shift 3
    "$@" >"$T/stdout" 2>"$T/stderr"
    local rc=$?
    if [ $rc -ne 1 ]; then
        fail "$name" "exit $rc, expected 1: $(head -c 300 "$T/stderr")"
    elif ! grep -qE -- "$pat" "$T/stderr"; then
        fail "$name" "stderr does not match /$pat/:" \
             "$(head -c 300 "$T/stderr" | tr '\n\t' '|>')"
    else
        pass "$name"
    fi
}

# note WHAT WHEN: NodeMCU's deprecation note
note() {
    printf 'Warning, deprecated API! %s. It will be removed %s. %s\n' "$1" \
        "$2" 'See documentation for details.'
}

if [ ! -x "$SIM" ]; then
    fail setup "no $SIM"
    exit 1
fi

# -- the image: modules in a non-sorted order, one named like a field ---------
mkdir src
printf 'print("zeta ran", ...)\nreturn "zeta value"\n' >src/zeta.lua
printf 'print("alpha ran", ...)\nreturn {n = (alpha_n or 0) + 1}\n' \
    >src/alpha.lua
printf 'return "the config module"\n' >src/config.lua
printf 'local s = "beta string constant"\nreturn s\n' >src/beta.lua
printf 'local x = 1\nerror("kaboom")\n' >src/boom.lua
(cd src && "$LUAC" -f --timestamp 1234567 -o ../app.img zeta.lua alpha.lua \
    config.lua beta.lua boom.lua >/dev/null) ||
    fail setup "luac.cross -f failed"
used=$("$LUAC" -l app.img | sed -n 's/^  image \([0-9]*\) bytes.*/\1/p')
"$LUAC" --target 5.1-int -f --timestamp 7654321 -o int.img src/zeta.lua \
    >/dev/null || fail setup "luac.cross --target 5.1-int failed"
S=("$SIM" --lfs app.img)

# -- node.LFS -----------------------------------------------------------------
out lfs_list "alpha beta boom config zeta" -- "${S[@]}" \
    -e 'print(table.concat(node.LFS.list(), " "))'
out lfs_list_fresh "true" -- "${S[@]}" \
    -e 'print(node.LFS.list() ~= node.LFS.list())'
out lfs_time "1234567" -- "${S[@]}" -e 'print(node.LFS.time)'
out lfs_time_int "7654321" -- "$SIM" --lfs int.img -e 'print(node.LFS.time)'
out lfs_config "$(printf '1076363264\t524288\t262144\t%s' "$used")" -- \
    "${S[@]}" -e 'local c = node.LFS.config
        print(c.lfs_mapped, c.lfs_base, c.lfs_size, c.lfs_used)'
out lfs_config_is_node_info "true" -- "${S[@]}" \
    -e 'local a, b = node.LFS.config, node.info("lfs")
        print(a ~= b and a.lfs_used == b.lfs_used and
              a.lfs_mapped == b.lfs_mapped)'
out lfs_get "$(printf 'function\tnil\tnil\tnil')" -- "${S[@]}" \
    -e 'print(type(node.LFS.get("alpha")), node.LFS.get("nope"),
              node.LFS.get(), node.LFS.get({}))'
out lfs_get_runs "$(printf 'zeta ran\targ\nzeta value')" -- "${S[@]}" \
    -e 'print(node.LFS.get("zeta")("arg"))'
out lfs_get_new_closure "true" -- "${S[@]}" \
    -e 'print(node.LFS.get("zeta") ~= node.LFS.get("zeta"))'
out lfs_field_module "$(printf 'function\tnil')" -- "${S[@]}" \
    -e 'print(type(node.LFS.alpha), node.LFS.nope)'
out lfs_field_config_is_virtual "$(printf 'table\tthe config module')" -- \
    "${S[@]}" -e 'print(type(node.LFS.config), node.LFS.get("config")())'
out lfs_own_entries "$(printf 'function\tfunction\tfunction')" -- \
    "${S[@]}" -e 'print(type(node.LFS.get), type(node.LFS.list),
                        type(node.LFS.reload))'
out lfs_flashindex "$(printf 'function\tnil')" -- "${S[@]}" \
    -e 'print(type(node.flashindex("beta")), node.flashindex("nope"))'
out lfs_reload_string "string" -- "${S[@]}" \
    -e 'print(type(node.LFS.reload("missing.img")))'
out lfs_flashreload_note "$(note node.flashreload \
    'soon. Use node.LFS interface instead'; echo string)" -- "${S[@]}" \
    -e 'print(type(node.flashreload("missing.img")))'

# -- the global LFS -----------------------------------------------------------
out global_lfs "$(printf 'alpha ran\nfunction\tnil\tnil')" -- "${S[@]}" \
    -e 'LFS.alpha() print(type(LFS.zeta), LFS.nope, LFS._time)'
ro='LFS is readonly\. Invalid write to LFS'
err global_lfs_readonly "^nodemcu-sim: \\(command line\\):1: $ro\\.foo\$" -- \
    "${S[@]}" -e 'LFS.foo = 1'
out global_lfs_readonly_pcall "$(printf '%s\t%s\n%s' false \
    '(command line):1: LFS is readonly. Invalid write to LFS.alpha' nil)" -- \
    "${S[@]}" -e 'print(pcall(function() LFS.alpha = print end))' \
    -e 'print(rawget(LFS, "alpha"))' \
    -e 'local ok, m = pcall(function() LFS[1] = 2 end) assert(not ok)'

# -- require and LFS ----------------------------------------------------------
out require_lfs "$(printf 'alpha ran\talpha\n1\ttrue\ttrue')" -- "${S[@]}" \
    -e 'local a = require "alpha" local b = require "alpha"
        print(a.n, a == b, package.loaded.alpha == a)'
out require_lfs_string "$(printf '%s\t%s' "beta string constant" \
    "beta string constant")" -- "${S[@]}" \
    -e 'print(require "beta", package.loaded.beta)'
out require_node_rotable "$(printf 'true\tnil')" -- "${S[@]}" \
    -e 'print(require("node") == node, package.loaded.node)'
mkdir files
printf 'print("file alpha")\nreturn "from file"\n' >files/alpha.lua
printf 'return "from lc"\n' >files/zeta.lua
"$LUAC" -o files/zeta.lc files/zeta.lua
rm files/zeta.lua
out require_file_wins "$(printf 'file alpha\nfrom file\tfrom lc')" -- \
    sh -c "cd files && '$SIM' --lfs ../app.img \
           -e 'print(require \"alpha\", require \"zeta\")'"
out require_lfs_last "$(printf 'true\t3')" -- "${S[@]}" \
    -e 'print(package.loaders[3]("zeta") ~= nil, #package.loaders)'
err require_not_found \
    "module 'nope' not found:" -- "${S[@]}" -e 'require "nope"'
"${S[@]}" -e 'print(select(2, pcall(require, "nope")))' >"$T/o" 2>&1
notfound() {
    printf "module '%s' not found:\n\tno field package.preload['%s']" "$1" "$1"
    printf "\n\tno file '%s.lc'\n\tno file '%s.lua'" "$1" "$1"
}
want=$(notfound nope)
if [ "$(cat "$T/o")" = "$want" ]; then
    pass require_not_found_message
else
    fail require_not_found_message "$(head -c 300 "$T/o" | tr '\n\t' '|>')"
fi
out package_paths "$(printf '?.lc;?.lua\t')" -- "${S[@]}" \
    -e 'print(package.path, package.cpath)'
dl='dynamic libraries not enabled; check your Lua installation'
out package_loadlib "$(printf 'nil\t%s\tabsent' "$dl")" -- "${S[@]}" \
    -e 'print(package.loadlib("x.so", "luaopen_x"))'

# -- LFS code in tracebacks ---------------------------------------------------
err lfs_error_where '^nodemcu-sim: boom\.lua:2: kaboom$' -- \
    "${S[@]}" -e 'LFS.boom()'
if grep -qP '^\tboom\.lua:2: in function .boom.$' "$T/stderr"; then
    pass lfs_traceback_line
else
    fail lfs_traceback_line "$(tr '\n\t' '|>' <"$T/stderr" | head -c 300)"
fi

# -- without an image ---------------------------------------------------------
out nolfs_lfs "$(printf 'nil\tnil\tnil\tnil\tnil')" -- "$SIM" \
    -e 'print(node.LFS.list(), node.LFS.time, node.LFS.get("alpha"),
              node.LFS.alpha, LFS.alpha)'
out nolfs_config "$(printf '1076363264\t524288\t262144\t0')" -- "$SIM" \
    -e 'local c = node.LFS.config
        print(c.lfs_mapped, c.lfs_base, c.lfs_size, c.lfs_used)'
"$SIM" -e 'print(select(2, pcall(require, "alpha")))' >"$T/o" 2>&1
want=$(notfound alpha)
if [ "$(cat "$T/o")" = "$want" ]; then
    pass nolfs_require
else
    fail nolfs_require "$(head -c 300 "$T/o" | tr '\n\t' '|>')"
fi
err nolfs_readonly 'LFS is readonly\. Invalid write to LFS\.x$' -- \
    "$SIM" -e 'LFS.x = 1'

# -- node ---------------------------------------------------------------------
out node_heap "true" -- "$SIM" \
    -e 'local h = node.heap() local t = {} for i = 1, 200 do t[i] = {} end
        print(h > 0 and h < 45056 and node.heap() < h)'
out node_heap_size "true" -- "$SIM" --heap 81920 \
    -e 'print(node.heap() > 45056 and node.heap() < 81920)'
out node_ids "$(printf '%d\t1458415\t4194304' 0x00A1B2C3)" -- "$SIM" \
    -e 'print(node.chipid(), node.flashid(), node.flashsize())'
out node_info_legacy "$(note 'node.info() without parameter' \
    'in the next version'
    printf '3\t0\t0\t%d\t1458415\t4096\t0\t40000000' 0x00A1B2C3)" -- \
    "$SIM" -e 'print(node.info())'
out node_info_hw "$(printf '4096\t1458415')" -- "$SIM" \
    -e 'local i = node.info("hw") print(i.flash_size, i.flash_id)'
out node_info_build_float "float" -- "$SIM" \
    -e 'print(node.info("build_config").number_type)'
out node_info_build_int "integer" -- "$SIM" --int \
    -e 'print(node.info("build_config").number_type)'
out node_info_sw "3" -- "$SIM" \
    -e 'print(node.info("sw_version").node_version_major)'
"$SIM" -e 'node.info("bogus")' >"$T/o" 2>"$T/e"
if [ $? -eq 1 ] &&
   grep -q "bad argument #1 to 'info' (invalid option 'bogus')" "$T/e"; then
    pass node_info_bad
else
    fail node_info_bad "$(head -c 200 "$T/e")"
fi
"$SIM" -e 'print((pcall(function() node.x = 1 end)))' >"$T/o" 2>&1
[ "$(cat "$T/o")" = false ] && pass node_readonly ||
    fail node_readonly "writing node.x did not fail: $(head -c 200 "$T/o")"

# -- debug.getstrings ---------------------------------------------------------
out getstrings_ram "$(printf 'true\ttrue\ttrue')" -- "$SIM" \
    -e 'local s = debug.getstrings("RAM") local sorted, found = true, false
        for i = 2, #s do if s[i - 1] >= s[i] then sorted = false end end
        for i = 1, #s do if s[i] == "getstrings" then found = true end end
        print(#s > 10, sorted, found)'
out getstrings_rom "$(printf 'true\ttrue')" -- "${S[@]}" \
    -e 'local s = debug.getstrings("ROM") local found = false
        for i = 1, #s do
          if s[i] == "beta string constant" then found = true end
        end
        print(found, debug.getstrings("RAM") ~= nil)'
out getstrings_rom_nolfs "0" -- "$SIM" \
    -e 'print(select("#", debug.getstrings("ROM")))'
