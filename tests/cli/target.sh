#!/bin/bash
# tests/cli/target.sh: the firmware cross-built for xtensa lx106 (`make
# target`, build/xtensa/firmware.elf) booting LFS images under QEMU's sim
# machine: the boot report of a float and an integer absolute image,
# checked against values read from the image header with od and the
# module names of MANIFEST.tsv; refused images; the layer below C
# (--check: soft double, libm, strtod, printf, 64-bit integers, longjmp)
# against lua5.1 and bash arithmetic; CPU exceptions stopping the run;
# and, once the VM is in the build (vm_open linked), every vector module
# of both images run from LFS with stdout compared to its .out, then all
# of them in one VM, also with a collection at every allocation.
# The target does not depend on the build variant, so tests/run.sh runs
# it for the rel variant only (TEST_VARIANT); the toolchain and QEMU come
# from `make deps`, and their absence is a failure. Every QEMU run has a
# timeout: a hang fails. Env: BINDIR (luac.cross), VECTORS.
set -u
[ "${TEST_VARIANT:-rel}" = rel ] || exit 0
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
BIN="${BINDIR:-$ROOT/build/rel/bin}"
LUAC="$BIN/luac.cross"
VEC="$(cd "${VECTORS:-$ROOT/tests/vectors}" && pwd)"
ELF="$ROOT/build/xtensa/firmware.elf"
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
CLI_PREFIX=target
CLI_LIB="$(cd "$(dirname "$0")" && pwd)/lib.bash"
# shellcheck source=tests/cli/lib.bash
. "$CLI_LIB"

# -- toolchain, build ---------------------------------------------------------
missing=""
for tool in xtensa-lx106-elf-gcc xtensa-lx106-elf-nm qemu-system-xtensa; do
    command -v "$tool" >/dev/null || missing="$missing $tool"
done
if [ -n "$missing" ]; then
    fail toolchain "not installed:$missing (run make deps)"
    exit 1
fi
pass toolchain
if ! make -s --no-print-directory -C "$ROOT" target >"$T/build.log" 2>&1; then
    fail build "make target failed: $(grep -m3 -E 'error|Error' "$T/build.log" |
         tr '\n' '|' | head -c 400)"
    exit 1
fi
pass build

# qemu OUT IMAGE -- ARGS...: run the firmware with IMAGE (or -: none) in
# the LFS partition (flash 0x80000 = 0x40280000) and the file $SYSFILE, if
# set, in sysram at 0x61000000; stdout to OUT, the exit status in $rc; 20 s
# at most.
SYSFILE=
qemu() {
    local out=$1 img=$2
    shift 3
    local load=()
    [ "$img" != - ] && load=(-device "loader,file=$img,addr=0x40280000")
    [ -n "$SYSFILE" ] &&
        load+=(-device "loader,file=$SYSFILE,addr=0x61000000")
    timeout 20 qemu-system-xtensa -M sim -cpu lx106 -semihosting \
        -display none -monitor none -serial none -kernel "$ELF" \
        "${load[@]}" -append "$*" >"$out" 2>"$T/stderr" </dev/null
    rc=$?
}

# The module names of a vectors image, from MANIFEST.tsv's inputs column.
manifest_modules() {
    awk -F '\t' -v o="$1" '$1 == o { print $4 }' "$VEC/MANIFEST.tsv" |
        sed 's/\.lua//g'
}

# The boot report the firmware must print for absolute image $1 of number
# type $2 (float or integer), from its header words (od) and names $3;
# with $4 = reloaded, for the same image reloaded from its relocatable
# form (the signature without the absolute bit 0).
expected_report() {
    local w
    read -r -a w <<<"$(od -An -v -tx4 -N24 "$1" | tr -s "\n" " ")"
    local names=($3) sig=$((0x${w[0]}))
    [ "${4:-}" = reloaded ] && sig=$((sig & ~1))
    printf 'ldr51_boot: 0\n'
    printf 'LFS 0x40280000: sig 0x%08x, %d bytes, %s, ROstrt %d/%d\n' \
        "$sig" "0x${w[1]}" "$2" "0x${w[4]}" "0x${w[5]}"
    printf 'modules (%d): %s\n' "${#names[@]}" "$3"
    printf 'timestamp 1700000000\n'   # the vectors' pinned clock
}

