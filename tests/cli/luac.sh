#!/bin/bash
# tests/cli/luac.sh: luac.cross on the command line: options, outputs,
# inspection and verify modes, and bad input. Every failure must be one
# line on stderr naming the file, exit 1 (bad input) or 2 (bad usage), and
# leave no output file behind.
set -u
CLI_LIB="$(cd "$(dirname "$0")" && pwd)/lib.bash"
L="$BINDIR/luac.cross"
V="$VECTORS"
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
cd "$T"
CLI_PREFIX=luac_cli
. "$CLI_LIB"

printf 'local t = {}\nfor i = 1, 3 do t[i] = i * 2 end\nprint(#t)\n' > ok.lua
: > empty.lua
head -c 3000 /dev/urandom > garbage.lua
printf 'x = = 1\n' > syntax.lua
printf 'x = 1.5\n' > frac.lua
printf 'x = 7 / 2\n' > fold.lua
printf 'x = 3000000000\n' > big.lua

# --- good runs -----------------------------------------------------------
"$L" -f -o a.img ok.lua > out.txt && grep -q '^Image size: [0-9]*$' out.txt \
    && [ "$(head -c 2 a.img | od -An -tx1 | tr -d ' ')" = 1f8b ] \
    && pass image || fail image "no gzip image or no 'Image size' line"
"$L" -f -o - ok.lua > s.img 2> s.err \
    && [ "$(head -c 2 s.img | od -An -tx1 | tr -d ' ')" = 1f8b ] \
    && grep -q 'Image size' s.err && ! grep -q 'Image size' s.img \
    && pass stdout_image_only || fail stdout_image_only "-o - mixed text into the image"
"$L" -o ok.lc ok.lua && [ "$(head -c 4 ok.lc | tail -c 3)" = Lua ] \
    && pass lc || fail lc "no .lc output"
"$L" ok.lua && [ -s luac.out ] && pass default_output || fail default_output "no luac.out"
"$L" -p ok.lua && pass parse_only || fail parse_only "-p failed"
"$L" --help | grep -q -- '--target' && pass help || fail help "--help lacks --target"
"$L" --version | grep -q 'luac.cross' && pass version || fail version "--version"
"$L" -v | grep -q 'luac.cross' && pass v || fail v "-v"
# Reproducible: --timestamp and SOURCE_DATE_EPOCH give identical bytes.
"$L" -f --timestamp 1234567 -o t1.img ok.lua >/dev/null
SOURCE_DATE_EPOCH=1234567 "$L" -f -o t2.img ok.lua >/dev/null
cmp -s t1.img t2.img && pass source_date_epoch \
    || fail source_date_epoch "SOURCE_DATE_EPOCH differs from --timestamp"
"$L" -l t1.img | grep -q 'built 1234567 ' && pass timestamp_listed \
    || fail timestamp_listed "-l does not show the pinned timestamp"
# Options may follow file names (NodeMCU treats "-o" as a file there).
"$L" -f ok.lua -o late.img >/dev/null && [ -s late.img ] \
    && pass options_after_files || fail options_after_files "-o after a file"
# -l of an image lists modules, strings and code; --verify says OK.
"$L" -l "$V/lfs51/group.img" > l.txt && grep -q '^modules (12): hello closures' l.txt \
    && grep -q 'strings (' l.txt && grep -q 'GETGLOBAL' l.txt \
    && pass list_image || fail list_image "listing lacks modules/strings/code"
"$L" -l "$V/lfs51/group-a40280000.img" | grep -q 'absolute at 0x40280000' \
    && pass list_absolute || fail list_absolute "absolute image listing"
"$L" -l "$V/lfs51/hello.lc" | grep -q 'NodeMCU Lua 5.1 bytecode' \
    && pass list_lc || fail list_lc "-l of a .lc file"
"$L" --verify --lfs-size 0x20000 "$V/lfs51/group.img" | grep -q '^OK' \
    && pass verify_ok || fail verify_ok "vector group.img does not verify"
"$L" --verify --lfs-size 0x20000 a.img | grep -q '^OK' \
    && pass verify_ours || fail verify_ours "our image does not verify"
# -e: the function an -e script returns becomes the first module.
printf 'return function() print("from -e") end\n' > gen.lua
"$L" -f -e gen.lua -o e.img ok.lua >/dev/null && "$L" -l e.img | grep -q '^modules (2): gen ok' \
    && pass e_module || fail e_module "-e function not the first module"
