#!/bin/bash
# tests/run.sh: runs every test of the given build variants and ends with
# "N passed, N failed". Usage: tests/run.sh build/rel [build/asan ...]
# First the checks of the repository itself, tests/repo/*.sh (layers,
# self-containment), once; then for each variant: every C test program
# build/<v>/tests/test_*, then every command-line test tests/cli/*.sh,
# with BINDIR=build/<v>/bin. Each program
# prints "PASS name" / "FAIL name: why" lines; a program that exits non-zero
# without a FAIL line (a crash, a sanitizer report) counts as one failure.
set -u
cd "$(dirname "$0")/.."
VECTORS="${VECTORS:-tests/vectors}"
if [ ! -d "$VECTORS" ]; then
    echo "FAIL [setup] vectors: no directory $VECTORS (set VECTORS)"
    echo "0 passed, 1 failed"
    exit 1
fi
export VECTORS="$(cd "$VECTORS" && pwd)"
passed=0 failed=0
log=$(mktemp -d)
trap 'rm -rf "$log"' EXIT
for dir in repo "$@"; do
    v=$(basename "$dir")
    export BINDIR="$PWD/$dir/bin" TEST_VARIANT="$v"
    progs=()
    if [ "$dir" = repo ]; then
        for t in tests/repo/*.sh; do [ -f "$t" ] && progs+=("$t"); done
    else
        for t in "$dir"/tests/test_*; do [ -x "$t" ] && progs+=("$t"); done
        for t in tests/cli/*.sh; do [ -f "$t" ] && progs+=("$t"); done
    fi
    for t in "${progs[@]}"; do
        name=$(basename "$t")
        out="$log/$v-$name.out"
        timeout 900 "$t" >"$out" 2>&1
        rc=$?
        p=$(grep -c '^PASS ' "$out")
        f=$(grep -c '^FAIL ' "$out")
        if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
            echo "FAIL [$v] $name: exited $rc without a FAIL line; last output:"
            tail -n 15 "$out" | sed 's/^/    /'
            f=1
        fi
        grep '^FAIL ' "$out" | sed "s/^FAIL /FAIL [$v] /"
        printf '%-6s %-28s %4d passed, %d failed\n' "$v" "$name" "$p" "$f"
        passed=$((passed + p)) failed=$((failed + f))
    done
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
