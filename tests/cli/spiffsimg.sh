#!/bin/bash
# tests/cli/spiffsimg.sh: the spiffsimg command line: the vectors listed,
# extracted and checked, images built from a tree, NodeMCU's interface
# and script language, add/rm, every error line and exit code, corrupt
# input. Env: BINDIR (the tools), VECTORS. Prints "PASS name" or
# "FAIL name: why" per check; exits non-zero if any failed.
# Uses bash and coreutils only.
set -u
shopt -s globstar nullglob
BIN="${BINDIR:-build/rel/bin}/spiffsimg"
VEC="$(cd "${VECTORS:-tests/vectors}" && pwd)/spiffs"
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fails=0
pass() { echo "PASS $1"; }
fail() { echo "FAIL $1: $2"; fails=$((fails + 1)); }
# run NAME: runs "$@" after the name, keeps stdout/stderr/exit code
run() { "$@" >"$T/out" 2>"$T/err"; rc=$?; }
has() { [[ "$(<"$T/$1")" == *"$2"* ]]; }
# one hash line per file under a directory: "sha256  relative/path"
tree_sum() {
    (cd "$1" && for f in **; do [ -f "$f" ] && sha256sum "$f"; done)
}
same_file() { [ "$(sha256sum <"$1")" == "$(sha256sum <"$2")" ]; }

# -- help, version, usage --------------------------------------------------
run "$BIN" --help
if [ $rc -eq 0 ] && has out "build" && has out "fsck"; then pass help
else fail help "rc $rc"; fi
run "$BIN" --version
if [ $rc -eq 0 ] && has out "spiffsimg"; then pass version
else fail version "rc $rc"; fi
run "$BIN"
if [ $rc -eq 2 ] && has err "usage"; then pass usage_none
else fail usage_none "rc $rc"; fi
run "$BIN" frobnicate x
if [ $rc -eq 2 ] && has err "unknown command"; then pass usage_command
else fail usage_command "rc $rc"; fi

# -- the vectors: list, extract, fsck --------------------------------------
src_sum=$(tree_sum "$VEC/src")
for img in fs64k fs256k fs1m; do
    # our "name size id" against spiffsimg's "f size name"
    run "$BIN" list "$VEC/$img.img"
    ours=$(while read -r n s id; do echo "$n $s"; done <"$T/out")
    theirs=$(while read -r t s n; do echo "$n $s"; done <"$VEC/$img.lst")
    if [ $rc -eq 0 ] && [ "$ours" == "$theirs" ]; then pass "vector_list_$img"
    else fail "vector_list_$img" "rc $rc, listing differs"; fi
    run "$BIN" extract -C "$T/x-$img" "$VEC/$img.img"
    want=$src_sum
    [ $img == fs64k ] && want=$(echo "$src_sum" | while read -r h f; do
        [ "$f" != big70000.txt ] && echo "$h  $f"; done)
    if [ $rc -eq 0 ] && [ "$(tree_sum "$T/x-$img")" == "$want" ]; then
        pass "vector_extract_$img"
    else fail "vector_extract_$img" "rc $rc, tree differs"; fi
done
for img in fs256k fs1m; do
    run "$BIN" fsck "$VEC/$img.img"
    if [ $rc -eq 0 ] && has out "0 problems"; then pass "vector_fsck_$img"
    else fail "vector_fsck_$img" "rc $rc: $(<"$T/err")"; fi
done
# fs64k has 4 KiB blocks: consistent, but the firmware would reformat it
run "$BIN" fsck -b 4096 "$VEC/fs64k.img"
if [ $rc -eq 0 ]; then pass vector_fsck_fs64k_b4096
else fail vector_fsck_fs64k_b4096 "rc $rc: $(<"$T/err")"; fi
run "$BIN" fsck "$VEC/fs64k.img"
if [ $rc -eq 1 ] && has err "firmware uses 8192-byte blocks"; then
    pass vector_fsck_fs64k_firmware
