#!/bin/bash
# tests/cli/sim.sh: the nodemcu-sim command line and luac.cross -F: help,
# usage errors (exit 2), refused images (exit 1, one line with the
# firmware's reason; corrupt ones with the byte at fault), vector images run from LFS (float, integer,
# relocatable and absolute), .lua and .lc scripts with arguments, Lua
# errors with traceback, and heap exhaustion as a catchable Lua error for
# several arena sizes. Env: BINDIR, VECTORS. PASS/FAIL lines.
set -u
BIN="${BINDIR:-build/rel/bin}"
SIM="$BIN/nodemcu-sim"
LUAC="$BIN/luac.cross"
VEC="$(cd "${VECTORS:-tests/vectors}" && pwd)"
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
CLI_PREFIX=sim
CLI_LIB="$(cd "$(dirname "$0")" && pwd)/lib.bash"
# shellcheck source=tests/cli/lib.bash
. "$CLI_LIB"

# -- help, version, usage -----------------------------------------------------
"$SIM" --help >"$T/o" 2>&1 && grep -q -- '--lfs' "$T/o" && pass help ||
    fail help "no usage text"
"$SIM" --version >"$T/o" 2>&1 && grep -q 'nodemcu-sim' "$T/o" &&
    pass version || fail version "no version"
expect usage_nothing 2 'nothing to run' - -- "$SIM"
expect usage_option 2 "unknown option '--frob'" - -- "$SIM" --frob
expect usage_heap_word 2 "--heap 'lots'" - -- "$SIM" --heap lots -e 'x=1'
expect usage_heap_small 2 'heap' - -- "$SIM" --heap 100 -e 'x=1'
expect usage_missing_arg 2 "'--lfs' needs an argument" - -- "$SIM" --lfs

# -- refused images: one line, exit 1 -------------------------------------------
expect image_missing 1 "$T/none.img" - -- "$SIM" --lfs "$T/none.img" -e 'x=1'
head -c 1000 /dev/urandom >"$T/random.img"
expect image_random 1 'not a Lua 5.1 LFS image' - -- \
    "$SIM" --lfs "$T/random.img" -e 'x=1'
head -c 300 "$VEC/lfs51/bigmod.img" >"$T/short.img"
expect image_truncated 1 'read error on LFS image file' - -- \
    "$SIM" --lfs "$T/short.img" -e 'x=1'
"$LUAC" -a 0x40290000 -o "$T/other.abs" "$VEC/src/lua51/hello.lua" \
    >/dev/null 2>&1
expect image_other_address 1 'another address.*-a 0x40280000' - -- \
    "$SIM" --lfs "$T/other.abs" -e 'x=1'
expect image_lua53 1 'not a Lua 5.1 LFS image' - -- \
    "$SIM" --lfs "$VEC/lfs53/hi53.img" -e 'x=1'
# A corrupt absolute image (byte 55 set: a ROstrt bucket pointing into the
# middle of the image): refused at boot naming the byte; it used to crash
# the VM's string lookup.
"$LUAC" -a 0x40280000 -o "$T/corrupt.abs" \
    "$(dirname "$0")/../../examples/sched.lua" >/dev/null 2>&1
printf 'A' | dd of="$T/corrupt.abs" bs=1 seek=55 conv=notrunc 2>/dev/null
expect image_corrupt 1 'byte 0x34: ROstrt bucket' - -- \
    "$SIM" --lfs "$T/corrupt.abs" -e 'print(1)'
expect image_corrupt_luac 1 'byte 0x34: ROstrt bucket' - -- \
    "$LUAC" -F "$T/corrupt.abs" -e /dev/null

