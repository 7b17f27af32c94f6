#!/bin/bash
# tests/cli/luac53.sh: luac.cross for Lua 5.3 targets on the command line:
# image streams, .lc files and flash regions, the fixed NodeMCU bugs (-m,
# index limits), numbers on the int32/float target, inspection and verify
# modes, and bad input. Every failure must be one line on stderr naming the
# file, exit 1 (bad input) or 2 (bad usage), and leave no output behind.
set -u
CLI_LIB="$(cd "$(dirname "$0")" && pwd)/lib.bash"
L="$BINDIR/luac.cross"
V="$VECTORS"
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
cd "$T"
CLI_PREFIX=luac53_cli
. "$CLI_LIB"
hex() { od -An -tx1 -j "$2" -N "$3" "$1" | tr -d ' \n'; }

F="--target 5.3-float"
printf 'local t = {}\nfor i = 1, 3 do t[i] = i * 2 end\nprint(#t)\n' > ok.lua
printf 'x = = 1\n' > syntax.lua

# --- good runs -----------------------------------------------------------
$L $F -f -o a.img ok.lua > out.txt && grep -q '^Image size: [0-9]*$' out.txt \
    && [ "$(hex a.img 0 6)" = 1b4c7561530b ] && [ "$(hex a.img 14 2)" = 0404 ] \
    && pass image || fail image "no format-11 image or no 'Image size' line"
$L --target 5.3-64 -f -o a64.img ok.lua >/dev/null && [ "$(hex a64.img 14 2)" = 0808 ] \
    && pass image_64 || fail image_64 "5.3-64 image does not have 8-byte numbers"
$L $F -o ok.lc ok.lua && [ "$(hex ok.lc 0 6)" = 1b4c7561530a ] \
    && pass lc || fail lc "no format-10 .lc"
$L $F -f -o - ok.lua > s.img 2> s.err && [ "$(hex s.img 0 4)" = 1b4c7561 ] \
    && grep -q 'Image size' s.err && pass stdout_image_only \
    || fail stdout_image_only "-o - mixed text into the image"
$L $F -p ok.lua && [ ! -e luac.out ] && pass parse_only || fail parse_only "-p"
# Reproducible: SOURCE_DATE_EPOCH pins the timestamp and the default seed.
SOURCE_DATE_EPOCH=1234567 $L $F -f -o r1.img ok.lua >/dev/null
sleep 1
SOURCE_DATE_EPOCH=1234567 $L $F -f -o r2.img ok.lua >/dev/null
$L $F -f --timestamp 1234567 -o r3.img ok.lua >/dev/null
cmp -s r1.img r2.img && cmp -s r1.img r3.img && pass reproducible \
    || fail reproducible "pinned runs differ"
$L $F -f --seed 0x12345678 --timestamp 1234567 -o r4.img ok.lua >/dev/null
$L -l r4.img | grep -q 'seed 0x12345678, built 1234567 ' && ! cmp -s r1.img r4.img \
    && pass seed_option || fail seed_option "--seed not in the image"
# -l and --verify of images and .lc files.
$L -l "$V/lfs53/group.img" > l.txt && grep -q '^modules (12): hi53 upvals dots' l.txt \
    && grep -q 'seed 0x8ea625af, built 1700000000' l.txt && grep -q 'GETTABUP' l.txt \
    && pass list_image || fail list_image "listing lacks modules/seed/code"
$L -l -l "$V/lfs53/ints53.lc" | grep -q 'NodeMCU Lua 5.3 bytecode, 4-byte integers and floats' \
    && pass list_lc || fail list_lc "-l of a .lc"
$L --verify --lfs-size 0x20000 "$V/lfs53/group.img" | grep -q '^OK' \
    && pass verify_ok || fail verify_ok "vector group.img does not verify"
$L --verify a.img | grep -q '^OK: float build, 1 modules' \
    && pass verify_ours || fail verify_ours "our image does not verify"
# -e: the function the script returns is the first module.
printf 'return function() print("from -e") end\n' > gen.lua
$L $F -f -e gen.lua -o e.img ok.lua >/dev/null && $L -l e.img | grep -q '^modules (2): gen ok' \
    && pass e_module || fail e_module "-e function not the first module"
printf 'print(1)\n' | $L $F -f -o in.img - >/dev/null && $L -l in.img | grep -q '^modules (1): stdin$' \
    && pass stdin_module || fail stdin_module "stdin source is not module 'stdin'"
$L $F -i -o idx.lc ok.lua && $L -l idx.lc | grep -q 'main <(luac.cross):0,0>' \
    && pass index_lc || fail index_lc "-i did not write an index main"