# -- the float and integer images ---------------------------------------------
FLOAT_IMG="$VEC/lfs51/group-a40280000.img"
FLOAT_MODS="$(manifest_modules lfs51/group-a40280000.img)"
INT_MODS="$(manifest_modules lfs51/group.int.img)"
INT_IMG="$T/group-int-a40280000.img"
# An integer absolute image from the same sources, as the vectors' clock.
(cd "$VEC/src/lua51" && "$LUAC" --target 5.1-int --timestamp 1700000000 \
    -a 0x40280000 -o "$INT_IMG" $(sed 's/\([^ ]*\)/\1.lua/g' <<<"$INT_MODS")) \
    >"$T/luac.log" 2>&1 ||
    fail int_image "luac.cross: $(head -c 300 "$T/luac.log")"

boot() {
    local name=$1 img=$2 kind=$3 mods=$4
    [ -s "$img" ] || { fail "$name" "no image $img"; return; }
    expected_report "$img" "$kind" "$mods" >"$T/want"
    qemu "$T/got" "$img" -- -l
    if [ $rc -ne 0 ]; then
        fail "$name" "exit $rc: $(head -c 300 "$T/got")" \
             "$(head -c 200 "$T/stderr")"
    elif ! cmp -s "$T/got" "$T/want"; then
        fail "$name" "report differs: $(diff "$T/got" "$T/want" | head -5 |
             tr '\n' '|')"
    else
        pass "$name"
    fi
}
boot boot_float "$FLOAT_IMG" float "$FLOAT_MODS"
boot boot_int "$INT_IMG" integer "$INT_MODS"
figures='^target: exit 0, stack [0-9]+ of 16384 bytes,'
figures+=' heap peak [0-9]+ of 45056 bytes$'
grep -qE "$figures" "$T/stderr" &&
    pass figures || fail figures "stderr: $(head -c 200 "$T/stderr")"

# node.LFS.reload's work on the target: a relocatable image file put in
# sysram by QEMU's loader is inflated, relocated and written through the
# emulated NOR flash, then booted; the result must be the absolute image.
reload_boot() {
    local name=$1 file=$2 abs=$3 kind=$4 mods=$5
    shift 6
    local size
    size=$(stat -c %s "$file")
    {
        printf 'ldr51_reload: 0 LFS region updated.  Restarting.\n'
        expected_report "$abs" "$kind" "$mods" reloaded
    } >"$T/want"
    SYSFILE=$file
    qemu "$T/got" - -- --reload 0x61000000 "$size" "$@" -l
    SYSFILE=
    if [ $rc -ne 0 ] || ! cmp -s "$T/got" "$T/want"; then
        fail "$name" "exit $rc: $(diff "$T/got" "$T/want" | head -4 |
             tr '\n' '|')"
    else
        pass "$name"
    fi
}

reload_boot reload_float "$VEC/lfs51/group.img" "$FLOAT_IMG" float \
    "$FLOAT_MODS" --
reload_boot reload_int "$VEC/lfs51/group.int.img" "$INT_IMG" integer \
    "$INT_MODS" -- -i

# refused NAME IMAGE STATUS LINE -- ARGS: the first stdout line and status
refused() {
    local name=$1 img=$2 st=$3 line=$4
    shift 5
    qemu "$T/got" "$img" -- "$@"
    if [ $rc -ne "$st" ]; then
        fail "$name" "exit $rc, expected $st: $(head -c 300 "$T/got")"
    elif [ "$(head -1 "$T/got")" != "$line" ]; then
        fail "$name" "got '$(head -1 "$T/got")', expected '$line'"
    else
        pass "$name"
    fi
}
refused no_image - 2 'ldr51_boot: -2 No LFS image loaded' -- -l
refused float_image_int_firmware "$FLOAT_IMG" 2 \
    'ldr51_boot: -3 Flash sig not correct: 0xfafaa154 vs 0xfafaa152' -- -i -l
# A gzip file where the header should be: its first word, absolute bit
# cleared, is the signature the loader reports.
gzword=$(od -An -tx4 -N4 "$VEC/lfs51/group.img" | tr -d ' ')
gzsig=$(printf '0x%x' $((0x$gzword & ~1)))
refused relocatable_image "$VEC/lfs51/group.img" 2 \
    "ldr51_boot: -3 Flash sig not correct: $gzsig vs 0xfafaa154" -- -f -l
