#!/bin/bash
# bench/spiffs.sh BINDIR: spiffsimg benchmarks, printed as two tables.
#  1. build throughput: `spiffsimg build` of a 1 MiB image from 200 files
#     (about 740 KB, sizes 0 to 7.6 KB, fixed pseudo-random content), best
#     of $RUNS runs, wall clock, in MB of image and of file data per second;
#  2. space: for each vectors/spiffs image, NodeMCU's spiffsimg image and
#     ours built from the same files at the same size: file bytes stored,
#     live and deleted pages, and file bytes per image byte and per byte of
#     occupied pages.
# Informational: fails only when a needed tool is missing.
set -u
LC_ALL=C; export LC_ALL
die() { echo "bench/spiffs.sh: $*" >&2; exit 1; }
[ $# -eq 1 ] || die "usage: bench/spiffs.sh BINDIR"
case $1 in /*) BINDIR=$1 ;; *) BINDIR=$(pwd)/$1 ;; esac
ROOT=$(cd "$(dirname "$0")/.." && pwd) || die "cannot find the source tree"
VECTORS=${VECTORS:-$ROOT/tests/vectors}
case $VECTORS in /*) ;; *) VECTORS=$(pwd)/$VECTORS ;; esac
RUNS=${RUNS:-5}
BIN=$BINDIR/spiffsimg
WORK=$ROOT/build/bench/spiffs
[ -x "$BIN" ] || die "$BIN not found (run make all first)"
rm -rf "$WORK"
mkdir -p "$WORK/tree" || die "cannot create $WORK"

# 200 files in 10 folders; sizes from a fixed sequence, content from a
# fixed seed (the first bytes of a repeated digest chain).
seed=$(printf 'spiffs-bench' | sha256sum | cut -c1-64)
block="$WORK/block"
: >"$block"
for i in $(seq 1 300); do
    seed=$(printf '%s' "$seed" | sha256sum | cut -c1-64)
    printf '%s' "$seed" >>"$block"
done
total=0
for i in $(seq 0 199); do
    size=$(( (i * 7919 + 13) % 7600 ))
    [ $((i % 17)) -eq 0 ] && size=0
    d="$WORK/tree/dir$((i % 10))"
    mkdir -p "$d"
    head -c "$size" "$block" >"$d/file$i.dat"
    total=$((total + size))
done
best=0
for r in $(seq 1 "$RUNS"); do
    t0=$(date +%s%N)
    "$BIN" build -s 1M -o "$WORK/bench.img" "$WORK/tree" \
        || die "build failed"
    t1=$(date +%s%N)
    ns=$((t1 - t0))
    [ $best -eq 0 ] || [ $ns -lt $best ] && best=$ns
done
[ $best -gt 0 ] || best=1
mbps() { # bytes ns -> MB/s with two decimals
    local v=$(( $1 * 100000 / $2 ))   # (bytes/1e6) / (ns/1e9) * 100
    printf '%d.%02d' $((v / 100)) $((v % 100))
}
echo "spiffsimg build: 1 MiB image from 200 files ($total bytes), best of $RUNS"
printf '  %-28s %7d.%02d\n' "wall time (ms)" $((best / 1000000)) \
    $(( (best / 10000) % 100 ))
printf '  %-28s %10s\n' "image MB/s" "$(mbps 1048576 $best)"
printf '  %-28s %10s\n' "file data MB/s" "$(mbps $total $best)"
echo

# pages "live deleted" of an image, from spiffsimg info
pages() {
    local re='pages: ([0-9]+) live, ([0-9]+) deleted'
    [[ "$("$BIN" info "$@" 2>/dev/null)" =~ $re ]] &&
        echo "${BASH_REMATCH[1]} ${BASH_REMATCH[2]}"
}
ratio() { # a b -> a/b with three decimals
    local v=$(( $1 * 1000 / $2 ))
    printf '%d.%03d' $((v / 1000)) $((v % 1000))
}
echo "space: file bytes per image byte, and per byte of occupied pages"
printf '  %-8s %-9s %8s %6s %6s %8s %9s\n' image tool "file B" live \
    deleted "per img" "per used"
for img in fs64k fs256k fs1m; do
    src="$VECTORS/spiffs/$img.img"
    [ -f "$src" ] || continue
    size=$(stat -c %s "$src")
    # the files the script imported
    mkdir -p "$WORK/$img"
    bytes=0
    while read -r cmd from to; do
        [ "$cmd" == import ] || continue
        mkdir -p "$WORK/$img/$(dirname "$to")"
        cp "$VECTORS/spiffs/$from" "$WORK/$img/$to"
        bytes=$((bytes + $(stat -c %s "$VECTORS/spiffs/$from")))
    done <"$VECTORS/spiffs/$img.script"
    "$BIN" build -s "$size" -o "$WORK/$img.img" "$WORK/$img" \
        || die "build of $img failed"
    for tool in nodemcu ours; do
        if [ $tool == nodemcu ]; then f=$src; else f=$WORK/$img.img; fi
        read -r live del < <(pages "$f")
        printf '  %-8s %-9s %8d %6d %6d %8s %9s\n' "$img" "$tool" "$bytes" \
            "$live" "$del" "$(ratio "$bytes" "$size")" \
            "$(ratio "$bytes" $(( (live + del) * 256 )))"
    done
done