# -a: the flash region; from sources or from an image, the same bytes.
$L $F -a 0x40290000 --timestamp 99 -o r.abs ok.lua > a.txt \
    && [ "$(hex r.abs 0 4)" = 50a2fafa ] \
    && [ "$(stat -c %s r.abs)" = "$(sed 's/Image size: //' a.txt)" ] \
    && pass absolute || fail absolute "no flash region, or size differs"
$L $F -f --timestamp 99 -o r.img ok.lua >/dev/null && $L $F -a 0x40290000 -o r2.abs r.img >/dev/null \
    && cmp -s r.abs r2.abs && pass absolute_from_image \
    || fail absolute_from_image "converting the image gives other bytes"
# -m is enforced against the flash the image needs (NodeMCU ignores it).
expect m_small 1 'needs [0-9]+ bytes of flash, more than -m 4096' x.img -- $L $F -m 4096 -o x.img "$V/src/lua53/big53.lua"
$L $F -m 0x10000 -o m.img "$V/src/lua53/big53.lua" >/dev/null && [ -s m.img ] \
    && pass m_fits || fail m_fits "-m 0x10000 refused big53"
# Without -m, the region must still fit the flash the firmware maps:
# the 1 MiB window from 0x40210000, 983040 bytes (5.1: its 256 KiB limit).
awk 'BEGIN { s = sprintf("%0900d", 0); print "return {";
             for (i = 0; i < 1200; i++) printf "\"%05d%s\",\n", i, s;
             print "}" }' > huge.lua
expect image_too_big 1 'the image needs [0-9]{7} bytes of flash; the firmware maps at most 983040' x.img -- $L $F -f -o x.img huge.lua
expect image_too_big_64 1 'the image needs [0-9]{7} bytes of flash; the firmware maps at most 983040' x.img -- $L --target 5.3-64 -f -o x.img huge.lua
head -n 1000 huge.lua > fits.lua; echo '}' >> fits.lua
$L $F -f -o fits.img fits.lua > fits.txt && [ -s fits.img ] \
    && [ "$(sed 's/Image size: //' fits.txt)" -le 983040 ] \
    && pass image_fits_window || fail image_fits_window "a 0.9 MiB region refused: $(cat fits.txt)"
# The index's limits: "__" names first, 40 characters, 255 modules.
printf 'return 1\n' > a.lua; printf 'return 2\n' > __init.lua
$L $F -f -o u.img a.lua __init.lua >/dev/null && $L -l u.img | grep -q '^modules (2): __init a$' \
    && pass underscore_first || fail underscore_first "__ module not moved to the front"
n41=abcdefghijklmnopqrstuvwxyzabcdefghijklmno
printf 'return 1\n' > $n41.lua
expect long_name 1 "module name '$n41' has 41 characters" x.img -- $L $F -f -o x.img $n41.lua
mkdir -p many; for i in $(seq 1 256); do printf 'return %d\n' "$i" > "many/m$i.lua"; done
expect too_many_modules 1 '256 modules; the firmware.s LFS index holds at most 255' x.img -- $L $F -f -o x.img many/m*.lua
mkdir -p sub; cp ok.lua sub/ok.lua
expect duplicate_module 1 "module name 'ok' is also the name of ok.lua" x.img -- $L $F -f -o x.img ok.lua sub/ok.lua
# Numbers on the int32/float target.
printf 'a = 0xFFFFFFFF\nb = 3000000000\nc = 0.1\nd = 1 << 31\ne = 16777217.5 | 0\n' > num.lua
$L $F -o num.lc num.lua && $L -l -l num.lc > num.txt \
    && grep -qP '^\t\d+\t-1$' num.txt && grep -qP '^\t\d+\t3000000000\.0$' num.txt \
    && grep -qP '^\t\d+\t0\.10000000149012$' num.txt && grep -qP '^\t\d+\t-2147483648$' num.txt \
    && grep -qP '^\t\d+\t16777218$' num.txt \
    && pass numbers_float_target || fail numbers_float_target "$(grep -P '^\t\d+\t' num.txt | tr '\n' ' ')"
$L --target 5.3-64 -o num64.lc num.lua && $L -l -l num64.lc > num64.txt \
    && grep -qP '^\t\d+\t4294967295$' num64.txt && grep -qP '^\t\d+\t2147483648$' num64.txt \
    && pass numbers_64_target || fail numbers_64_target "$(grep -P '^\t\d+\t' num64.txt | tr '\n' ' ')"
