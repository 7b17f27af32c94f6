#!/bin/bash
# tests/cli/flashimg.sh: the flashimg command line: compose -> inspect ->
# extract round trips (relocated LFS equals luac.cross -a but for signature
# bit 0, absolute images byte-identical, SPIFFS directories and images),
# the NodeMCU release layout of docs/flash-layout.md §1 composed from a
# synthetic firmware (combined and split) and inspected, the header's
# flash bytes, profiles, Lua 5.3 regions, the nodemcu-partition.py
# drop-in with every fixed defect (tests/deviations/flashimg-*.md),
# refusals (exit 1, one line, no output left) and bad flash images (never
# a crash). Env: BINDIR (flashimg, luac.cross, spiffsimg), VECTORS.
# Prints "PASS name" / "FAIL name: why"; exits non-zero if any failed.
# Uses bash and coreutils only.
set -u
shopt -s globstar nullglob
BIN="${BINDIR:-build/rel/bin}"
FI="$BIN/flashimg"
LUAC="$BIN/luac.cross"
SPI="$BIN/spiffsimg"
VEC="$(cd "${VECTORS:-tests/vectors}" && pwd)"
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
CLI_PREFIX=flashimg
CLI_LIB="$(cd "$(dirname "$0")" && pwd)/lib.bash"
# shellcheck source=tests/cli/lib.bash
. "$CLI_LIB"
fails=0
_fail_lib() { echo "FAIL ${CLI_PREFIX}_$1: $2"; fails=$((fails + 1)); }
fail() { _fail_lib "$@"; }

# run CMD...: stdout/stderr in $T/out, $T/err, exit code in $rc
run() { "$@" >"$T/out" 2>"$T/err"; rc=$?; }
has() { grep -qF -- "$2" "$T/$1"; }
# check NAME CONDITION-STATUS MESSAGE
ok() { if [ "$2" -eq 0 ]; then pass "$1"; else fail "$1" "$3"; fi; }
# bytes FILE OFFSET COUNT: hex bytes "e9 01 02 40"
bytes() { od -An -tx1 -j $(($2)) -N "$3" "$1" | tr -s ' \n' ' ' |
          sed 's/^ //; s/ $//'; }
# le32 V: 4 little-endian bytes as printf escapes
le32() { local v=$(($1)); printf '\\x%02x\\x%02x\\x%02x\\x%02x' \
         $((v & 255)) $((v >> 8 & 255)) $((v >> 16 & 255)) \
         $((v >> 24 & 255)); }
# sanitizer reports or a signal are crashes, whatever the exit code
crashed() { [ "$rc" -gt 2 ] || grep -qE 'Sanitizer|runtime error' "$T/err"; }
tree_sum() { (cd "$1" && for f in **; do [ -f "$f" ] && sha256sum "$f"; done); }

# -- help, version, usage --------------------------------------------------
run "$FI" --help
ok help $(( rc != 0 || $(grep -c 'compose\|inspect\|extract\|partition' \
    "$T/out") < 4 )) "rc $rc"
run "$FI" --version
ok version $(( rc != 0 )) "rc $rc"; has out flashimg || fail version text
run "$FI"
ok usage_none $(( rc != 2 )) "rc $rc"
run "$FI" frobnicate
ok usage_command $(( rc != 2 )) "rc $rc"
run "$FI" compose -o "$T/u.bin"
ok usage_no_firmware $(( rc != 2 )) "rc $rc"
run "$FI" compose -o "$T/u.bin" --stand-in --firmware "$T/x"
ok usage_two_firmwares $(( rc != 2 )) "rc $rc"
run "$FI" compose -o "$T/u.bin" --stand-in --lfs-addr 0x80001
ok usage_unaligned_addr $(( rc != 2 )) "rc $rc"
run "$FI" compose -o "$T/u.bin" --stand-in --flash-size 3M
ok usage_flash_size $(( rc != 2 )) "rc $rc"
run "$FI" partition "$T/u.bin" -p /dev/ttyUSB0
ok usage_partition_port $(( rc != 2 )) "rc $rc"
[ ! -e "$T/u.bin" ] || fail usage_no_output "output written"

# -- profiles --------------------------------------------------------------
run "$FI" profile
cp "$T/out" "$T/builtin.prof"
ok profile_builtin $(( rc != 0 )) "rc $rc"
if grep -q '^lfs_addr *= 0x80000$' "$T/builtin.prof" &&
   grep -q '^lfs_size *= 0x40000$' "$T/builtin.prof" &&
   grep -q '^flash_size *= 4M$' "$T/builtin.prof"; then
    pass profile_matches_plat_h
else fail profile_matches_plat_h "$(tr '\n' '|' <"$T/builtin.prof")"; fi
run "$FI" profile "$T/builtin.prof"
if [ $rc -eq 0 ] && cmp -s "$T/out" "$T/builtin.prof"; then
    pass profile_round_trip
else fail profile_round_trip "rc $rc"; fi

# -- stand-in, LFS relocated / absolute ------------------------------------
"$LUAC" -f --timestamp 1700000000 -o "$T/hello.img" \
    "$VEC/src/lua51/hello.lua" >/dev/null
"$LUAC" -a 0x40280000 --timestamp 1700000000 -o "$T/hello-a.img" \
    "$VEC/src/lua51/hello.lua" >/dev/null