else fail vector_fsck_fs64k_firmware "rc $rc"; fi
run "$BIN" cat "$VEC/fs256k.img" www/index.html
if [ $rc -eq 0 ] && same_file "$T/out" "$VEC/src/www/index.html"; then
    pass vector_cat
else fail vector_cat "rc $rc"; fi

# -- build -----------------------------------------------------------------
run "$BIN" build -s 256k -o "$T/a.img" "$VEC/src"
rc1=$rc
run "$BIN" build -s 0x40000 -o "$T/b.img" "$VEC/src"
if [ $rc1 -eq 0 ] && [ $rc -eq 0 ] &&
   [ "$(stat -c %s "$T/a.img")" == 262144 ] &&
   same_file "$T/a.img" "$T/b.img"; then pass build_deterministic
else fail build_deterministic "rc $rc1/$rc"; fi
run "$BIN" list "$T/a.img"
ours=$(while read -r n s id; do echo "$n $s"; done <"$T/out")
theirs=$(while read -r t s n; do echo "$n $s"; done <"$VEC/fs256k.lst")
if [ "$ours" == "$theirs" ]; then pass build_list
else fail build_list "listing differs"; fi
run "$BIN" extract -C "$T/xa" "$T/a.img"
if [ $rc -eq 0 ] && [ "$(tree_sum "$T/xa")" == "$src_sum" ]; then
    pass build_roundtrip
else fail build_roundtrip "rc $rc"; fi
run "$BIN" fsck "$T/a.img"
if [ $rc -eq 0 ]; then pass build_fsck; else fail build_fsck "rc $rc"; fi
run "$BIN" extract -C "$T/xb" "$T/a.img" init.lua www/index.html
if [ $rc -eq 0 ] && [ "$(tree_sum "$T/xb" | cut -c67-)" == \
     "$(printf 'init.lua\nwww/index.html')" ]; then pass extract_some