printf 'x = 1\ny = 1e-30 * 1e-30\n' > under.lua
expect fold_differs 1 "^luac.cross: under.lua:2: NodeMCU's 32-bit compiler does not fold" x.img -- $L $F -f -o x.img under.lua
printf 'x = 1\ny = 2^40 | 0\n' > bits.lua
expect fold_bitwise 1 "^luac.cross: bits.lua:2: .*'2\\^40 \\| 0'" x.img -- $L $F -f -o x.img bits.lua
$L --target 5.3-64 -f -o b64.img bits.lua >/dev/null && pass fold_64_ok || fail fold_64_ok "5.3-64 refused 2^40|0"
# NodeMCU's line-info quirk (docs/lfs53.md §9): a call split over 100 lines.
{ echo 'print('; for i in $(seq 2 101); do echo; done; echo ')'; echo; echo 'x = 1'; } > quirk.lua
$L $F -o quirk.lc quirk.lua && $L -l quirk.lc | grep -qP '^\t3\t\[40\]\tSETTABUP' \
    && pass line_quirk || fail line_quirk "line 104 is not reported as 40"

# --- bad input and usage -------------------------------------------------
expect syntax 1 "^luac.cross: syntax.lua:1: unexpected symbol near '='$" x.img -- $L $F -f -o x.img syntax.lua
expect missing_file 1 '^luac.cross: nope.lua: cannot open' x.img -- $L $F -f -o x.img nope.lua
expect bytecode_input 1 'is precompiled bytecode' x.img -- $L $F -f -o x.img ok.lc
expect bad_seed 2 '--seed banana: give a 32-bit number' - -- $L $F --seed banana ok.lua
expect bad_target 2 '5.3-float or 5.3-64' - -- $L --target 5.2 ok.lua
: > empty.img
expect empty_image 1 'empty\.img: ' - -- $L -l empty.img
head -c 100 "$V/lfs53/hi53.img" > trunc.img
expect truncated_image 1 'trunc\.img: byte 0x[0-9a-f]+: truncated' - -- $L -l trunc.img
expect verify_truncated 1 'trunc\.img: byte 0x' - -- $L --verify trunc.img
grep -q '^(null): truncated precompiled chunk$' "$T/stdout" && pass verify_loader_text \
    || fail verify_loader_text "$(cat "$T/stdout")"
{ head -c 4 "$V/lfs53/hi53.img"; printf '\x52'; tail -c +6 "$V/lfs53/hi53.img"; } > ver.img
expect bad_version 1 'ver\.img: byte 0x4: version 0x52, not Lua 5.3' - -- $L -l ver.img
expect verify_lc 1 'hi53\.lc: byte 0x5: not an LFS image' - -- $L --verify "$V/lfs53/hi53.lc"
expect verify_too_big 1 'needs 96064 bytes of flash but the LFS partition has 4096' - -- $L --verify --lfs-size 0x1000 "$V/lfs53/group.img"
cp "$V/lfs53/hi53.img" flip.img; printf '\x05' | dd of=flip.img bs=1 seek=32 conv=notrunc 2>/dev/null
expect flipped_count 1 'flip\.img: byte 0x[0-9a-f]+: ' - -- $L -l flip.img
echo keep > keep.img
$L $F -f -o keep.img syntax.lua 2>/dev/null
[ "$(cat keep.img)" = keep ] && pass failed_run_keeps_output \
    || fail failed_run_keeps_output "keep.img was overwritten"
rm -f luac.out
$L $F -l -p ok.lua | grep -q 'FORLOOP' && [ ! -e luac.out ] \
    && pass list_parse_only || fail list_parse_only "-l -p must list and write nothing"
head -c 3000 /dev/urandom > garbage.lua
expect garbage_source 1 'garbage\.lua:[0-9]+: ' x.img -- $L $F -f -o x.img garbage.lua
$L -l r.abs | grep -q '^LFS flash region: Lua 5.3, float build (32-bit integers), mapped at 0x40290000' \
    && pass list_region || fail list_region "-l of a flash region"
$L --verify r.abs | grep -q '^OK: flash region for 0x40290000' \
    && pass verify_region || fail verify_region "--verify of a flash region"
printf 'return function() return 0xFFFFFFFF end\n' > ehex.lua
$L $F -f -e ehex.lua -o eh.img >/dev/null && $L -l -l eh.img | grep -qP '^\t1\t-1$' \
    && pass e_target_numbers || fail e_target_numbers "-e function kept the host's 4294967295"

# The default output is named as NodeMCU's 5.3 tool names it.
printf 'print(1)\n' > defout.lua
rm -f luac.cross.out luac.out
"$L" --target 5.3-float defout.lua && [ -s luac.cross.out ] && [ ! -e luac.out ] \
    && pass default_output_53 || fail default_output_53 "no luac.cross.out"