run "$FI" compose --stand-in -o "$T/s.bin" --lfs "$T/hello.img" \
    --spiffs-dir "$VEC/spiffs/src"
ok compose_standin $(( rc != 0 )) "rc $rc: $(head -c 300 "$T/err")"
if [ "$(stat -c %s "$T/s.bin")" = 4194304 ] &&
   [ "$(bytes "$T/s.bin" 0 4)" = "e9 01 02 40" ]; then
    pass standin_header_4m
else fail standin_header_4m "$(bytes "$T/s.bin" 0 4)"; fi
run "$FI" inspect "$T/s.bin"
if [ $rc -eq 0 ] && has out "flashimg stand-in" &&
   has out "LFS0 (103)            0x080000  0x040000" &&
   has out "modules (1): hello" && has out "verify: ok" &&
   has out "timestamp: 1700000000" && has out "www/index.html"; then
    pass inspect_standin
else fail inspect_standin "rc $rc: $(head -c 300 "$T/err")"; fi
run "$FI" extract "$T/s.bin" lfs -o "$T/s-lfs.img"
# relocated == luac.cross -a for the same base, but for signature bit 0
if [ $rc -eq 0 ] && [ "$(bytes "$T/s-lfs.img" 0 1)" = 54 ] &&
   [ "$(bytes "$T/hello-a.img" 0 1)" = 55 ] &&
   cmp -s <(tail -c +2 "$T/s-lfs.img") <(tail -c +2 "$T/hello-a.img"); then
    pass lfs_relocated_equals_absolute
else fail lfs_relocated_equals_absolute "rc $rc: $(cmp "$T/s-lfs.img" \
    "$T/hello-a.img" 2>&1)"; fi
"$LUAC" -a 0x40280000 -o "$T/x.img" "$VEC/src/lua51/hello.lua" >/dev/null
run "$FI" compose --stand-in -o "$T/a.bin" --lfs "$T/x.img"
run "$FI" extract "$T/a.bin" lfs -o "$T/a-lfs.img"
if [ $rc -eq 0 ] && cmp -s "$T/a-lfs.img" "$T/x.img"; then
    pass lfs_absolute_byte_identical
else fail lfs_absolute_byte_identical "rc $rc"; fi
run "$FI" compose --stand-in -o "$T/g.bin" \
    --lfs "$VEC/lfs51/group-a40280000.img"