# -- vector images run from LFS ----------------------------------------------------
# Every integer image of the vectors (NodeMCU's integer luac.cross) on the
# integer VM; the float ones are in tests/cli/vm51.sh.
for src in "$VEC"/src/lua51/*.lua; do
    m=$(basename "$src" .lua)
    [ -f "$VEC/lfs51/$m.int.img" ] || continue
    same "lfs_int_$m" "$VEC/src/lua51/$m.out" -- \
        "$SIM" --lfs "$VEC/lfs51/$m.int.img" -e "node.LFS.get('$m')()"
done
same lfs_float_hello "$VEC/src/lua51/hello.out" -- \
    "$SIM" --lfs "$VEC/lfs51/hello.img" -e "LFS.hello()"
same lfs_absolute "$VEC/src/lua51/hello.out" -- \
    "$SIM" --lfs "$VEC/lfs51/group-a40280000.img" -e 'LFS.hello()'
same lfs_list_missing "$VEC/src/lua51/hello.out" -- "$SIM" --lfs "$VEC/lfs51/hello.img" \
    -e 'assert(node.LFS.get("nope") == nil) LFS.hello()'

# -- scripts: .lua and .lc, arguments, errors --------------------------------------
printf 'print(select("#", ...), ...)\n' >"$T/args.lua"
printf '2\ta\tb\n' >"$T/args.out"
same script_lua_args "$T/args.out" -- "$SIM" "$T/args.lua" a b
"$LUAC" -o "$T/args.lc" "$T/args.lua" >/dev/null 2>&1
same script_lc_args "$T/args.out" -- "$SIM" "$T/args.lc" a b
printf 'print(7/2)\n' >"$T/div.lua"
printf '3.5\n' >"$T/div.out"
same script_float "$T/div.out" -- "$SIM" "$T/div.lua"
printf '3\n' >"$T/div.int.out"
same script_int "$T/div.int.out" -- "$SIM" --int "$T/div.lua"

"$SIM" -e 'local function f() error("boom") end f()' >"$T/o" 2>"$T/e"
rc=$?
if [ $rc -eq 1 ] &&
   [ "$(head -1 "$T/e")" = "nodemcu-sim: (command line):1: boom" ] &&
   grep -q '^stack traceback:' "$T/e"; then
    pass error_traceback
else
    fail error_traceback "exit $rc: $(head -c 300 "$T/e")"
fi
printf 'x = = 1\n' >"$T/bad.lua"
"$SIM" "$T/bad.lua" >"$T/o" 2>"$T/e"
rc=$?
if [ $rc -eq 1 ] && grep -q "bad.lua:1: unexpected symbol near '='" "$T/e"
then pass error_syntax
else fail error_syntax "exit $rc: $(head -c 300 "$T/e")"; fi

# -- heap exhaustion: a Lua error, never a crash ------------------------------------
grow='local t = {} for i = 1, 1e7 do t[i] = ("x"):rep(20) .. i end'
for heap in 12288 16384 45056 81920; do
    "$SIM" --heap $heap -e "$grow" >"$T/o" 2>"$T/e"
    rc=$?
    if [ $rc -eq 1 ] && grep -q 'not enough memory' "$T/e"; then
        pass "heap_exhausted_$heap"
    else
        fail "heap_exhausted_$heap" "exit $rc: $(head -c 300 "$T/e")"
    fi
    "$SIM" --heap $heap -e "print(pcall(function() $grow end))" \
        -e 'collectgarbage() local s = {} for i = 1, 50 do s[i] = i end
            print(#s)' >"$T/o" 2>"$T/e"
    rc=$?
    if [ $rc -eq 0 ] &&
       [ "$(cat "$T/o")" = "$(printf 'false\tnot enough memory\n50')" ]
    then pass "heap_pcall_recovers_$heap"
    else fail "heap_pcall_recovers_$heap" "exit $rc: $(head -c 200 "$T/o")
        $(head -c 200 "$T/e")"; fi
done
"$SIM" --heap 4096 --peak-heap -e 'x = 1' >"$T/o" 2>"$T/e"
rc=$?
if [ $rc -eq 0 ] && grep -qE '^peak heap: [0-9]+ bytes$' "$T/e"; then
    pass heap_peak
elif [ $rc -eq 2 ] && grep -q 'larger --heap' "$T/e"; then
    pass heap_peak                   # 4 KiB cannot hold the state: said so
else
    fail heap_peak "exit $rc: $(head -c 200 "$T/e")"
fi

# -- luac.cross -F IMAGE -e FILE ----------------------------------------------------
printf 'LFS.hello()\nprint(#node.LFS.list())\n' >"$T/run.lua"
{ cat "$VEC/src/lua51/hello.out"; echo 1; } >"$T/run.out"
same luac_F_runs "$T/run.out" -- "$LUAC" -F "$VEC/lfs51/hello.img" \
    -e "$T/run.lua"
printf 'error("stop")\n' >"$T/stop.lua"
"$LUAC" -F "$VEC/lfs51/hello.img" -e "$T/stop.lua" >"$T/o" 2>"$T/e"
rc=$?
if [ $rc -eq 1 ] && grep -q 'stop.lua:1: stop' "$T/e"; then
    pass luac_F_error_status
else
    fail luac_F_error_status "exit $rc: $(head -c 200 "$T/e")"
fi
expect luac_F_needs_e 2 'needs -e FILE' - -- \
    "$LUAC" -F "$VEC/lfs51/hello.img"
expect luac_F_lua53 1 '5.3 firmware VM' - -- \
    "$LUAC" -F "$VEC/lfs53/hi53.img" -e "$T/run.lua"

# -- string.dump of an LFS function: flash Proto to .lc bytes and back --------------
cat "$VEC/src/lua51/hello.out" >"$T/dump.out"
same dump_lfs_function "$T/dump.out" -- "$SIM" --lfs "$VEC/lfs51/hello.img" \
    -e 'local f = assert(loadstring(string.dump(node.LFS.get("hello")))) f()'

# -- standard output that cannot be written: exit 1, one line -------------------
full() { "$@" >/dev/full; }
expect stdout_full_script 1 '^nodemcu-sim: standard output: No space left on device$' - -- \
    full "$SIM" -e 'print("hello")'
expect stdout_full_help 1 '^nodemcu-sim: standard output: No space left on device$' - -- \
    full "$SIM" --help
expect stdout_full_luac_F 1 '^luac.cross: standard output: No space left on device$' - -- \
    full "$LUAC" -F "$VEC/lfs51/hello.img" -e "$T/run.lua"