# -i: a .lc whose main is the module index; -: source from stdin.
"$L" -i -o idx.lc ok.lua && "$L" -l idx.lc | grep -q 'main <(luac):0,0>' \
    && pass index_lc || fail index_lc "-i did not write an index main"
printf 'print(1)\n' | "$L" -f -o in.img - >/dev/null && "$L" -l in.img | grep -q '^modules (1): stdin$' \
    && pass stdin_module || fail stdin_module "stdin source is not module 'stdin'"
printf 'return 42\n' > nofunc.lua
"$L" -f -e nofunc.lua -o nf.img >/dev/null 2>&1; [ $? -eq 0 ] && [ ! -e nf.img ] \
    && pass e_no_function || fail e_no_function "-e returning no function must write nothing"
printf 'return print\n' > cfunc.lua
expect e_c_function 1 'cfunc.lua: the -e script returned a C function' x.img -- "$L" -f -e cfunc.lua -o x.img
printf 'error("boom")\n' > boom.lua
expect e_error 1 'boom.lua:1: boom' x.img -- "$L" -f -e boom.lua -o x.img
# Warnings: more than 50 locals compiles, with one warning.
{ for i in $(seq 1 60); do echo "local v$i = $i"; done; echo 'print(v60)'; } > many.lua
"$L" -f -o many.img many.lua > /dev/null 2> many.err && [ -s many.img ] \
    && grep -q 'warning: many.lua:1: function has 60 local variables' many.err \
    && pass locals_warning || fail locals_warning "$(cat many.err)"
"$L" --target 5.1-int -f -o i.img ok.lua >/dev/null && "$L" -l i.img | grep -q 'integer build' \
    && pass int_image || fail int_image "integer image"

# --- bad input and usage -------------------------------------------------
: > empty.img
expect empty_image 1 'empty\.img: byte 0x0: 0 bytes is too short' - -- "$L" -l empty.img
expect empty_verify 1 'empty\.img: not a gzip file' - -- "$L" --verify empty.img
"$L" -f -o e0.img empty.lua >/dev/null && "$L" --verify e0.img | grep -q '^OK' \
    && pass empty_source || fail empty_source "an empty module must compile and verify"
expect garbage_source 1 'garbage\.lua:[0-9]+: ' x.img -- "$L" -f -o x.img garbage.lua
expect syntax 1 "^luac.cross: syntax.lua:1: unexpected symbol near '='$" x.img -- "$L" -f -o x.img syntax.lua
expect missing_file 1 '^luac.cross: nope.lua: cannot open: No such file' x.img -- "$L" -f -o x.img nope.lua
expect directory 1 'is a directory' x.img -- "$L" -f -o x.img .
expect int_fraction 1 "^luac.cross: frac.lua:1: malformed number near '1.5'" x.img -- "$L" --target 5.1-int -f -o x.img frac.lua
printf 'x = 7 / 2 * 2\ny = -(5 / 2)\nz = w * 7 / 2\n' > fold.lua
"$L" --target 5.1-int -o fold.lc fold.lua && "$L" -l -l fold.lc > fold.txt \
    && grep -qP '^\t\d+\t6$' fold.txt && grep -qP '^\t\d+\t-2$' fold.txt \
    && grep -q 'DIV' fold.txt && ! grep -q '3\.5' fold.txt \
    && pass int_fold_as_nodemcu || fail int_fold_as_nodemcu "$(cat fold.txt)"