refused bad_option - 2 'target: unknown option -z' -- -z

# -- below C: soft double (libgcc_extra.c), libm, strtod, the exact printf
# (target_printf.c), 64-bit integers, setjmp: against lua5.1 and bash
cat >"$T/check.lua" <<'EOF'
local f = string.format
local function x(n, v) print(n .. " " .. f("%.17g", v)) end
local function g(n, v) print(n .. " " .. f("%.14g", v)) end
local tiny, z = 4.9406564584124654e-324, 0
x("add", 0.1 + 0.2) x("sub", 1 - 0.1) x("mul", 3 * 0.1) x("div", 1 / 3)
x("div7", 7 / 3) x("overflow", 1e308 * 10) x("underflow", tiny / 2)
x("subnormal", tiny * 3) g("negzero", -z)
g("nan", 1e308 * 10 - 1e308 * 10) g("nandiv", z / z) g("negnan", -(z / z))
g("big", 2^53) x("bigp1", 2^53 + 1)
g("floor", math.floor(-2.5)) g("ceil", math.ceil(-2.5))
g("fmod", math.fmod(7, 3)) g("fmodneg", math.fmod(-7, 3))
g("sqrt", math.sqrt(2)) g("pow", 2^0.1) g("pow10", 10^3) g("exp", math.exp(1))
g("log", math.log(10)) g("log10", math.log10(7)) g("sin", math.sin(1))
g("cos", math.cos(3)) g("tan", math.tan(0.1)) g("atan2", math.atan2(1, 2))
g("frexp", (math.frexp(1e308))) x("ldexp", math.ldexp(1, -1074))
x("strtod", tonumber("123.456e-7")) g("strtodhex", tonumber("0x1p-3"))
g("strtodbig", tonumber("1e400")) g("tie", math.ldexp(1, -21))
g("tie15", 1 + 2^-45 * 3 / 3) g("near", tonumber("0.123456789012345"))
for i, s in ipairs{"0.1000000000000000055511151231257827021181583404541015625",
    "9007199254740993", "1.00000000000000011102230246251565404236316680908203125",
    "2.2250738585072011e-308", "123456789012345678901234567890",
    "2.4703282292062328e-324", "2.4703282292062327e-324",
    "7.3177701707893310e+15", "0.3", "1e23", "8.589973e9"} do
    x("strtod" .. (i - 1), tonumber(s))
end
g("int2dbl", -2147483648) g("uns2dbl", 2147483648)
EOF
{
    lua5.1 "$T/check.lua"
    echo "dbl2int -2"                     # C truncates toward zero
    echo "dbl2uns 3000000000"
    echo "div64 $((10**18 / 7))"
    echo "mod64 $((10**18 % 7))"
    echo "negdiv64 $((-(10**18) / 7))"
    echo "negmod64 $((-(10**18) % 7))"
    echo "udiv64 $((0x5555555555555555 >> 1))"   # UINT64_MAX / 3, >> 1
    echo "mul64 $((10**18 * 9 / 1000))"
    echo "div32 $((-7 / 2))"
    echo "mod32 $((-7 % 2))"
    echo "udiv32 $((2147483648 / 10))"
    echo "longjmp 42"
} >"$T/want" 2>"$T/lua.err"
qemu "$T/got" - -- --check
if [ $rc -ne 0 ] || [ -s "$T/lua.err" ]; then
    fail check "exit $rc: $(head -c 200 "$T/got") $(head -c 200 "$T/lua.err")"
elif ! cmp -s "$T/got" "$T/want"; then
    fail check "differs from lua5.1: $(diff "$T/got" "$T/want" | head -6 |
         tr '\n' '|')"
else
    pass check
fi

# A CPU exception prints its cause and stops QEMU (exit 3), never hangs.
qemu "$T/got" - -- --fault
[ $rc -eq 3 ] && grep -q '^Fatal exception (debug vector)' "$T/got" &&
    pass fault_stops || fail fault_stops "exit $rc: $(head -c 200 "$T/got")"
qemu "$T/got" - -- --null
[ $rc -eq 3 ] && grep -q '^Fatal exception (user vector): EXCCAUSE' "$T/got" &&
    pass null_load_faults ||
    fail null_load_faults "exit $rc: $(head -c 200 "$T/got")"

