#!/bin/sh
# tools/run-example.sh BINDIR: what `make run` does.
# Compiles examples/*.lua (all but selftest.lua) with BINDIR/luac.cross into
#   build/example/lfs.img              relocatable gzip image (-f), float build
#   build/example/lfs-a40280000.img    absolute image for mapped address 0x40280000
#   build/example/lfs.int.img          relocatable image for integer firmware
# shows what is in the image, runs the host self-test when lua5.1 is present,
# and builds build/example/spiffs.img (256 KiB) when BINDIR/spiffsimg exists.
# When BINDIR/flashimg and BINDIR/nodemcu-sim exist, it composes
#   build/example/flash.bin            a whole 4 MiB flash image: flashimg's
#                                      stand-in firmware, an empty LFS, and
#                                      SPIFFS holding init.lua, config.txt and
#                                      lfs.img
# and boots a copy of it (build/example/device.bin) on the simulated device
# for 10 s of device time: init.lua loads lfs.img into LFS, the device
# restarts, and the application starts from LFS.
# Exits non-zero if any step fails.
set -u
LC_ALL=C; export LC_ALL

die() { echo "run-example: $*" >&2; exit 1; }

[ $# -eq 1 ] || die "usage: tools/run-example.sh BINDIR"
case $1 in /*) BINDIR=$1 ;; *) BINDIR=$(pwd)/$1 ;; esac
ROOT=$(cd "$(dirname "$0")/.." && pwd) || die "cannot find the source tree"
LUAC=$BINDIR/luac.cross
SPIFFSIMG=$BINDIR/spiffsimg
FLASHIMG=$BINDIR/flashimg
SIM=$BINDIR/nodemcu-sim
OUT=$ROOT/build/example
EX=$ROOT/examples
[ -x "$LUAC" ] || die "$LUAC not found (run make all first)"
mkdir -p "$OUT" || die "cannot create $OUT"

# Sources in C-locale order (_init first), bare names so that each module is
# named after its file. selftest.lua is a host test, not part of the image.
cd "$EX" || die "no examples/ directory"
SRCS=""
NSRC=0
for f in ./*.lua; do
    f=${f#./}
    if [ ! -f "$f" ] || [ "$f" = selftest.lua ]; then continue; fi
    SRCS="$SRCS $f"; NSRC=$((NSRC + 1))
done
SRCS=${SRCS# }
[ $NSRC -gt 0 ] || die "no Lua sources in examples/"

# run LABEL CMD...: run a step, keep its output in $OUT/LABEL.log, stop on failure
run() {
    label=$1; shift
    if ! "$@" >"$OUT/$label.log" 2>&1; then
        echo "run-example: step '$label' failed: $*" >&2
        sed 's/^/    /' "$OUT/$label.log" >&2
        exit 1
    fi
}

size_of() { wc -c <"$1" | tr -d ' '; }
image_size() { sed -n 's/^Image size: *//p' "$OUT/$1.log" | head -n 1; }

echo "== compiling $NSRC modules from examples/: $SRCS"
# shellcheck disable=SC2086
run lfs      "$LUAC" -f -o "$OUT/lfs.img" $SRCS
# shellcheck disable=SC2086
run absolute "$LUAC" -a 0x40280000 -o "$OUT/lfs-a40280000.img" $SRCS
# shellcheck disable=SC2086
run integer  "$LUAC" --target 5.1-int -f -o "$OUT/lfs.int.img" $SRCS

printf '  %-34s %9s %14s\n' "file" "bytes" "flash image"
for f in lfs.img:lfs lfs-a40280000.img:absolute lfs.int.img:integer; do
    img=${f%%:*}; log=${f#*:}
    [ -s "$OUT/$img" ] || die "$OUT/$img is missing or empty"
    printf '  %-34s %9s %14s\n' "build/example/$img" "$(size_of "$OUT/$img")" "$(image_size "$log")"
done
if command -v gzip >/dev/null 2>&1; then
    payload=$(gzip -dc "$OUT/lfs.img" | wc -c | tr -d ' ') \
        || die "build/example/lfs.img is not a valid gzip file"
    echo "  lfs.img inflates to $payload bytes (flash image + relocation bitmap)"
fi

echo
echo "== listing of build/example/lfs.img (luac.cross -l, one row per module)"
run listing "$LUAC" -l "$OUT/lfs.img"
# Every function header of the listing looks like
#   main <(luac):0,0> (N instructions, ...)   or   function <@json.lua:12,40> (N instructions ...)
# Sum functions and instructions per source; the synthetic index is "(luac)".
# the summary lines the listing starts with (image kind, size, strings)
awk '/^(main|function) </ || /^strings/ { exit } NR <= 8 && NF { print "  " $0 }' "$OUT/listing.log"
for f in $SRCS; do echo "$f $(size_of "$f")"; done >"$OUT/srcsizes.txt"
awk '
NR == FNR { bytes[$1] = $2; next }
/^(main|function) </ {
    src = $0; sub(/^[a-z]+ </, "", src); sub(/:[0-9]+,[0-9]+>.*$/, "", src); sub(/^[@=]/, "", src)
    n = $0; if (match(n, /\([0-9]+ instruction/)) { n = substr(n, RSTART + 1); n += 0 } else n = 0
    if (!(src in fns)) order[++count] = src
    fns[src]++; ins[src] += n; found = 1
}
END {
    if (!found) { print "  (no function headers recognised in the listing)"; exit }
    printf "  %-22s %9s %10s %13s\n", "module", "src bytes", "functions", "instructions"
    for (i = 1; i <= count; i++) {
        s = order[i]; m = s; sub(/^.*\//, "", m); sub(/\.lua$/, "", m)
        b = (s in bytes) ? bytes[s] : "-"
        if (s == "(luac)") m = "(index function)"
        printf "  %-22s %9s %10d %13d\n", m, b, fns[s], ins[s]
        tf += fns[s]; ti += ins[s]; if (s in bytes) tb += bytes[s]
    }
    printf "  %-22s %9d %10d %13d\n", "total", tb, tf, ti
}' "$OUT/srcsizes.txt" "$OUT/listing.log"
echo "  (full listing: build/example/listing.log)"

if command -v lua5.1 >/dev/null 2>&1; then
    echo
    echo "== host self-test (lua5.1 selftest.lua, compared with selftest.out)"
    run selftest lua5.1 selftest.lua
    if cmp -s "$OUT/selftest.log" selftest.out; then
        echo "  ok: $(wc -l <selftest.out | tr -d ' ') lines, last: $(tail -n 1 selftest.out)"
    else
        diff selftest.out "$OUT/selftest.log" | head -n 20 >&2
        die "selftest output differs from examples/selftest.out"
    fi
fi

# spiffsimg: the project's `spiffsimg build -s SIZE -o IMAGE DIR` when --help
# offers it, else NodeMCU's `-f IMAGE -c SIZE -r SCRIPT`; a tool offering
# neither is skipped with a note.
HAVE_SPIFFS=0
SPIFFS_MODE=""
if [ -x "$SPIFFSIMG" ]; then
    help=$("$SPIFFSIMG" --help 2>&1)
    if printf '%s\n' "$help" | grep -q 'build -s'; then
        SPIFFS_MODE=build
    elif printf '%s\n' "$help" | grep -Eq -- '(^|[^[:alnum:]-])-r([^[:alnum:]-]|$)'; then
        SPIFFS_MODE=script
    else
        echo
        echo "== SPIFFS image skipped: $SPIFFSIMG --help shows no interface this script knows"
    fi
fi
# the files of the device's file system
FS=$OUT/spiffs-src
rm -rf "$FS"
mkdir -p "$FS" || die "cannot create $FS"
cp "$EX/init.lua" "$OUT/lfs.img" "$FS/" || die "copy failed"
cat >"$FS/config.txt" <<'EOF'
# settings read by app.lua at boot (see examples/config.lua)
name = greenhouse
sample_ms = 2000
window = 5
filter = median
alarm_high = 300
alarm_low = 50
EOF
if [ -n "$SPIFFS_MODE" ]; then
    echo
    echo "== SPIFFS image build/example/spiffs.img (262144 bytes)"
    rm -f "$OUT/spiffs.img"
    if [ "$SPIFFS_MODE" = build ]; then
        run spiffs "$SPIFFSIMG" build -s 262144 -o "$OUT/spiffs.img" "$FS"
        run spiffs-list "$SPIFFSIMG" list "$OUT/spiffs.img"
        run spiffs-info "$SPIFFSIMG" info "$OUT/spiffs.img"
        sed 's/^/  /' "$OUT/spiffs-list.log" "$OUT/spiffs-info.log"
        for f in init.lua config.txt lfs.img; do
            "$SPIFFSIMG" cat "$OUT/spiffs.img" "$f" | cmp -s - "$FS/$f" \
                || die "$f read back from spiffs.img differs from $FS/$f"
        done
        echo "  read back: init.lua, config.txt and lfs.img match their sources"
    else
        {
            echo "# build/example/spiffs.img: boot files for the example application"
            for f in init.lua config.txt lfs.img; do echo "import $FS/$f $f"; done
            echo "ls"
            echo "info"
        } >"$OUT/spiffs.script"
        run spiffs "$SPIFFSIMG" -f "$OUT/spiffs.img" -c 262144 -r "$OUT/spiffs.script"
        sed 's/^/  /' "$OUT/spiffs.log"
    fi
    [ "$(size_of "$OUT/spiffs.img")" -eq 262144 ] || die "spiffs.img is not 262144 bytes"
    HAVE_SPIFFS=1
fi

HAVE_FLASH=0
if [ -x "$FLASHIMG" ] && [ -x "$SIM" ]; then
    echo
    echo "== flash image build/example/flash.bin (flashimg compose, stand-in firmware)"
    if [ $HAVE_SPIFFS -eq 1 ]; then
        run compose "$FLASHIMG" compose -o "$OUT/flash.bin" --stand-in \
            --spiffs "$OUT/spiffs.img"
    else
        run compose "$FLASHIMG" compose -o "$OUT/flash.bin" --stand-in \
            --spiffs-dir "$FS"
    fi
    sed 's/^/  /' "$OUT/compose.log"
    echo
    echo "== booting a copy: nodemcu-sim --flash build/example/device.bin --timeout 10"
    cp "$OUT/flash.bin" "$OUT/device.bin" || die "cannot copy flash.bin"
    run boot "$SIM" --flash "$OUT/device.bin" --timeout 10 </dev/null
    sed 's/^/  | /' "$OUT/boot.log"
    grep -q '^init: app started$' "$OUT/boot.log" ||
        die "the example did not start on the simulated device (build/example/boot.log)"
    HAVE_FLASH=1
elif [ ! -x "$FLASHIMG" ]; then
    echo
    echo "== flash image skipped: $FLASHIMG not built"
fi

echo
echo "== what next"
cat <<'EOF'
  Upload build/example/lfs.img and examples/init.lua to the device's SPIFFS (with
  nodemcu-tool or ESPlorer) and reset the board: init.lua finds LFS empty, calls
  node.LFS.reload("lfs.img"), and after the reboot runs the _init shim and
  app.start(). On integer firmware use lfs.int.img instead; lfs-a40280000.img can
  be written straight into an LFS partition mapped at 0x40280000 (flash offset
  0x80000) with esptool.py. "cd examples && lua5.1 selftest.lua" runs the same
  modules on the host.
EOF
if [ $HAVE_SPIFFS -eq 1 ]; then
    echo "  build/example/spiffs.img already holds init.lua, config.txt and lfs.img:"
    echo "  write it to the SPIFFS partition with esptool.py instead of uploading files."
fi
if [ $HAVE_FLASH -eq 1 ]; then
    echo "  build/example/flash.bin is the whole flash with them; device.bin is what the"
    echo "  simulated device's flash held after the run (LFS loaded). Boot it again with"
    echo "  nodemcu-sim --flash build/example/device.bin (on a terminal: a \"> \" prompt)."
fi
exit 0
