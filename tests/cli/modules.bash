# tests/cli/modules.bash: what the tests of NodeMCU's modules share,
# sourced by tests/cli/modules_*.sh once they have set CLI_PREFIX (this
# file is not a test: the runner runs only *.sh). It sets SIM, PY (Debian's
# python3, which computes the expectations; modules.py, on PYTHONPATH,
# writes the programs) and the scratch folder T (removed at exit), sources
# lib.bash, and fails "setup" and exits when the simulator or python3 is
# missing. Env: BINDIR.
BIN="$(cd "${BINDIR:-build/rel/bin}" 2>/dev/null && pwd)"
SIM="$BIN/nodemcu-sim"
PY=/usr/bin/python3
PYTHONPATH="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
export PYTHONPATH PYTHONDONTWRITEBYTECODE=1
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
# shellcheck source=tests/cli/lib.bash
. "$(dirname "${BASH_SOURCE[0]}")/lib.bash"

if [ ! -x "$SIM" ] || [ ! -x "$PY" ]; then
    fail setup "no $SIM or no $PY (tools/deps.sh installs python3)"
    exit 1
fi

# both_vms NAME...: $T/NAME.lua and .want serve the integer VM as well.
both_vms() {
    local g
    for g in "$@"; do
        cp "$T/$g.lua" "$T/${g}_int.lua"
        cp "$T/$g.want" "$T/${g}_int.want"
    done
}

# The programs' helpers: try(f) prints f's results, or its error without
# the position; at(f) prints f's error without the chunk name (the line
# stays); hex(s) is s in lower-case hex.
PRELUDE='function try(f)
    local r = {pcall(f)}
    if r[1] then print(unpack(r, 2))
    else print((r[2]:gsub("^[^:]*:%d+: ", ""))) end
end
function at(f) print((select(2, pcall(f)):gsub("^[%w_]+%.lua:", ""))) end
function hex(s)
    return (s:gsub(".", function(c) return ("%02x"):format(c:byte()) end))
end'

# sim_groups: runs each $T/NAME.lua in nodemcu-sim from $T after PRELUDE
# (the integer VM for NAME_int.lua; an 80 KiB heap, for the long programs)
# and compares its standard output with $T/NAME.want: PASS or FAIL NAME.
sim_groups() {
    local lua g vm
    for lua in "$T"/*.lua; do
        g=$(basename "$lua" .lua)
        vm=()
        [[ $g == *_int ]] && vm=(--int)
        (cd "$T" && same "$g" "$g.want" -- "$SIM" "${vm[@]}" --heap 81920 \
            -e "$PRELUDE" "$g.lua")
    done
}