else fail extract_some "rc $rc"; fi
# 64 KiB from the vector tree without the 70 000-byte file: 8 KiB blocks
mkdir -p "$T/small/www"
for f in "$VEC"/src/**; do
    r=${f#"$VEC/src/"}
    [ -f "$f" ] && [ "$r" != big70000.txt ] && cp "$f" "$T/small/$r"
done
run "$BIN" build -s 64k -o "$T/s.img" "$T/small"
run "$BIN" info "$T/s.img"
if [ $rc -eq 0 ] && has out "8 blocks of 8192 bytes"; then pass build_64k_8k
else fail build_64k_8k "rc $rc: $(<"$T/out")"; fi
run "$BIN" build -s 24k -o "$T/s24.img" "$T/small/www"
run "$BIN" info "$T/s24.img"
if [ $rc -eq 0 ] && has out "6 blocks of 4096 bytes"; then pass build_24k_4k
else fail build_24k_4k "rc $rc"; fi

# -- NodeMCU's interface ---------------------------------------------------
( cd "$VEC" && "$BIN" -f "$T/c.img" -c 262144 -r fs256k.script ) \
    >"$T/out" 2>"$T/err"
rc=$?
if [ $rc -eq 0 ] && same_file "$T/out" "$VEC/fs256k.log"; then
    pass compat_script_log
else fail compat_script_log "rc $rc: $(<"$T/err")"; fi
if same_file "$T/c.img" "$T/a.img"; then pass compat_same_as_build
else fail compat_same_as_build "script image differs from build"; fi
run "$BIN" -f "$T/c.img" -l
if [ $rc -eq 0 ] && same_file "$T/out" "$VEC/fs256k.lst"; then pass compat_l
else fail compat_l "rc $rc"; fi
run "$BIN" -f "$VEC/fs64k.img" -l
if [ $rc -eq 0 ] && same_file "$T/out" "$VEC/fs64k.lst"; then
    pass compat_l_4k_blocks
else fail compat_l_4k_blocks "rc $rc"; fi
# -c 65536 gives the firmware's 8 KiB blocks, not spiffsimg's 4 KiB
( cd "$VEC" && "$BIN" -f "$T/c64.img" -c 65536 -r fs64k.script ) >"$T/out"
run "$BIN" info "$T/c64.img"
if has out "8 blocks of 8192"; then pass compat_c64k_8k_blocks
else fail compat_c64k_8k_blocks "$(<"$T/out")"; fi
# -S/-U: SDK-3 placement; % in -f; -o offset file
( cd "$T" && "$BIN" -f '0x%x-fs.img' -S 4MB -U 0x9A123 -o off.txt ) \
    >"$T/out" 2>"$T/err"
rc=$?
if [ $rc -eq 0 ] && [ -f "$T/0x9c000-fs.img" ] &&
   [ "$(<"$T/off.txt")" == 0x9c000 ] &&
   [ "$(stat -c %s "$T/0x9c000-fs.img")" == $((0x3FC000 - 0x9C000)) ]; then
    pass compat_S_U_placement
else fail compat_S_U_placement "rc $rc $(<"$T/err")"; fi
run "$BIN" -f "$T/x%s.img" -c 65536
if [ $rc -eq 2 ]; then pass compat_f_format_refused
else fail compat_f_format_refused "rc $rc"; fi
printf 'ls\ncat nothere\ninfo\n' >"$T/s1.lst"
run "$BIN" -f "$T/c.img" -r "$T/s1.lst"
if [ $rc -eq 1 ] && has err "nothere" && has out "Total: 233681"; then
    pass compat_cat_missing
else fail compat_cat_missing "rc $rc"; fi
printf 'bogus command\n' >"$T/s2.lst"
run "$BIN" -f "$T/c.img" -r "$T/s2.lst"
if [ $rc -eq 1 ] && has err "SYNTAX ERROR" && [ ! -s "$T/out" ]; then
    pass compat_syntax_error_stderr
else fail compat_syntax_error_stderr "rc $rc"; fi
cp "$T/c.img" "$T/c0.img"
printf 'import %s /init.lua\n' "$VEC/src/init.lua" >"$T/s3.lst"
run "$BIN" -f "$T/c.img" -r "$T/s3.lst"
if [ $rc -eq 1 ] && has err "starts with '/'" && same_file "$T/c.img" \
   "$T/c0.img"; then pass compat_leading_slash
else fail compat_leading_slash "rc $rc"; fi
printf 'import %s abcdefghijklmnopqrstuvwxyz012345\n' "$VEC/src/one.bin" \
    >"$T/s4.lst"
run "$BIN" -f "$T/n.img" -c 65536 -r "$T/s4.lst" -d
if [ $rc -eq 1 ] && has err "longer than 31" && [ ! -e "$T/n.img" ]; then
    pass compat_long_name_no_output
else fail compat_long_name_no_output "rc $rc"; fi
printf 'import %s big\n' "$VEC/src/big70000.txt" >"$T/s5.lst"
run "$BIN" -f "$T/n.img" -c 65536 -r "$T/s5.lst"
if [ $rc -eq 1 ] && has err "needed" && has err "available" &&
   [ ! -e "$T/n.img" ]; then pass compat_full_no_output
else fail compat_full_no_output "rc $rc"; fi
printf 'import %s a\nexport a %s\nrm a\nls\n' "$VEC/src/binary.dat" \
    "$T/exp.dat" >"$T/s6.lst"
run "$BIN" -f "$T/e.img" -c 65536 -r "$T/s6.lst"
if [ $rc -eq 0 ] && same_file "$T/exp.dat" "$VEC/src/binary.dat" &&
   [ ! -s "$T/out" ]; then pass compat_import_export_rm
else fail compat_import_export_rm "rc $rc"; fi
printf 'ls\n' | "$BIN" -f "$T/i.img" -c 32768 -i >"$T/out" 2>&1
if has out "Created filesystem -- size 0x8000, block_size=8192"; then
    pass compat_interactive
else fail compat_interactive "$(<"$T/out")"; fi

# -- add, rm ---------------------------------------------------------------
cp "$T/s.img" "$T/m.img"
run "$BIN" add -C "$VEC/src" "$T/m.img" www
run "$BIN" add -C "$VEC/src" "$T/m.img" init.lua one.bin
run2=$rc
printf 'new\n' >"$T/init.lua"
run "$BIN" add -C "$T" "$T/m.img" init.lua
run "$BIN" cat "$T/m.img" init.lua
if [ $run2 -eq 0 ] && [ "$(<"$T/out")" == new ]; then pass add_replace
else fail add_replace "rc $run2/$rc"; fi
# replacing a file that fills most of the image: the image is written all
# or nothing, so the new version needs no room beside the old one
mkdir -p "$T/rep1" "$T/rep2"
head -c 40000 /dev/zero | tr '\0' a >"$T/rep1/big"
head -c 41000 /dev/zero | tr '\0' b >"$T/rep2/big"
run "$BIN" build -s 64k -o "$T/rep.img" "$T/rep1"
run "$BIN" add -C "$T/rep2" "$T/rep.img" big
run2=$rc
run "$BIN" cat "$T/rep.img" big
if [ $run2 -eq 0 ] && same_file "$T/out" "$T/rep2/big"; then
    pass add_replace_full
else fail add_replace_full "rc $run2/$rc: $(<"$T/err")"; fi
run "$BIN" rm "$T/m.img" one.bin www/index.html
run "$BIN" list "$T/m.img"
if [ $rc -eq 0 ] && ! has out "one.bin" && ! has out "www/index.html" &&
   has out "init.lua"; then pass rm_files
else fail rm_files "rc $rc"; fi
cp "$T/m.img" "$T/m0.img"
run "$BIN" rm "$T/m.img" config.json nothere
if [ $rc -eq 1 ] && has err "nothere" && same_file "$T/m.img" "$T/m0.img"
then pass rm_missing_no_change
else fail rm_missing_no_change "rc $rc"; fi
run "$BIN" fsck "$T/m.img"
if [ $rc -eq 0 ]; then pass add_rm_fsck; else fail add_rm_fsck "rc $rc"; fi
run "$BIN" add "$T/m.img" /etc/hostname
if [ $rc -eq 1 ] && has err "relative"; then pass add_absolute
else fail add_absolute "rc $rc"; fi
# names extract could not write back are refused when storing (one rule)
mkdir -p "$T/dd/sub/a/b"
printf 'up\n' >"$T/dd/up.txt"
printf 'in\n' >"$T/dd/sub/a/b/f.txt"
cp "$T/m.img" "$T/m0.img"
for p in ../up.txt a//b/f.txt a/./b/f.txt a/b/../b/f.txt; do
    run "$BIN" add -C "$T/dd/sub" "$T/m.img" "$p"
    if [ $rc -eq 1 ] && has err "'..' part" && [ "$(wc -l <"$T/err")" -eq 1 ] &&
       same_file "$T/m.img" "$T/m0.img"; then pass "add_unsafe_name $p"
    else fail "add_unsafe_name $p" "rc $rc: $(<"$T/err")"; fi
done
printf 'import %s a/../evil\n' "$VEC/src/one.bin" >"$T/s8.lst"
run "$BIN" -f "$T/v.img" -c 65536 -r "$T/s8.lst"
if [ $rc -eq 1 ] && has err "'..' part" && [ ! -e "$T/v.img" ]; then
    pass compat_import_unsafe_name
else fail compat_import_unsafe_name "rc $rc: $(<"$T/err")"; fi
# list: control bytes and '\' escaped, one line per file
mkdir -p "$T/ctl"
printf '1' >"$T/ctl/a"$'\n'"b"
printf '22' >"$T/ctl/t"$'\t'"ab"$'\x01'"\\"
run "$BIN" build -s 64k -o "$T/ctl.img" "$T/ctl"
run "$BIN" list "$T/ctl.img"
if [ $rc -eq 0 ] && [ "$(wc -l <"$T/out")" -eq 2 ] &&
   [ "$(cut -c1-4 <"$T/out" | head -n 1)" == 'a\nb' ] &&
   [ "$(head -n 2 "$T/out" | tail -n 1 | cut -d' ' -f1)" == 't\tab\x01\\' ]
then pass list_escapes_control
else fail list_escapes_control "rc $rc: $(head -c 200 "$T/out")"; fi
# extract: a file that is also a folder of another, or a host file in the
# way of a folder: one line, exit 1, nothing written
mkdir -p "$T/cf1" "$T/cf2/x"
printf 'file\n' >"$T/cf1/x"
printf 'below\n' >"$T/cf2/x/y"
printf 'other\n' >"$T/cf1/z"
"$BIN" build -s 64k -o "$T/cf.img" "$T/cf1" && "$BIN" add -C "$T/cf2" "$T/cf.img" x/y
run "$BIN" extract -C "$T/cfx" "$T/cf.img"
if [ $rc -eq 1 ] && has err '"x"' && has err '"x/y"' &&
   [ "$(wc -l <"$T/err")" -eq 1 ] && [ -z "$(ls -A "$T/cfx" 2>/dev/null)" ]
then pass extract_file_and_folder_nothing_written
else fail extract_file_and_folder_nothing_written "rc $rc: $(<"$T/err"); wrote: $(ls -A "$T/cfx" 2>/dev/null)"; fi
run "$BIN" extract -C "$T/cfx" "$T/cf.img" z x
if [ $rc -eq 0 ] && [ "$(<"$T/cfx/x")" == file ]; then pass extract_file_of_both
else fail extract_file_of_both "rc $rc: $(<"$T/err")"; fi
mkdir -p "$T/hx"
printf 'mine\n' >"$T/hx/www"
run "$BIN" extract -C "$T/hx" "$T/a.img"
if [ $rc -eq 1 ] && has err "www" && [ "$(wc -l <"$T/err")" -eq 1 ] &&
   [ "$(ls -A "$T/hx")" == www ] && [ "$(<"$T/hx/www")" == mine ]
then pass extract_host_file_in_the_way_nothing_written
else fail extract_host_file_in_the_way_nothing_written "rc $rc: $(<"$T/err"); wrote: $(ls -A "$T/hx")"; fi

# -- errors ----------------------------------------------------------------
run "$BIN" build -s 64k -o "$T/f.img" "$VEC/src"
if [ $rc -eq 1 ] && has err "needed" && has err "available" &&
   has err "98304 bytes or more" && [ ! -e "$T/f.img" ]; then
    pass err_tree_too_big
else fail err_tree_too_big "rc $rc: $(<"$T/err")"; fi
mkdir -p "$T/long"
: >"$T/long/abcdefghijklmnopqrstuvwxyz012345"
run "$BIN" build -s 64k -o "$T/f.img" "$T/long"
if [ $rc -eq 1 ] && has err "longer than 31" && [ ! -e "$T/f.img" ]; then
    pass err_long_name
else fail err_long_name "rc $rc"; fi
mkdir -p "$T/fifo"
mkfifo "$T/fifo/pipe"
printf 'x' >"$T/fifo/x"
run "$BIN" build -s 64k -o "$T/f.img" "$T/fifo"
if [ $rc -eq 0 ] && has err "warning" && has err "pipe"; then
    pass err_nonregular_skipped
else fail err_nonregular_skipped "rc $rc"; fi
head -c 65536 /dev/urandom >"$T/rand.img"
run "$BIN" list "$T/rand.img"
if [ $rc -eq 1 ] && has err "not a SPIFFS image"; then pass err_not_spiffs
else fail err_not_spiffs "rc $rc"; fi
run "$BIN" build -s 100000 -o "$T/g.img" "$T/small"
if [ $rc -eq 2 ] && has err "multiple" && [ ! -e "$T/g.img" ]; then
    pass err_size_multiple
else fail err_size_multiple "rc $rc"; fi
head -c 70000 "$VEC/fs256k.img" >"$T/trunc.img"
run "$BIN" list "$T/trunc.img"
if [ $rc -eq 1 ] && has err "multiple"; then pass err_truncated
else fail err_truncated "rc $rc"; fi
run "$BIN" list "$T/nonexistent.img"
if [ $rc -eq 1 ] && has err "nonexistent.img"; then pass err_missing_input
else fail err_missing_input "rc $rc"; fi
for e in "$T"/err; do
    n=$(wc -l <"$e")
    [ "$n" -le 1 ] || fail err_one_line "$n lines"
done

# -- unsafe names and corrupt images ---------------------------------------
# an image holding "../evil" (no writer of ours stores one): store
# "xx/evil" and patch the name bytes
printf 'import %s xx/evil\n' "$VEC/src/one.bin" >"$T/s7.lst"
"$BIN" -f "$T/u.img" -c 65536 -r "$T/s7.lst" >/dev/null 2>&1
at=$(LC_ALL=C grep -obaF xx/evil "$T/u.img" | head -n 1 | cut -d: -f1)
printf '..' | dd of="$T/u.img" bs=1 seek="${at:-0}" conv=notrunc status=none
mkdir -p "$T/ux/in"
run "$BIN" extract -C "$T/ux/in" "$T/u.img"
if [ $rc -eq 1 ] && has err "safe" && [ ! -e "$T/ux/evil" ]; then
    pass extract_refuses_dotdot
else fail extract_refuses_dotdot "rc $rc"; fi
ok=1
# random bytes over live structures: lookup pages, headers, data, magics
for at in 0 0x100 0x200 0x2000 0x120c0 0x12b00 0x12c00 0x3E0C0; do
    cp "$VEC/fs256k.img" "$T/k.img"
    head -c 64 /dev/urandom | dd of="$T/k.img" bs=1 seek=$((at)) \
        conv=notrunc status=none
    "$BIN" fsck "$T/k.img" >/dev/null 2>&1
    r1=$?
    "$BIN" list "$T/k.img" >/dev/null 2>&1
    r2=$?
    "$BIN" extract -C "$T/kx$at" "$T/k.img" >/dev/null 2>&1
    r3=$?
    [ $r1 -eq 1 ] && [ $r2 -le 1 ] && [ $r3 -le 1 ] || { ok=0; bad=$at; }
done
if [ $ok -eq 1 ]; then pass corrupt_reported_no_crash
else fail corrupt_reported_no_crash "at $bad: a crash or fsck passed"; fi

# -- outputs: a FIFO or a device is written in place, never replaced; an
# output that is an input is refused; standard output is checked ----------
O="$T/o"
mkdir -p "$O/src" "$O/x" "$O/y"
echo hello >"$O/src/a.txt"
"$BIN" build -s 64k -o "$O/want.img" "$O/src"
mkfifo "$O/fifo.img"
timeout 10 cat "$O/fifo.img" >"$O/got.img" &
reader=$!
run timeout 10 "$BIN" build -s 64k -o "$O/fifo.img" "$O/src"
wait $reader
if [ $rc -eq 0 ] && [ -p "$O/fifo.img" ] && same_file "$O/got.img" "$O/want.img"
then pass output_fifo
else fail output_fifo "rc $rc, fifo.img $(stat -c %F "$O/fifo.img")"; fi
ln -s /dev/full "$O/full.img"
run "$BIN" build -s 64k -o "$O/full.img" "$O/src"
if [ $rc -eq 1 ] && has err "full.img: cannot write output: No space left on device" &&
    [ "$(wc -l <"$T/err")" -eq 1 ] && [ -L "$O/full.img" ] && [ -c "$O/full.img" ]
then pass output_device
else fail output_device "rc $rc, $(<"$T/err")"; fi
mkfifo "$O/y/a.txt"
timeout 10 cat "$O/y/a.txt" >"$O/got.txt" &
reader=$!
run timeout 10 "$BIN" extract -C "$O/y" "$O/want.img"
wait $reader
if [ $rc -eq 0 ] && [ -p "$O/y/a.txt" ] && [ "$(cat "$O/got.txt")" == hello ]
then pass extract_fifo
else fail extract_fifo "rc $rc, a.txt $(stat -c %F "$O/y/a.txt")"; fi
ln -s /dev/full "$O/x/a.txt"
run "$BIN" extract -C "$O/x" "$O/want.img"
if [ $rc -eq 1 ] && has err "a.txt: cannot write output: No space left on device" &&
    [ -L "$O/x/a.txt" ] && [ -c "$O/x/a.txt" ]
then pass extract_device
else fail extract_device "rc $rc, $(<"$T/err")"; fi
# build -o a file of DIR: the image would swallow the old one, then
# replace it
cp "$O/want.img" "$O/src/self.img"
run "$BIN" build -s 64k -o "$O/src/self.img" "$O/src"
if [ $rc -eq 1 ] && has err "self.img: is also the input" &&
    [ "$(wc -l <"$T/err")" -eq 1 ] && same_file "$O/src/self.img" "$O/want.img"
then pass build_output_is_input
else fail build_output_is_input "rc $rc, $(<"$T/err")"; fi
ln "$O/src/a.txt" "$O/hard.img"
run "$BIN" build -s 64k -o "$O/hard.img" "$O/src"
if [ $rc -eq 1 ] && has err "hard.img: is also the input" &&
    [ "$(cat "$O/src/a.txt")" == hello ]
then pass build_output_is_input_hard
else fail build_output_is_input_hard "rc $rc, $(<"$T/err")"; fi
rm -f "$O/src/self.img"
# extract: a file of the image named like the image itself
mkdir -p "$O/z"
cp "$O/src/a.txt" "$O/z/in.img"
"$BIN" build -s 64k -o "$O/in.img" "$O/z"
cp "$O/in.img" "$O/in.want"
run "$BIN" extract -C "$O" "$O/in.img"
if [ $rc -eq 1 ] && has err "in.img: is also the input" &&
    same_file "$O/in.img" "$O/in.want"
then pass extract_output_is_input
else fail extract_output_is_input "rc $rc, $(<"$T/err")"; fi
# NodeMCU's interface: export over the image or the script, -o over the
# image
cp "$O/want.img" "$O/c.img"
printf 'export a.txt %s\n' "$O/c.img" >"$O/ex.lst"
run "$BIN" -f "$O/c.img" -r "$O/ex.lst"
if [ $rc -eq 1 ] && has err "c.img: is also the input" &&
    same_file "$O/c.img" "$O/want.img"
then pass compat_export_is_image
else fail compat_export_is_image "rc $rc, $(<"$T/err")"; fi
printf 'export a.txt %s\n' "$O/ex2.lst" >"$O/ex2.lst"
cp "$O/ex2.lst" "$O/ex2.want"
run "$BIN" -f "$O/c.img" -r "$O/ex2.lst"
if [ $rc -eq 1 ] && has err "ex2.lst: is also the input" &&
    same_file "$O/ex2.lst" "$O/ex2.want"
then pass compat_export_is_script
else fail compat_export_is_script "rc $rc, $(<"$T/err")"; fi
run "$BIN" -f "$O/new.img" -c 65536 -o "$O/new.img"
if [ $rc -eq 1 ] && has err "new.img: is also the input" &&
    "$BIN" fsck "$O/new.img" >/dev/null 2>&1
then pass compat_offset_is_image
else fail compat_offset_is_image "rc $rc, $(<"$T/err")"; fi
for cmd in "list" "info" "fsck" "cat:a.txt" "-l:" "--help:" "--version:"; do
    args=("${cmd%%:*}")
    case $cmd in
        cat:*) args+=("$O/want.img" a.txt) ;;
        -l:) args=(-f "$O/want.img" -l) ;;
        --*) ;;
        *) args+=("$O/want.img") ;;
    esac
    "$BIN" "${args[@]}" >/dev/full 2>"$T/err"
    rc=$?
    if [ $rc -eq 1 ] && [ "$(wc -l <"$T/err")" -eq 1 ] &&
        grep -q 'standard output.*No space left on device$' "$T/err"
    then pass "stdout_full_${cmd%%:*}"
    else fail "stdout_full_${cmd%%:*}" "rc $rc, $(<"$T/err")"; fi
done

[ $fails -eq 0 ]