printf 'x = 1\ny = -7 / 2\n' > neg.lua
expect int_fold_negative 1 '^luac.cross: neg.lua:2: cannot tell how NodeMCU' x.img -- "$L" --target 5.1-int -f -o x.img neg.lua
printf 'x = 1\ny = 7 / 0.5\n' > div0.lua
expect int_fold_zero_divisor 1 '^luac.cross: div0.lua:2: .*divisor that is 0' x.img -- "$L" --target 5.1-int -f -o x.img div0.lua
printf 'x = 2 ^ 31\n' > ovf.lua
expect int_fold_overflow 1 '^luac.cross: ovf.lua:1: .*overflows 32 bits' x.img -- "$L" --target 5.1-int -f -o x.img ovf.lua
printf 'x = 1e3\n' > exp.lua
expect int_exponent 1 "^luac.cross: exp.lua:1: malformed number near '1e3'" x.img -- "$L" --target 5.1-int -f -o x.img exp.lua
expect int_range 1 '^luac.cross: big.lua:1: constant 3000000000 ' x.img -- "$L" --target 5.1-int -f -o x.img big.lua
expect a_missing 2 "'-a' needs an argument" - -- "$L" -a
expect m_missing 2 "'-m' needs an argument" - -- "$L" -m
expect o_missing 2 "'-o' needs an argument" - -- "$L" ok.lua -o
expect a_unaligned 2 '4 KiB-aligned' x.img -- "$L" -a 0x40210002 -o x.img ok.lua
expect a_low 2 'within the mapped flash window' x.img -- "$L" -a 0x40200000 -o x.img ok.lua
expect a_high 2 'within the mapped flash window' x.img -- "$L" -a 0x40400000 -o x.img ok.lua
expect a_text 2 'not a number' x.img -- "$L" -a banana -o x.img ok.lua
expect m_bad 2 'multiple of 4096' x.img -- "$L" -m 1000 -o x.img ok.lua
expect m_small 1 'more than -m 4096 allows' x.img -- "$L" -m 4096 -o x.img "$V/src/lua51/bigmod.lua"
awk 'BEGIN { s = sprintf("%0900d", 0); print "return {";
             for (i = 0; i < 400; i++) printf "\"%05d%s\",\n", i, s;
             print "}" }' > huge.lua
expect image_too_big 1 'the image needs [0-9]+ bytes of flash; NodeMCU.s 5.1 LFS holds at most 262144' x.img -- "$L" -f -o x.img huge.lua
expect unknown_option 2 "unrecognized option '-z'" - -- "$L" -z ok.lua
expect no_input 2 'no input files given' - -- "$L" -f
expect bad_target 2 'unknown; use 5.1-float or 5.1-int' - -- "$L" --target 5.4 ok.lua
expect bad_epoch 2 'SOURCE_DATE_EPOCH=soon' x.img -- env SOURCE_DATE_EPOCH=soon "$L" -f -o x.img ok.lua
mkdir -p sub; cp ok.lua sub/ok.lua
expect duplicate_module 1 "module name 'ok' is also the name of ok.lua" x.img -- "$L" -f -o x.img ok.lua sub/ok.lua
mkdir -p many; for i in $(seq 1 51); do printf 'return %d\n' "$i" > "many/m$i.lua"; done
expect too_many_modules 1 '51 modules; a Lua 5.1 LFS image holds at most 50' x.img -- "$L" -f -o x.img many/m*.lua
expect bytecode_input 1 'is precompiled bytecode' x.img -- "$L" -f -o x.img ok.lc
# Damaged images: truncated, wrong signature, flipped byte.
head -c 100 "$V/lfs51/hello.img" > trunc.img
expect truncated_image 1 'trunc\.img: read error on LFS image file' - -- "$L" -l trunc.img
head -c 200 "$V/lfs51/hello.payload" > trunc.payload
expect truncated_payload 1 'trunc\.payload: byte 0x4: flash_size [0-9]+ does not fit' - -- "$L" -l trunc.payload
{ printf '\x54\xa1\xfa\xfb'; tail -c +5 "$V/lfs51/hello.payload"; } > sig.payload
expect wrong_signature 1 'sig\.payload: byte 0x0: signature 0xfbfaa154 is not' - -- "$L" -l sig.payload
cp "$V/lfs51/hello.img" flip.img; printf '\xff' | dd of=flip.img bs=1 seek=40 conv=notrunc 2>/dev/null
expect flipped_byte 1 'flip\.img: byte 0x[0-9a-f]+: ' - -- "$L" -l flip.img
expect verify_crc 1 'flip\.img: .*(checksum error|read error|invalid dictionary)' - -- "$L" --verify flip.img
expect verify_absolute 1 'not a gzip file' - -- "$L" --verify "$V/lfs51/group-a40280000.img"
expect verify_int_on_float 1 'Incorrect LFS build type' - -- "$L" --verify "$V/lfs51/hello.int.img"
expect verify_too_big 1 'LFS Image too big for configured LFS region' - -- "$L" --verify --lfs-size 0x1000 "$V/lfs51/group.img"
head -c $((70 << 20)) /dev/zero > huge.lua
expect huge_source 1 'huge\.lua: larger than' x.img -- "$L" -f -o x.img huge.lua
rm -f huge.lua
# An existing output is not clobbered by a failed run.
echo keep > keep.img
"$L" -f -o keep.img syntax.lua 2>/dev/null
[ "$(cat keep.img)" = keep ] && pass failed_run_keeps_output \
    || fail failed_run_keeps_output "keep.img was overwritten"