run "$FI" extract "$T/g.bin" lfs -o "$T/g-lfs.img"
if [ $rc -eq 0 ] && cmp -s "$T/g-lfs.img" "$VEC/lfs51/group-a40280000.img"
then pass lfs_absolute_vector
else fail lfs_absolute_vector "rc $rc"; fi
# every float 5.1 vector image: relocated, verified by inspect
bad=""
for img in "$VEC"/lfs51/*.img; do
    case $img in *.int.img|*-a4*) continue ;; esac
    "$FI" compose --stand-in -o "$T/v.bin" --lfs "$img" >/dev/null 2>&1 &&
    "$FI" inspect "$T/v.bin" >"$T/out" 2>&1 && has out "verify: ok" ||
        bad="$bad $(basename "$img")"
done
ok lfs_vectors_relocate_verify $([ -z "$bad" ]; echo $?) "$bad"
# integer images want an integer profile
printf 'number = int\n' >"$T/int.prof"
run "$FI" compose --stand-in -o "$T/i.bin" --profile "$T/int.prof" \
    --lfs "$VEC/lfs51/hello.int.img"
ok lfs_int_profile $(( rc != 0 )) "rc $rc: $(head -c 300 "$T/err")"
run "$FI" inspect "$T/i.bin"
ok lfs_int_inspect $(( rc != 0 )) "rc $rc"; has out "integer image" ||
    fail lfs_int_inspect_kind "$(grep Lua "$T/out")"
# Lua 5.3: the stream becomes the region the loader builds
printf 'dialect = 53\n' >"$T/53.prof"
run "$FI" compose --stand-in -o "$T/53.bin" --profile "$T/53.prof" \
    --lfs "$VEC/lfs53/hi53.img"
run "$FI" inspect "$T/53.bin"
if [ $rc -eq 0 ] && has out "Lua 5.3 flash region" && has out "hi53"; then
    pass lfs53_region
else fail lfs53_region "rc $rc: $(head -c 300 "$T/err")"; fi

# -- SPIFFS ---------------------------------------------------------------
run "$FI" extract "$T/s.bin" spiffs -o "$T/s-fs.img"
rc1=$rc
run "$SPI" extract -C "$T/s-tree" "$T/s-fs.img"
if [ $rc1 -eq 0 ] && [ $rc -eq 0 ] &&
   [ "$(tree_sum "$T/s-tree")" = "$(tree_sum "$VEC/spiffs/src")" ]; then
    pass spiffs_dir_round_trip
else fail spiffs_dir_round_trip "rc $rc1/$rc"; fi
# inspect lists exactly the source files with their sizes
want=$(cd "$VEC/spiffs/src" && for f in **; do [ -f "$f" ] &&
       echo "$f $(stat -c %s "$f")"; done | sort)
"$FI" inspect "$T/s.bin" >"$T/out"
got=$(sed -n '/^SPIFFS/,$p' "$T/out" | awk 'NF == 2 && $2 ~ /^[0-9]+$/ {
      print $1, $2 }' | sort)
ok spiffs_inspect_listing $([ "$want" = "$got" ]; echo $?) "listing differs"
# 8 KiB blocks for the region, FS start = partition (0xc0000)
ok spiffs_block_magic $([ "$(bytes "$T/s.bin" 0xc00fc 2)" = \
    "$(printf '%02x %02x' $(((0x0429 ^ 414) & 255)) \
    $(((0x0429 ^ 414) >> 8)))" ]
    echo $?) "$(bytes "$T/s.bin" 0xc00fc 2)"
run "$FI" compose --stand-in -o "$T/f.bin" --spiffs "$VEC/spiffs/fs256k.img"
run "$FI" extract "$T/f.bin" spiffs -o "$T/f-fs.img"
if [ $rc -eq 0 ] && cmp -s "$T/f-fs.img" "$VEC/spiffs/fs256k.img"; then
    pass spiffs_image_round_trip
else fail spiffs_image_round_trip "rc $rc"; fi
run "$SPI" list "$T/f-fs.img"
ok spiffs_image_lists $(( rc != 0 )) "rc $rc"

# -- the NodeMCU release layout (docs/flash-layout.md §1 example) --------------
# 0x00000.bin: one 8-byte segment, DIO, elf2image's 1 MiB size byte
data='\x01\x02\x03\x04\x05\x06\x07\x08'
{ printf '\xe9\x01\x02\x20'; printf "$(le32 0x40100004)"
  printf "$(le32 0x40100000)$(le32 8)$data"
  head -c 7 /dev/zero; printf '\xe7'; } >"$T/fw0.bin"
# 0x10000.bin: RCR page with the default table (LUA_FLASH_STORE 0x10000,
# SPIFFS ~0, end marker 0x40298000), then irom0 up to 0x98000
{ printf '\x18\x01\x00\x00'
  for it in "101 0 0xB000" "4 0xD000 0x1000" "5 0xF000 0x1000" \
            "102 0x10000 0" "103 0 0x10000" "106 0 0xFFFFFFFF" \
            "6 0 0x3000" "0 0x40298000 0"; do
      set -- $it
      printf "$(le32 "$1")$(le32 "$2")$(le32 "$3")"
  done; } >"$T/page"
{ cat "$T/page"; head -c $((4096 - $(stat -c %s "$T/page"))) /dev/zero |
  tr '\0' '\377'; head -c $((0x88000 - 4096)) /dev/zero | tr '\0' 'N'; } \
    >"$T/fw10.bin"
{ cat "$T/fw0.bin"; head -c $((0x10000 - 32)) /dev/zero | tr '\0' '\377'
  cat "$T/fw10.bin"; } >"$T/fw.bin"
run "$FI" inspect "$T/fw.bin"
if [ $rc -eq 0 ] && has out "not yet planned" &&
   has out "IROM0TEXT (102)       0x010000  0x088000  0x098000" &&
   has out "SPIFFS0 (106)         0x0a8000  0x055000  0x0fd000"; then
    pass nodemcu_fresh_firmware_first_boot_1m
else fail nodemcu_fresh_firmware_first_boot_1m "rc $rc: $(head -c 300 \
    "$T/err")"; fi
run "$FI" compose -o "$T/n.bin" --firmware "$T/fw.bin" \
    --lfs "$T/hello.img" --spiffs-dir "$VEC/spiffs/src"
ok nodemcu_compose $(( rc != 0 )) "rc $rc: $(head -c 300 "$T/err")"
run "$FI" compose -o "$T/n2.bin" --firmware0 "$T/fw0.bin" \
    --firmware10 "$T/fw10.bin" --lfs "$T/hello.img" \
    --spiffs-dir "$VEC/spiffs/src"
if [ $rc -eq 0 ] && cmp -s "$T/n.bin" "$T/n2.bin"; then
    pass nodemcu_split_equals_combined
else fail nodemcu_split_equals_combined "rc $rc"; fi
run "$FI" inspect "$T/n.bin"
if [ $rc -eq 0 ] && has out "partition table: planned" &&
   has out "IROM0TEXT (102)       0x010000  0x088000  0x098000" &&
   has out "LFS0 (103)            0x098000  0x010000  0x0a8000" &&
   has out "SPIFFS0 (106)         0x0a8000  0x355000  0x3fd000" &&
   has out "SYSTEM_PARAMETER (6)  0x3fd000  0x003000  0x400000" &&
   has out "file system 0x0a8000+0x354000" && has out "426 blocks" &&
   has out "modules (1): hello"; then
    pass nodemcu_layout_inspected
else fail nodemcu_layout_inspected "rc $rc: $(head -c 300 "$T/err")"; fi
ok nodemcu_header_4m $([ "$(bytes "$T/n.bin" 0 4)" = "e9 01 02 40" ]
    echo $?) "$(bytes "$T/n.bin" 0 4)"
ok nodemcu_fs_magic_0583 $([ "$(bytes "$T/n.bin" 0xa80fc 2)" = "83 05" ]
    echo $?) "$(bytes "$T/n.bin" 0xa80fc 2)"
# the RCR page now holds the final table (7 items, 21 words, no marker)
ok nodemcu_final_table $([ "$(bytes "$T/n.bin" 0x10000 4)" = \
    "15 01 00 00" ]; echo $?) "$(bytes "$T/n.bin" 0x10000 4)"
"$LUAC" -a 0x40298000 --timestamp 1700000000 -o "$T/hello-98.img" \
    "$VEC/src/lua51/hello.lua" >/dev/null
run "$FI" extract "$T/n.bin" lfs -o "$T/n-lfs.img"
if [ $rc -eq 0 ] &&
   cmp -s <(tail -c +2 "$T/n-lfs.img") <(tail -c +2 "$T/hello-98.img")
then pass nodemcu_lfs_relocated_to_0x98000
else fail nodemcu_lfs_relocated_to_0x98000 "rc $rc"; fi
run "$FI" extract "$T/n.bin" firmware -o "$T/n-fw.bin"
if [ $rc -eq 0 ] && [ "$(stat -c %s "$T/n-fw.bin")" = $((0x98000)) ] &&
   cmp -s <(tail -c +$((0x11001)) "$T/n-fw.bin") \
          <(tail -c +$((0x11001)) "$T/fw.bin"); then
    pass extract_firmware
else fail extract_firmware "rc $rc"; fi
run "$FI" extract "$T/n.bin" firmware0 -o "$T/n-fw0.bin"
ok extract_firmware0 $(cmp -s <(tail -c +5 "$T/n-fw0.bin") \
    <(tail -c +5 "$T/fw0.bin"); echo $?) "rc $rc"
run "$FI" extract "$T/n.bin" 0x98000:0x10000 -o "$T/n-range.bin"
ok extract_range $([ $rc -eq 0 ] &&
    [ "$(stat -c %s "$T/n-range.bin")" = 65536 ]; echo $?) "rc $rc"
# a device dump shorter than the flash still inspects
head -c $((0xb0000)) "$T/n.bin" >"$T/dump.bin"
run "$FI" inspect "$T/dump.bin"
if [ $rc -eq 0 ] && has out "flash dump" && has out "verify: ok" &&
   has out "runs past the end of the data"; then
    pass inspect_short_dump
else fail inspect_short_dump "rc $rc: $(head -c 300 "$T/err")"; fi
# header flash bytes from options
run "$FI" compose -o "$T/h.bin" --firmware "$T/fw.bin" --flash-size 2M \
    --flash-mode qio --flash-freq 80m
ok header_flash_bytes $([ $rc -eq 0 ] &&
    [ "$(bytes "$T/h.bin" 2 2)" = "00 3f" ] &&
    [ "$(stat -c %s "$T/h.bin")" = $((0x200000)) ]; echo $?) \
    "rc $rc $(bytes "$T/h.bin" 0 4)"
# a profile file's layout keys apply to a real firmware
printf 'lfs_size = 0x20000\nspiffs_addr = 0x100000\nspiffs_size = 0x80000\n' \
    >"$T/lay.prof"
run "$FI" compose -o "$T/p.bin" --firmware "$T/fw.bin" --profile \
    "$T/lay.prof"
"$FI" inspect "$T/p.bin" >"$T/out" 2>&1
if has out "LFS0 (103)            0x098000  0x020000" &&
   has out "SPIFFS0 (106)         0x100000  0x080000"; then
    pass profile_layout_on_firmware
else fail profile_layout_on_firmware "$(grep 'LFS0\|SPIFFS0' "$T/out" |
    tr '\n' '|')"; fi
run "$FI" compose -o "$T/t.bin" --stand-in --trim --lfs "$T/hello.img"
ok compose_trim $([ $rc -eq 0 ] &&
    [ "$(stat -c %s "$T/t.bin")" = $((0x81000)) ]; echo $?) "rc $rc"

# -- refusals: one line, exit 1, nothing written -------------------------
o="$T/r.bin"
expect refuse_overlap 1 'SPIFFS0 0xa0000\+0x10000 overlaps LFS0' "$o" -- \
    "$FI" compose --stand-in -o "$o" --lfs-addr 0x80000 --lfs-size 0x40000 \
    --spiffs-addr 0xa0000 --spiffs-size 0x10000
expect refuse_lfs_too_big 1 'does not fit the LFS partition 0x80000\+0x4000' \
    "$o" -- "$FI" compose --stand-in -o "$o" --lfs "$VEC/lfs51/bigmod.img" \
    --lfs-size 0x4000
expect refuse_lfs_beyond_1m 1 'LFS0 0xf0000\+0x20000 ends at 0x110000' "$o" \
    -- "$FI" compose --stand-in -o "$o" --lfs-addr 0xf0000 \
    --lfs-size 0x20000
expect refuse_spiffs_dir_too_big 1 'need .* pages' "$o" -- \
    "$FI" compose --stand-in -o "$o" --spiffs-dir "$VEC/spiffs/src" \
    --spiffs-size 0x10000
expect refuse_spiffs_image_too_big 1 \
    '0x100000 bytes is larger than the 0x40000-byte file' "$o" -- \
    "$FI" compose --stand-in -o "$o" --spiffs "$VEC/spiffs/fs1m.img" \
    --spiffs-size 0x40000 --spiffs-addr 0x100000
expect refuse_spiffs_4k_blocks 1 'probe \(8192-byte blocks\)' "$o" -- \
    "$FI" compose --stand-in -o "$o" --spiffs "$VEC/spiffs/fs64k.img"
expect refuse_absolute_wrong_base 1 'built for 0x40280000' "$o" -- \
    "$FI" compose --stand-in -o "$o" --lfs "$T/x.img" --lfs-addr 0x90000
expect refuse_int_image_float_profile 1 'integer-build image' "$o" -- \
    "$FI" compose --stand-in -o "$o" --lfs "$VEC/lfs51/hello.int.img"
expect refuse_53_on_51 1 'Lua 5.3' "$o" -- \
    "$FI" compose --stand-in -o "$o" --lfs "$VEC/lfs53/hi53.img"
expect refuse_not_lfs 1 'not a NodeMCU LFS image' "$o" -- \
    "$FI" compose --stand-in -o "$o" --lfs "$T/page"
expect refuse_beyond_flash 1 'beyond the end of the 0x100000-byte flash' \
    "$o" -- "$FI" compose --stand-in -o "$o" --flash-size 1M \
    --spiffs-addr 0x100000 --spiffs-size 0x10000
printf 'flsh_size = 4M\n' >"$T/bad1.prof"
expect refuse_profile_unknown_key 1 'bad1.prof:1: unknown key' "$o" -- \
    "$FI" compose --stand-in -o "$o" --profile "$T/bad1.prof"
printf 'name = x\nflash_size = 3M\n' >"$T/bad2.prof"
expect refuse_profile_flash_size 1 'bad2.prof:2: flash_size' "$o" -- \
    "$FI" compose --stand-in -o "$o" --profile "$T/bad2.prof"
printf 'dialect = 51\ndialect = 53\n' >"$T/bad3.prof"
expect refuse_profile_twice 1 'bad3.prof:2: key "dialect" given twice' \
    "$o" -- "$FI" compose --stand-in -o "$o" --profile "$T/bad3.prof"
printf 'lfs_addr 0x80000\n' >"$T/bad4.prof"
expect refuse_profile_syntax 1 'bad4.prof:1: .* is not "key = value"' \
    "$o" -- "$FI" compose --stand-in -o "$o" --profile "$T/bad4.prof"
printf 'lfs_addr = 0x80800\n' >"$T/bad5.prof"
expect refuse_profile_unaligned 1 'bad5.prof:1: lfs_addr' "$o" -- \
    "$FI" compose --stand-in -o "$o" --profile "$T/bad5.prof"
expect refuse_missing_input 1 'nonexistent.img: cannot open' "$o" -- \
    "$FI" compose --stand-in -o "$o" --lfs "$T/nonexistent.img"
expect refuse_short_firmware 1 'combined firmware image' "$o" -- \
    "$FI" compose -o "$o" --firmware "$T/fw0.bin"

# -- bad flash images: one line, exit 1, never a crash ---------------------
head -c 100 "$T/n.bin" >"$T/b1.bin"
expect bad_truncated_header_page 1 'read at least 0x11000 bytes' - -- \
    "$FI" inspect "$T/b1.bin"
head -c $((0x10010)) "$T/n.bin" >"$T/b2.bin"
expect bad_truncated_table 1 'runs past the end of the data' - -- \
    "$FI" inspect "$T/b2.bin"
head -c 65536 /dev/urandom | tr '\351' '\0' >"$T/b3.bin"
expect bad_random_bytes 1 'not the esptool image magic' - -- \
    "$FI" inspect "$T/b3.bin"
cp "$T/n.bin" "$T/b4.bin"         # LFS0 moved onto SPIFFS0
printf "$(le32 0xb0000)" | dd of="$T/b4.bin" bs=1 seek=$((0x10000 + 4 + \
    12 * 4 + 4)) conv=notrunc status=none
expect bad_table_overlap 1 'SPIFFS0 0xa8000\+0x355000 overlaps LFS0' - -- \
    "$FI" inspect "$T/b4.bin"
cp "$T/n.bin" "$T/b5.bin"
printf '\x15\x01\x07\x00' | dd of="$T/b5.bin" bs=1 seek=$((0x10000)) \
    conv=notrunc status=none
expect bad_table_record_header 1 'bytes 2-3 must be zero' - -- \
    "$FI" inspect "$T/b5.bin"
cp "$T/n.bin" "$T/b6.bin"
printf '\x15\x05\x00\x00' | dd of="$T/b6.bin" bs=1 seek=$((0x10000)) \
    conv=notrunc status=none
expect bad_table_missing 1 'no partition-table record' - -- \
    "$FI" inspect "$T/b6.bin"
cp "$T/n.bin" "$T/b7.bin"
printf '\x02\xa0' | dd of="$T/b7.bin" bs=1 seek=2 conv=notrunc status=none
expect bad_header_size_code 1 'flash size code 10 ' - -- \
    "$FI" inspect "$T/b7.bin"
expect bad_extract_truncated 1 'beyond the 0x' "$T/e.out" -- \
    "$FI" extract "$T/dump.bin" 0xa0000:0x20000 -o "$T/e.out"
expect bad_extract_empty_spiffs 1 'SPIFFS partition is empty' "$T/e.out" -- \
    "$FI" extract "$T/g.bin" spiffs -o "$T/e.out"
cp "$T/s.bin" "$T/b8.bin"         # corrupt LFS: inspect reports, exit 1
printf '\x01\x02\x03\x04' | dd of="$T/b8.bin" bs=1 seek=$((0x80000 + 0x40)) \
    conv=notrunc status=none
run "$FI" inspect "$T/b8.bin"
if [ $rc -eq 1 ] && [ "$(grep -c '' "$T/err")" = 1 ] && has err "LFS image" &&
   has out "SPIFFS"; then pass bad_lfs_reported
else fail bad_lfs_reported "rc $rc: $(head -c 300 "$T/err")"; fi
# random damage anywhere in the first 1 MiB: exit 0 or 1, no crash
bad=""
for at in 0 1 2 8 16 0x10000 0x10004 0x10010 0x10040 0x80000 0x80008 \
          0x80020 0x80100 0xc0000 0xc00fc 0xc0100 0xc2000 0xc4000; do
    cp "$T/s.bin" "$T/k.bin"
    head -c 64 /dev/urandom | dd of="$T/k.bin" bs=1 seek=$((at)) \
        conv=notrunc status=none
    for cmd in "inspect $T/k.bin" "extract $T/k.bin lfs -o $T/k.out" \
               "extract $T/k.bin spiffs -o $T/k.out"; do
        run "$FI" $cmd
        crashed && bad="$bad $at:${cmd%% *}:$rc"
    done
done
ok corrupt_never_crashes $([ -z "$bad" ]; echo $?) "$bad"

# -- nodemcu-partition.py drop-in and its fixed defects --------------------
cp "$T/fw.bin" "$T/q.bin"
run "$FI" partition "$T/q.bin" -fs 4M -ls 0x20000 -lf "$T/hello.img"
"$FI" inspect "$T/q.bin" >"$T/out" 2>&1
if [ $rc -eq 0 ] && has out "LFS0 (103)            0x098000  0x020000" &&
   has out "SPIFFS0 (106)         0x0b8000  0x345000  0x3fd000" &&
   has out "modules (1): hello" && [ "$(bytes "$T/q.bin" 3 1)" = 40 ]; then
    pass partition_in_place
else fail partition_in_place "rc $rc: $(head -c 300 "$T/err")"; fi
# deviation flashimg-spiffs-all: "all" stops before SYSTEM_PARAMETER
run "$FI" partition "$T/q.bin" -o "$T/q1.bin" -ss -1
ok deviation_spiffs_all_before_sysparam $([ $rc -eq 0 ] &&
    has out "SPIFFS0 (106)         0x0b8000  0x345000  0x3fd000"; echo $?) \
    "rc $rc: $(head -c 300 "$T/err")"
# deviation flashimg-irom0-size: IROM0 sized as first boot does
run "$FI" partition "$T/fw.bin" -o "$T/q2.bin" -fs 4M
ok deviation_irom0_size $([ $rc -eq 0 ] &&
    has out "IROM0TEXT (102)       0x010000  0x088000  0x098000"; echo $?) \
    "rc $rc: $(grep IROM0 "$T/out")"
# deviation flashimg-lfs-size-round-up
run "$FI" partition "$T/q2.bin" -o "$T/q3.bin" -ls 0x9000
ok deviation_lfs_size_rounds_up $([ $rc -eq 0 ] &&
    has out "LFS0 (103)            0x098000  0x00a000"; echo $?) \
    "rc $rc: $(grep LFS0 "$T/out")"
# deviation flashimg-spiffs-1m: 1 MiB only if it ends before the system area
run "$FI" partition "$T/q2.bin" -o "$T/q4.bin" -sa 0 -ss 0x300000
ok deviation_spiffs_1m_needs_room $([ $rc -eq 0 ] &&
    has out "SPIFFS0 (106)         0x0a8000  0x300000"; echo $?) \
    "rc $rc: $(grep SPIFFS0 "$T/out")"
run "$FI" partition "$T/q2.bin" -o "$T/q5.bin" -sa 0 -ss 0x2fd000
ok partition_spiffs_at_1m $([ $rc -eq 0 ] &&
    has out "SPIFFS0 (106)         0x100000  0x2fd000"; echo $?) \
    "rc $rc: $(grep SPIFFS0 "$T/out")"
# deviation flashimg-spiffs-8k-start: FS written at the 8K-aligned start
run "$FI" partition "$T/q2.bin" -o "$T/q6.bin" -sa 0xb9000 -ss 0x41000 \
    -sf "$VEC/spiffs/fs256k.img"
run2=$rc
run "$FI" extract "$T/q6.bin" spiffs -o "$T/q6.fs"
if [ $run2 -eq 0 ] && [ $rc -eq 0 ] &&
   cmp -s "$T/q6.fs" "$VEC/spiffs/fs256k.img" &&
   [ "$(bytes "$T/q6.bin" 0xba0fc 2)" = "$(bytes \
        "$VEC/spiffs/fs256k.img" 0xfc 2)" ]; then
    pass deviation_spiffs_8k_start
else fail deviation_spiffs_8k_start "rc $run2/$rc"; fi
# deviation flashimg-flash-size: from the header, not 4 MiB
cp "$T/fw.bin" "$T/q7.bin"
run "$FI" partition "$T/q7.bin"
ok deviation_flash_size_from_header $([ $rc -eq 0 ] &&
    has out "SYSTEM_PARAMETER (6)  0x0fd000" &&
    [ "$(bytes "$T/q7.bin" 3 1)" = 20 ]; echo $?) \
    "rc $rc: $(grep SYSTEM "$T/out")"
# deviation flashimg-lfs-formats: absolute and Lua 5.3 images
"$LUAC" -a 0x40298000 -o "$T/x98.img" "$VEC/src/lua51/hello.lua" >/dev/null
run "$FI" partition "$T/q2.bin" -o "$T/q8.bin" -lf "$T/x98.img"
run "$FI" extract "$T/q8.bin" lfs -o "$T/q8.lfs"
ok deviation_lfs_absolute $([ $rc -eq 0 ] && cmp -s "$T/q8.lfs" \
    "$T/x98.img"; echo $?) "rc $rc"
run "$FI" partition "$T/q2.bin" -o "$T/q9.bin" --profile "$T/53.prof" \
    -lf "$VEC/lfs53/hi53.img"
ok deviation_lfs_lua53 $(( rc != 0 )) "rc $rc: $(head -c 300 "$T/err")"
# deviation flashimg-lfs-fit: the bitmap is not counted against the room
echo 'local s = "x"' >"$T/fit.lua"
"$LUAC" -a 0x40298000 -o "$T/fit.img" "$T/fit.lua" >/dev/null
pad=$((0xa000 - 48 - $(stat -c %s "$T/fit.img")))
for try in 1 2 3; do
    printf 'local s = "%s"\n' "$(head -c $pad /dev/zero | tr '\0' x)" \
        >"$T/fit.lua"
    "$LUAC" -a 0x40298000 -o "$T/fit.img" "$T/fit.lua" >/dev/null
    size=$(stat -c %s "$T/fit.img")
    [ "$size" -le $((0xa000)) ] && break
    pad=$((pad - (size - 0xa000) - 4))
done
"$LUAC" -f -o "$T/fit-f.img" "$T/fit.lua" >/dev/null
words=$((size / 4))
if [ $((size + 4 * ((words + 31) / 32))) -gt $((0xa000)) ] &&
   [ "$size" -le $((0xa000)) ]; then
    run "$FI" partition "$T/q2.bin" -o "$T/q10.bin" -ls 0xa000 \
        -lf "$T/fit-f.img"
    ok deviation_lfs_fit_without_bitmap $(( rc != 0 )) \
        "rc $rc: $(head -c 300 "$T/err")"
else
    fail deviation_lfs_fit_without_bitmap "no image of the right size: $size"
fi
# deviation flashimg-explicit-addresses: a clash is refused, not moved
expect deviation_explicit_address_clash 1 'SPIFFS0 0xa8000\+.* overlaps' \
    "$T/q11.bin" -- "$FI" partition "$T/q2.bin" -o "$T/q11.bin" -la 0x98000 \
    -ls 0x20000 -sa 0xa8000
# deviation flashimg-spiffs-checked: a 4 KiB-block image is refused
expect deviation_spiffs_image_checked 1 'probe' "$T/q12.bin" -- \
    "$FI" partition "$T/q2.bin" -o "$T/q12.bin" -sf "$VEC/spiffs/fs64k.img"


# -- ls, put, rm: a flash image's files in one step ----------------------
mkdir -p "$T/pf/www/css"
echo 'print("boot")' > "$T/pf/init.lua"
echo 'x = 1' > "$T/pf/a.lua"
echo '<html>' > "$T/pf/www/index.html"
echo 'b {}' > "$T/pf/www/css/s.css"
run "$FI" compose -o "$T/pf.bin" --stand-in
run "$FI" ls "$T/pf.bin"
ok files_ls_erased $(( rc != 0 || $(grep -c '' "$T/out") != 0 )) \
    "rc $rc: $(head -c 200 "$T/out" "$T/err")"
run "$FI" put -C "$T/pf" "$T/pf.bin" init.lua www
ok files_put_formats $(( rc != 0 )) "rc $rc: $(head -c 300 "$T/err")"
has out 'put www/css/s.css (5 bytes)' || fail files_put_report \
    "$(cat "$T/out")"
run "$FI" put -C "$T/pf" "$T/pf.bin" a.lua
run "$FI" ls "$T/pf.bin"
ok files_ls $(( rc != 0 || $(grep -c '' "$T/out") != 4 )) \
    "rc $rc: $(cat "$T/out")"
has out 'www/index.html' || fail files_ls_names "$(cat "$T/out")"
echo 'x = 2 -- longer' > "$T/pf/a.lua"
run "$FI" put -C "$T/pf" "$T/pf.bin" a.lua
run "$FI" rm "$T/pf.bin" www/index.html
ok files_rm $(( rc != 0 )) "rc $rc: $(head -c 300 "$T/err")"
run "$FI" extract "$T/pf.bin" spiffs -o "$T/pf.fs"
run "$SPI" extract -C "$T/pfx" "$T/pf.fs"
ok files_round_trip $(( rc != 0 )) "rc $rc: $(head -c 300 "$T/err")"
( cmp -s "$T/pf/a.lua" "$T/pfx/a.lua" && cmp -s "$T/pf/init.lua" \
  "$T/pfx/init.lua" && cmp -s "$T/pf/www/css/s.css" "$T/pfx/www/css/s.css" \
  && [ ! -e "$T/pfx/www/index.html" ] )
ok files_contents $? "$(ls -R "$T/pfx" | tr '\n' ' ')"
run "$SPI" fsck "$T/pf.fs"
ok files_fsck_clean $(( rc != 0 )) "rc $rc: $(head -c 300 "$T/out" "$T/err")"
cp "$T/pf.bin" "$T/pf-before.bin"
expect files_rm_missing 1 'no file "nope" in its SPIFFS' - -- \
    "$FI" rm "$T/pf.bin" nope
cmp -s "$T/pf.bin" "$T/pf-before.bin" || fail files_rm_missing_unchanged \
    "the image changed"
expect files_put_outside 2 "give paths inside the directory" - -- \
    "$FI" put -C "$T/pf" "$T/pf.bin" ../x
expect files_put_missing 1 'cannot stat it' - -- \
    "$FI" put -C "$T/pf" "$T/pf.bin" nothing.lua
cmp -s "$T/pf.bin" "$T/pf-before.bin" || fail files_put_failed_unchanged \
    "the image changed"
expect files_usage 2 'put needs a FLASH image' - -- "$FI" put "$T/pf.bin"
head -c 4096 /dev/urandom > "$T/pf/noise.bin"
run "$FI" put -C "$T/pf" "$T/pf.bin" noise.bin
run "$FI" ls "$T/pf.bin" --flash-size 4M
has out 'noise.bin                            4096' || fail files_put_binary \
    "$(cat "$T/out")"
# -- outputs: a FIFO or a device is written in place, never replaced; an
# output that is an input is refused; standard output is checked ----------
O="$T/o"
mkdir -p "$O/fs"
printf 'print("hi")\n' >"$O/m.lua"
printf 'print("init")\n' >"$O/fs/init.lua"
"$LUAC" -f -o "$O/app.img" "$O/m.lua" >/dev/null
"$FI" compose -o "$O/f.bin" --stand-in --flash-size 1M --lfs "$O/app.img" \
    --spiffs-dir "$O/fs" >/dev/null
"$FI" extract "$O/f.bin" lfs -o "$O/want.lfs"
mkfifo "$O/fifo.lfs"
timeout 10 cat "$O/fifo.lfs" >"$O/got.lfs" &
reader=$!
run timeout 10 "$FI" extract "$O/f.bin" lfs -o "$O/fifo.lfs"
wait $reader
ok extract_fifo $(( rc != 0 )) "rc $rc: $(head -c 300 "$T/err")"
[ -p "$O/fifo.lfs" ] && cmp -s "$O/got.lfs" "$O/want.lfs"
ok extract_fifo_kept $? "fifo.lfs: $(stat -c %F "$O/fifo.lfs")"
mkfifo "$O/fifo.bin"
timeout 10 cat "$O/fifo.bin" >"$O/got.bin" &
reader=$!
run timeout 10 "$FI" compose -o "$O/fifo.bin" --stand-in --flash-size 1M \
    --lfs "$O/app.img" --spiffs-dir "$O/fs"
wait $reader
[ $rc -eq 0 ] && [ -p "$O/fifo.bin" ] && cmp -s "$O/got.bin" "$O/f.bin"
ok compose_fifo $? "rc $rc, fifo.bin $(stat -c %F "$O/fifo.bin")"
ln -s /dev/full "$O/full.bin"
expect compose_device_full 1 \
    'full.bin: cannot write output: No space left on device$' - -- \
    "$FI" compose -o "$O/full.bin" --stand-in --flash-size 1M
expect extract_device_full 1 \
    'full.bin: cannot write output: No space left on device$' - -- \
    "$FI" extract "$O/f.bin" lfs -o "$O/full.bin"
[ -L "$O/full.bin" ] && [ -c "$O/full.bin" ]
ok device_kept $? "full.bin is no longer the link to /dev/full"
cp "$O/f.bin" "$O/g.bin"
cp "$O/app.img" "$O/app.want"
expect extract_output_is_input 1 'g.bin: is also the input .*g.bin' - -- \
    "$FI" extract "$O/g.bin" lfs -o "$O/g.bin"
expect compose_output_is_lfs 1 'app.img: is also the input .*app.img' - -- \
    "$FI" compose -o "$O/app.img" --stand-in --flash-size 1M \
    --lfs "$O/app.img"
expect compose_output_is_firmware 1 'g.bin: is also the input .*g.bin' - -- \
    "$FI" compose -o "$O/g.bin" --firmware "$O/g.bin" --flash-size 1M
cp "$O/f.bin" "$O/fs/f.bin"
expect compose_output_in_spiffs_dir 1 'f.bin: is also the input .*f.bin' \
    - -- "$FI" compose -o "$O/fs/f.bin" --stand-in --flash-size 1M \
    --spiffs-dir "$O/fs"
expect partition_output_is_lfs 1 'app.img: is also the input .*app.img' - -- \
    "$FI" partition "$O/g.bin" -o "$O/app.img" -lf "$O/app.img"
cmp -s "$O/g.bin" "$O/f.bin" && cmp -s "$O/app.img" "$O/app.want" &&
    cmp -s "$O/fs/f.bin" "$O/f.bin"
ok output_is_input_kept $? "an input was overwritten"
rm -f "$O/fs/f.bin"
run "$FI" partition "$O/g.bin" -lf "$O/app.img"
ok partition_in_place $(( rc != 0 )) "rc $rc: $(head -c 300 "$T/err")"
full() { "$@" >/dev/full; }
for c in inspect profile help ls; do
    case $c in
        inspect) args=(inspect "$O/f.bin") ;;
        ls) args=(ls "$T/pf.bin") ;;
        profile) args=(profile) ;;
        help) args=(--help) ;;
    esac
    expect "stdout_full_$c" 1 \
        '^flashimg: standard output: No space left on device$' - -- \
        full "$FI" "${args[@]}"
done

[ $fails -eq 0 ]
