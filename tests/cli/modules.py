"""tests/cli/modules.py: what the python3 generators of the tests of
NodeMCU's modules (tests/cli/modules_*.sh) share; modules.bash puts this
folder on PYTHONPATH. A generator adds Lua statements with the lines they
must print to groups, then write() makes OUT/GROUP.lua and OUT/GROUP.want
for each (GROUP_int: the integer VM), which sim_groups runs."""

import sys

M = 0xFFFFFFFF
_groups = {}


def s32(x):
    """x as an int32: NodeMCU's lua_Integer, the integer VM's number"""
    x &= M
    return x - (1 << 32) if x & 0x80000000 else x


def lua(v):
    """v as a Lua literal: bytes as a string of decimal escapes"""
    if isinstance(v, bytes):
        return '"' + "".join("\\%d" % c for c in v) + '"'
    return repr(v) if isinstance(v, float) else str(v)


def emit(group, stat, want, both=True):
    """stat prints want (a line; None: nothing; a pair: the float VM's and
    the integer VM's); with both, in group_int too"""
    names = [(group, 0)] + ([(group + "_int", 1)] if both else [])
    for name, integral in names:
        w = want[integral] if isinstance(want, tuple) else want
        _groups.setdefault(name, []).append((stat, w))


def show(group, expr, want, both=True):
    """print(expr) prints want"""
    emit(group, "print(%s)" % expr, want, both)


def write(out=None):
    """the groups' files in out (default: the first argument)"""
    out = out or sys.argv[1]
    for name, cases in _groups.items():
        with open("%s/%s.lua" % (out, name), "w") as f:
            f.writelines("%s\n" % stat for stat, _ in cases)
        with open("%s/%s.want" % (out, name), "w") as f:
            f.writelines("%s\n" % w for _, w in cases if w is not None)
