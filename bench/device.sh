#!/bin/bash
# bench/device.sh BINDIR: the simulated device (nodemcu-sim --flash),
# printed as two tables.
#  1. boot: host time from start to the first Lua instruction (init.lua)
#     of a 4 MiB flash image with an LFS image of about 200 KB (a generated
#     30-module project, bench/gen-project.lua) and without LFS, best of
#     $RUNS runs (what nodemcu-sim --flash-stats reports: loading the file,
#     the partition table, SPIFFS mount, LFS boot check and full read, VM);
#  2. node.LFS.reload of a new image over that one: sectors of the new
#     image, erased, written and left alone, the host time of the reload's
#     passes (best of $RUNS), and an estimate of the flash time on a real
#     chip (4 KiB erase 45 ms, 256-byte page program 0.7 ms: a Winbond
#     W25Q32's typical figures; every page of a written sector counted).
#     Changes: every module (a blank line prepended to each source: all line
#     numbers move), one module edited (its version number changed), one
#     module grown (a function appended), and the same image again.
# Informational: fails only when a needed tool is missing.
set -u
LC_ALL=C; export LC_ALL
die() { echo "bench/device.sh: $*" >&2; exit 1; }
[ $# -eq 1 ] || die "usage: bench/device.sh BINDIR"
case $1 in /*) BINDIR=$1 ;; *) BINDIR=$(pwd)/$1 ;; esac
ROOT=$(cd "$(dirname "$0")/.." && pwd) || die "cannot find the source tree"
RUNS=${RUNS:-5}
LUAC=$BINDIR/luac.cross
FI=$BINDIR/flashimg
SIM=$BINDIR/nodemcu-sim
WORK=$ROOT/build/bench/device
for t in "$LUAC" "$FI" "$SIM"; do
    [ -x "$t" ] || die "$t not found (run make all first)"
done
command -v lua5.1 >/dev/null 2>&1 || die "lua5.1 not found (make deps)"
rm -rf "$WORK"
mkdir -p "$WORK/a" || die "cannot create $WORK"

# the project and its variants
lua5.1 "$ROOT/bench/gen-project.lua" "$WORK/a" 30 140 >/dev/null 2>&1 ||
    die "gen-project.lua failed"
for v in full edit grow; do cp -r "$WORK/a" "$WORK/$v"; done
for f in "$WORK"/full/*.lua; do
    { echo; cat "$f"; } >"$f.new" && mv "$f.new" "$f"
done
mid=$(ls "$WORK/edit" | sed -n 15p)
sed -i 's/^\(M.NAME, M.VERSION = .*\), \([0-9]*\)$/\1, 99/' "$WORK/edit/$mid"
last=$(ls "$WORK/grow" | tail -n 1)
sed -i '$d' "$WORK/grow/$last"
printf 'function M.bench_extra(x)\n  return x * 3 + 1\nend\n\nreturn M\n' \
    >>"$WORK/grow/$last"
img() { # DIR OUT: prints the image size
    (cd "$1" && "$LUAC" -f --timestamp 1 -o "$2" *.lua) >"$WORK/luac.log" \
        2>&1 || die "luac.cross failed in $1: $(cat "$WORK/luac.log")"
    sed -n 's/^Image size: *//p' "$WORK/luac.log"
}
size_a=$(img "$WORK/a" "$WORK/a.img")
for v in full edit grow; do img "$WORK/$v" "$WORK/$v.img" >/dev/null; done
cp "$WORK/a.img" "$WORK/same.img"

best_boot() { # FLASH: best "boot to init.lua" ms
    local best="" ms
    for _ in $(seq 1 "$RUNS"); do
        cp "$1" "$WORK/run.bin"
        ms=$("$SIM" --flash "$WORK/run.bin" --no-banner --flash-stats \
             </dev/null 2>&1 >/dev/null |
             sed -n 's/.*boot to init.lua \([0-9.]*\) ms.*/\1/p')
        [ -n "$ms" ] || die "no boot time from nodemcu-sim"
        if [ -z "$best" ] || awk "BEGIN { exit !($ms < $best) }"; then
            best=$ms
        fi
    done
    echo "$best"
}

mkdir -p "$WORK/fs"
echo 'print("up")' >"$WORK/fs/init.lua"
"$FI" compose -o "$WORK/lfs.bin" --stand-in --lfs "$WORK/a.img" \
    --spiffs-dir "$WORK/fs" >/dev/null 2>&1 || die "flashimg compose failed"
"$FI" compose -o "$WORK/nolfs.bin" --stand-in --spiffs-dir "$WORK/fs" \
    >/dev/null 2>&1 || die "flashimg compose failed"
echo "boot: 4 MiB flash image to the first Lua instruction, best of $RUNS"
printf '  %-40s %10s\n' "flash image" "ms"
printf '  %-40s %10s\n' "LFS image of $size_a bytes (30 modules)" \
    "$(best_boot "$WORK/lfs.bin")"
printf '  %-40s %10s\n' "no LFS" "$(best_boot "$WORK/nolfs.bin")"
echo

echo "node.LFS.reload over the $size_a-byte image, best of $RUNS"
printf '  %-22s %8s %7s %7s %7s %7s %9s %10s\n' change "bytes" sectors \
    erased written same "host ms" "chip ms*"
for v in full edit grow same; do
    rm -rf "$WORK/rfs"
    mkdir -p "$WORK/rfs"
    cp "$WORK/$v.img" "$WORK/rfs/new.img"
    echo 'if select(2, node.bootreason()) ~= 3 then
  print(node.LFS.reload("new.img"))
end' >"$WORK/rfs/init.lua"
    "$FI" compose -o "$WORK/r.bin" --stand-in --lfs "$WORK/a.img" \
        --spiffs-dir "$WORK/rfs" >/dev/null 2>&1 || die "compose failed"
    best="" line=""
    for _ in $(seq 1 "$RUNS"); do
        cp "$WORK/r.bin" "$WORK/run.bin"
        l=$("$SIM" --flash "$WORK/run.bin" --no-banner --flash-stats \
            </dev/null 2>&1 >/dev/null | grep '^LFS reload:')
        [ -n "$l" ] || die "no reload statistics for $v"
        ms=$(echo "$l" | sed -n 's/.*; \([0-9.]*\) ms$/\1/p')
        if [ -z "$best" ] || awk "BEGIN { exit !($ms < $best) }"; then
            best=$ms line=$l
        fi
    done
    # "LFS reload: S sectors: E erased, W written, U unchanged; T ms"
    re='^LFS reload: ([0-9]+) sectors: ([0-9]+) erased, ([0-9]+) written,'
    re="$re ([0-9]+) unchanged"
    [[ $line =~ $re ]] || die "cannot read: $line"
    set -- "${BASH_REMATCH[1]}" "${BASH_REMATCH[2]}" "${BASH_REMATCH[3]}" \
        "${BASH_REMATCH[4]}"
    chip=$(awk "BEGIN { printf \"%.0f\", $2 * 45 + $3 * 16 * 0.7 }")
    case $v in
        full) what="every module" ;;
        edit) what="one module edited" ;;
        grow) what="one module grown" ;;
        same) what="the same image" ;;
    esac
    printf '  %-22s %8s %7s %7s %7s %7s %9s %10s\n' "$what" \
        "$(wc -c <"$WORK/$v.img" | tr -d ' ')" "$1" "$2" "$3" "$4" "$best" \
        "$chip"
done
echo "  (bytes: the gzip file; * estimated: 45 ms per sector erased, 0.7 ms"
echo "   per 256-byte page of a sector written; NodeMCU erases and writes all)"