# --- outputs: a FIFO or a device is written in place, never replaced; an
# output that is an input is refused; standard output is checked ----------
"$L" -o want.lc ok.lua
mkfifo fifo.lc
timeout 10 cat fifo.lc > got.lc &
reader=$!
timeout 10 "$L" -o fifo.lc ok.lua 2> fifo.err; rc=$?
wait "$reader"
[ $rc -eq 0 ] && [ -p fifo.lc ] && cmp -s got.lc want.lc \
    && pass output_fifo || fail output_fifo "exit $rc, fifo.lc $(stat -c %F fifo.lc), $(head -c 200 fifo.err)"
# /dev/full through a link: the device gets the bytes (and says it is full)
ln -s /dev/full full.img
expect output_device_full 1 '^luac.cross: full.img: cannot write output: No space left on device$' - -- "$L" -f -o full.img ok.lua
[ -L full.img ] && [ -c full.img ] && pass output_device_kept \
    || fail output_device_kept "full.img is no longer the device link"
ln -s /dev/null null.img
"$L" -f -o null.img ok.lua > /dev/null && [ -L null.img ] && [ -c null.img ] \
    && pass output_dev_null || fail output_dev_null "-o /dev/null (a link) replaced"
cp ok.lua self.lua; cp ok.lua self.want
expect output_is_input 1 '^luac.cross: self.lua: is also the input self.lua; .*name another output$' - -- "$L" -f -o self.lua self.lua
cp self.want self.lua; ln -f self.lua hard.lua; ln -sf self.lua soft.lua
expect output_is_input_hard 1 'hard.lua: is also the input self.lua' - -- "$L" -o hard.lua ok.lua self.lua
expect output_is_input_soft 1 'soft.lua: is also the input self.lua' - -- "$L" -f -o soft.lua self.lua
printf 'return function() end\n' > escript.lua; cp escript.lua escript.want
expect output_is_escript 1 'escript.lua: is also the input escript.lua' - -- "$L" -f -e escript.lua -o escript.lua ok.lua
cmp -s self.lua self.want && cmp -s escript.lua escript.want && [ -L soft.lua ] \
    && pass output_is_input_kept || fail output_is_input_kept "an input was overwritten"
"$L" --target 5.3-float -f -o t3.img ok.lua > /dev/null; cp t3.img t3.want
expect output_is_input_image 1 't3.img: is also the input t3.img' - -- "$L" --target 5.3-float -a 0x40280000 -o t3.img t3.img
cmp -s t3.img t3.want && pass output_is_input_image_kept \
    || fail output_is_input_image_kept "the 5.3 image was overwritten"
full() { "$@" > /dev/full; }
expect stdout_full_list 1 '^luac.cross: standard output: No space left on device$' - -- full "$L" -l ok.lua
expect stdout_full_list_image 1 '^luac.cross: standard output: No space left on device$' - -- full "$L" -l "$V/lfs51/group.img"
expect stdout_full_verify 1 '^luac.cross: standard output: No space left on device$' - -- full "$L" --verify --lfs-size 0x20000 "$V/lfs51/group.img"
expect stdout_full_image 1 '^luac.cross: standard output: No space left on device$' - -- full "$L" -f ok.lua -o t4.img
full "$L" -f -o - ok.lua 2> dash.err; rc=$?
[ $rc -eq 1 ] && grep -q '^luac.cross: -: cannot write standard output: No space left on device$' dash.err \
    && pass stdout_full_dash || fail stdout_full_dash "exit $rc: $(cat dash.err)"
expect stdout_full_help 1 '^luac.cross: standard output: No space left on device$' - -- full "$L" --help
expect stdout_full_version 1 '^luac.cross: standard output: No space left on device$' - -- full "$L" -v
