#!/bin/bash
# tests/repo/layers.sh: the folder layers of docs/architecture.md §2,
# enforced on the #include "..." lines of every .c/.h/.S file. A unit is
# a top-level folder, or a subfolder of firmware/. Each unit may include
# its own files and those of the units its rule lists; tests/, bench/ and
# tools/ may include anything. Fails on a forbidden include, an include
# that names no file of the repository, a unit with no rule, and any cycle
# in the graph of the includes actually made. Prints PASS/FAIL lines.
set -u
cd "$(dirname "$0")/../.."

# unit: the units it may include (besides itself).
declare -A ALLOW=(
    [lfs]=""
    [spiffs]=""
    [flash]="lfs"
    [firmware/plat]="spiffs"
    [firmware/ldr]="firmware/plat lfs"
    [firmware/vm]="firmware/plat lfs"
    [firmware/vm51]="firmware/vm firmware/plat"
    [firmware/lib]="firmware/vm firmware/plat"
    [firmware/host]="firmware/plat firmware/ldr firmware/vm firmware/lib flash spiffs lfs"
    [firmware/esp8266]="firmware/plat firmware/ldr firmware/vm firmware/lib lfs"
    [spiffsimg]="spiffs lfs"
    [flashimg]="flash spiffs lfs"
    [luac-cross]="firmware/host firmware/lib firmware/vm lfs"
    [sim]="luac-cross firmware/host firmware/lib firmware/vm firmware/plat flash spiffs lfs"
    [tests]="*" [bench]="*" [tools]="*"
)

unit_of() {         # path -> unit
    case $1 in
        firmware/*/*) echo "${1%/*}" | cut -d/ -f1-2 ;;
        */*) echo "${1%%/*}" ;;
        *) echo . ;;
    esac
}

fails=0
fail() { echo "FAIL $1: $2"; fails=$((fails + 1)); }

edges=$(mktemp)
trap 'rm -f "$edges"' EXIT
n=0
while IFS= read -r f; do
    u=$(unit_of "$f")
    if [ -z "${ALLOW[$u]+x}" ]; then
        fail "layers_rule" "$f: unit '$u' has no rule in tests/repo/layers.sh"
        continue
    fi
    while IFS= read -r inc; do
        n=$((n + 1))
        if [ -f "$(dirname "$f")/$inc" ]; then
            target="$(dirname "$f")/$inc"
        elif [ -f "$inc" ]; then
            target=$inc
        else
            fail "layers_resolve" "$f includes \"$inc\", which is no file here"
            continue
        fi
        t=$(unit_of "$target")
        [ "$t" = "$u" ] && continue
        echo "$u $t" >>"$edges"
        allowed=" ${ALLOW[$u]} "
        case $allowed in *" * "*|*" $t "*) ;; *)
            fail "layers_include" "$f includes $target: $u may not include $t"
        esac
    done < <(sed -n 's/^[[:space:]]*#[[:space:]]*include[[:space:]]*"\([^"]*\)".*/\1/p' "$f")
done < <(git ls-files '*.c' '*.h' '*.S')

# Cycles among the units: repeatedly remove the units that include none of
# the remaining ones, or that none of them includes; what is left cycles.
sort -u "$edges" -o "$edges"
cycle=$(awk '
    { from[NR] = $1; to[NR] = $2; node[$1] = 1; node[$2] = 1 }
    END {
        do {
            changed = 0
            for (v in node) {
                out = 0; inc = 0
                for (i = 1; i <= NR; i++) {
                    if (from[i] == v && (to[i] in node)) out = 1
                    if (to[i] == v && (from[i] in node)) inc = 1
                }
                if (!out || !inc) { delete node[v]; changed = 1 }
            }
        } while (changed)
        for (v in node) printf "%s ", v
    }' "$edges") || cycle="(awk failed)"
if [ -n "$cycle" ]; then
    fail "layers_cycle" "the units $cycle include each other in a cycle"
else
    echo "PASS layers_cycle"
fi
if [ "$fails" -eq 0 ]; then
    echo "PASS layers_include ($n includes in $(git ls-files '*.c' '*.h' '*.S' | wc -l) files)"
fi
[ "$fails" -eq 0 ]