# -- vector modules run from LFS (once the VM is in the build) ----------------
# The target has no Lua compiler (vm_config.compile is the host's), so
# loadstring of source fails there; a module that needs it (bigmod's
# serializer) must print its .out up to that point and stop with a Lua
# error, never crash.
NEEDS_COMPILER=" bigmod "
if xtensa-lx106-elf-nm "$ELF" | grep -q ' T vm_open$'; then
    run_modules() {
        local kind=$1 img=$2 mods=$3 m n
        for m in $mods; do
            qemu "$T/got" "$img" -- -q "$m"
            if [[ "$NEEDS_COMPILER" == *" $m "* ]]; then
                n=$(wc -c <"$T/got")
                cp "$T/got" "$T/prefix-$kind-$m"
                if [ $rc -eq 1 ] && [ "$n" -gt 0 ] &&
                   cmp -s "$T/got" <(head -c "$n" "$VEC/src/lua51/$m.out") &&
                   grep -q '^target: .*:[0-9]*: ' "$T/stderr"; then
                    pass "lfs_${kind}_${m}_until_loadstring"
                else
                    fail "lfs_${kind}_${m}_until_loadstring" "exit $rc:" \
                         "$(head -c 200 "$T/stderr")"
                fi
            elif [ $rc -ne 0 ]; then
                fail "lfs_${kind}_$m" "exit $rc: $(head -c 300 "$T/stderr")"
            elif ! cmp -s "$T/got" "$VEC/src/lua51/$m.out"; then
                fail "lfs_${kind}_$m" "output differs: $(diff "$T/got" \
                     "$VEC/src/lua51/$m.out" | head -4 | tr '\n' '|')"
            else
                pass "lfs_${kind}_$m"
            fi
        done
    }
    run_modules float "$FLOAT_IMG" "$FLOAT_MODS"
    run_modules int "$INT_IMG" "$INT_MODS"

    # All modules of an image in one VM, in image order (no names given):
    # the .out files one after the other (the compiler-bound ones cut as
    # above), exit 1 for the failed one. The float image with gc_stress.
    all_modules() {
        local name=$1 kind=$2 img=$3 mods=$4 m
        shift 5
        qemu "$T/got" "$img" -- -q "$@"
        for m in $mods; do
            if [[ "$NEEDS_COMPILER" == *" $m "* ]]; then
                cat "$T/prefix-$kind-$m"
            else
                cat "$VEC/src/lua51/$m.out"
            fi
        done >"$T/want"
        if [ $rc -eq 1 ] && cmp -s "$T/got" "$T/want"; then
            pass "$name"
        else
            fail "$name" "exit $rc: $(diff "$T/got" "$T/want" | head -4 |
                 tr '\n' '|') $(tail -c 200 "$T/stderr")"
        fi
    }
    all_modules all_modules_one_vm int "$INT_IMG" "$INT_MODS" --
    all_modules all_modules_gc_stress float "$FLOAT_IMG" "$FLOAT_MODS" -- -g

    # Modules run from an LFS that the target itself reloaded.
    SYSFILE="$VEC/lfs51/group.img"
    qemu "$T/got" - -- --reload 0x61000000 "$(stat -c %s "$SYSFILE")" \
        -q hello control
    SYSFILE=
    { printf 'ldr51_reload: 0 LFS region updated.  Restarting.\n'
      cat "$VEC/src/lua51/hello.out" "$VEC/src/lua51/control.out"; } >"$T/want"
    [ $rc -eq 0 ] && cmp -s "$T/got" "$T/want" && pass reload_then_run ||
        fail reload_then_run "exit $rc: $(head -c 200 "$T/stderr")"

    # Source loading: the target's own message, not a crash.
    printf 'print(loadstring("x = 1"))\n' >"$T/loadsrc.lua"
    (cd "$T" && "$LUAC" -a 0x40280000 -o loadsrc.img loadsrc.lua) \
        >/dev/null 2>&1
    qemu "$T/got" "$T/loadsrc.img" -- -q loadsrc
    [ $rc -eq 0 ] && [ "$(wc -l <"$T/got")" -eq 1 ] &&
        grep -q '^nil	.*source loading is not available' "$T/got" &&
        pass no_compiler_message ||
        fail no_compiler_message "exit $rc: $(head -c 200 "$T/got")"

fi
exit 0
