#!/bin/bash
# tests/cli/device.sh: nodemcu-sim --flash, the simulated device booting
# whole flash images made by flashimg compose: options and usage errors
# (exit 2); bad flash images (missing, random, truncated, wrong partition
# table, wrong flash size: one line, exit 1, the file untouched); boot
# (first-boot planning of a default partition table, init.lua from
# SPIFFS, LFS modules called from it, the integer build, the LFS boot
# check's console line, init.lua errors); the file library against the vectors' SPIFFS images
# (listing, every file's bytes, readline) and writing files (modes, seek,
# rename, remove, stat, put/getcontents, persistence in the image file);
# a SPIFFS the firmware cannot mount reformatted; timers firing in order,
# ALARM_SINGLE/SEMI/AUTO, state, tmr.delay, --timeout; node.task.post
# priorities; node.restart and --reboots; the console (stdin lines,
# continued chunks, "=expr", errors, uart.on); the never-brick reload
# through --power-cut at a few points (every point: the C test
# test_firmware_device); and the example application booted as `make run`
# does. Env: BINDIR, VECTORS. PASS/FAIL lines.
set -u
BIN="${BINDIR:-build/rel/bin}"
SIM="$BIN/nodemcu-sim"
FI="$BIN/flashimg"
LUAC="$BIN/luac.cross"
VEC="$(cd "${VECTORS:-tests/vectors}" && pwd)"
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
CLI_PREFIX=device
exec </dev/null        # no run may wait for a console; input is explicit
CLI_LIB="$(cd "$(dirname "$0")" && pwd)/lib.bash"
# shellcheck source=tests/cli/lib.bash
. "$CLI_LIB"
export LC_ALL=C

# image OUT [compose options]: a 1 MiB stand-in flash image
image() {
    local out=$1
    shift
    "$FI" compose -o "$out" --stand-in --flash-size 1M "$@" \
        >/dev/null 2>"$T/compose.err"
}

# fsdir DIR INIT_LUA: a folder for SPIFFS holding init.lua
fsdir() {
    rm -rf "$1" && mkdir -p "$1" && printf '%s\n' "$2" >"$1/init.lua"
}

# has NAME PATTERN... -- command: exit 0, every extended regex PATTERN
# matches a line of stdout
has() {
    local name=$1 pats=()
    shift
    while [ "$1" != -- ]; do pats+=("$1"); shift; done
    shift
    "$@" >"$T/stdout" 2>"$T/stderr"
    local rc=$? p
    if [ $rc -ne 0 ]; then
        fail "$name" "exit $rc: $(head -c 300 "$T/stderr")"
        return
    fi
    for p in "${pats[@]}"; do
        if ! grep -qE -- "$p" "$T/stdout"; then
            fail "$name" "no /$p/ in: $(head -c 400 "$T/stdout" |
                 tr '\n\t' '|>')"
            return
        fi
    done
    pass "$name"
}

S=("$SIM" --no-banner)

# -- options ------------------------------------------------------------------
"$SIM" --help >"$T/o" 2>&1 && grep -q -- '--flash FILE' "$T/o" &&
    grep -q -- '--timeout' "$T/o" && grep -q -- '--power-cut' "$T/o" &&
    pass help || fail help "no --flash, --timeout, --power-cut in --help"
fsdir "$T/fs0" 'print("init")'
image "$T/plain.bin" --spiffs-dir "$T/fs0" || fail setup "compose failed"
expect usage_timeout_alone 2 'need --flash' - -- "$SIM" --timeout 5 -e 'x=1'
expect usage_flash_lfs 2 'not both' - -- \
    "$SIM" --flash "$T/plain.bin" --lfs "$VEC/lfs51/hello.img"
expect usage_flash_script 2 'not a script' - -- \
    "$SIM" --flash "$T/plain.bin" x.lua
expect usage_timeout_word 2 "--timeout 'soon'" - -- \
    "$SIM" --flash "$T/plain.bin" --timeout soon
expect usage_power_cut 2 "--power-cut '-1'" - -- \
    "$SIM" --flash "$T/plain.bin" --power-cut -1
expect usage_flash_arg 2 "'--flash' needs an argument" - -- "$SIM" --flash

# -- bad flash images: one line, exit 1, the file untouched --------------------
expect image_missing 1 'cannot open' - -- "$SIM" --flash "$T/none.bin"
head -c 1048576 /dev/urandom >"$T/random.bin"
cp "$T/random.bin" "$T/random.copy"
expect image_random 1 'not the esptool image magic' - -- \
    "${S[@]}" --flash "$T/random.bin"
cmp -s "$T/random.bin" "$T/random.copy" && pass image_random_untouched ||
    fail image_random_untouched "a refused image was changed"
head -c 70000 "$T/plain.bin" >"$T/cut.bin"
expect image_truncated 1 'not a whole number of 4 KiB sectors' - -- \
    "${S[@]}" --flash "$T/cut.bin"
head -c 32768 "$T/plain.bin" >"$T/short.bin"
expect image_no_table 1 'partition-table page' - -- \
    "${S[@]}" --flash "$T/short.bin"
: >"$T/empty.bin"
expect image_empty 1 'too short' - -- "${S[@]}" --flash "$T/empty.bin"
# LFS0 (item 5 at 0x10004 + 4 * 12) grows to 0x80000: it overlaps SPIFFS
cp "$T/plain.bin" "$T/overlap.bin"
printf '\000\000\010\000' | dd of="$T/overlap.bin" bs=1 seek=$((0x1003c)) \
    conv=notrunc 2>/dev/null
expect image_overlap 1 'overlap' - -- "${S[@]}" --flash "$T/overlap.bin"
cp "$T/plain.bin" "$T/rcr.bin"
printf '\001\001' | dd of="$T/rcr.bin" bs=1 seek=$((0x10002)) conv=notrunc \
    2>/dev/null
expect image_rcr 1 'bytes 2-3 must be zero' - -- "${S[@]}" --flash "$T/rcr.bin"
cp "$T/plain.bin" "$T/small.bin"
printf '\000' | dd of="$T/small.bin" bs=1 seek=3 conv=notrunc 2>/dev/null
expect image_flash_size 1 '512KB|flash-size' - -- \
    "${S[@]}" --flash "$T/small.bin"

# -- boot ----------------------------------------------------------------------
# le32 V...: little-endian words
le32() {
    local v
    for v in "$@"; do
        printf "$(printf '\\%03o\\%03o\\%03o\\%03o' $((v & 255)) \
            $((v >> 8 & 255)) $((v >> 16 & 255)) $((v >> 24 & 255)))"
    done
}
# the firmware's default table (end marker: firmware ends at 0x11000):
# first boot plans it, writes it back and formats the new SPIFFS
cp "$T/plain.bin" "$T/fb.bin"
{ le32 $((24 | 1 << 8)) 101 0 0xb000 4 0xd000 0x1000 5 0xf000 0x1000 \
      102 0x10000 0 103 0 0x40000 106 0 0xffffffff 6 0 0x3000 \
      0 0x40211000 0
  head -c $((4096 - 100)) /dev/zero | tr '\0' '\377'; } >"$T/rcr.page"
dd if="$T/rcr.page" of="$T/fb.bin" bs=4096 seek=16 conv=notrunc 2>/dev/null
printf '%s\n' 'Formatting file system. Please wait...' \
    'No LFS image loaded' 'lua: cannot open init.lua' \
    '73728	262144	335872	700416' >"$T/want"
same boot_first_boot_plan "$T/want" -- "${S[@]}" --flash "$T/fb.bin" \
    -e 'local t = node.getpartitiontable() print(t.lfs_addr, t.lfs_size,
        t.spiffs_addr, t.spiffs_size)' </dev/null
"$FI" inspect "$T/fb.bin" 2>&1 | grep -q 'partition table: planned' &&
    pass boot_first_boot_written ||
    fail boot_first_boot_written "the planned table was not written back"

cp "$T/plain.bin" "$T/p.bin"
printf 'No LFS image loaded\ninit\n' >"$T/want"
same boot_plain "$T/want" -- "${S[@]}" --flash "$T/p.bin" </dev/null
cmp -s "$T/p.bin" "$T/plain.bin" && pass boot_no_writes ||
    fail boot_no_writes "a run that writes nothing changed the file"
"$SIM" --flash "$T/p.bin" </dev/null >"$T/o" 2>&1
grep -q '^NodeMCU 3.0.0.0' "$T/o" && grep -q 'build type: float' "$T/o" &&
    pass boot_banner || fail boot_banner "$(head -c 300 "$T/o")"
"$FI" compose -o "$T/v256.bin" --stand-in --lfs "$VEC/lfs51/hello.img" \
    --spiffs "$VEC/spiffs/fs256k.img" >/dev/null 2>&1
{ echo 'init.lua from SPIFFS'; cat "$VEC/src/lua51/hello.out"; } >"$T/want"
same boot_vector_init "$T/want" -- "${S[@]}" --flash "$T/v256.bin" </dev/null
fsdir "$T/fs1" 'print(#node.LFS.list(), LFS.hello ~= nil, node.heap() > 20000)
local t = node.getpartitiontable()
print(t.lfs_addr, t.lfs_size, t.spiffs_addr, file.fscfg())
print(node.bootreason())
LFS.hello()'
image "$T/l.bin" --lfs "$VEC/lfs51/hello.img" --spiffs-dir "$T/fs1"
{ printf '1\ttrue\ttrue\n%d\t%d\t%d\t%d\t%d\n1\t0\n' 0x80000 0x40000 \
    0xc0000 0xc0000 0x3c000; cat "$VEC/src/lua51/hello.out"; } >"$T/want"
same boot_lfs_from_init "$T/want" -- "${S[@]}" --flash "$T/l.bin" </dev/null
printf 'number = integer\n' >"$T/int.profile"
image "$T/i.bin" --profile "$T/int.profile" --lfs "$VEC/lfs51/hello.int.img" \
    --spiffs-dir "$T/fs1"
has boot_int_build 'build type: integer' -- "$SIM" --flash "$T/i.bin" \
    -e 'print(7/2)' </dev/null
grep -qx 3 "$T/stdout" && pass boot_int_numbers ||
    fail boot_int_numbers "7/2 is not 3 on the integer build"
# an interrupted reload: IN_PROGRESS set in the signature (byte 0 |= 0x08)
cp "$T/l.bin" "$T/ip.bin"
printf '\134' | dd of="$T/ip.bin" bs=1 seek=$((0x80000)) conv=notrunc \
    2>/dev/null
has boot_in_progress '^Flash sig not correct: 0xfafaa15c vs 0xfafaa154$' \
    '^false' -- "${S[@]}" --flash "$T/ip.bin" -e 'print(LFS.hello ~= nil)' \
    </dev/null
printf 'print("no init")' >"$T/none.lua"
fsdir "$T/fs2" 'x'
rm "$T/fs2/init.lua"
printf 'x' >"$T/fs2/other.txt"
image "$T/noinit.bin" --spiffs-dir "$T/fs2"
has boot_no_init_lua '^lua: cannot open init.lua$' -- \
    "${S[@]}" --flash "$T/noinit.bin" </dev/null
fsdir "$T/fs3" 'print("a") error("init failed") print("b")'
image "$T/err.bin" --spiffs-dir "$T/fs3"
has boot_init_error '^a$' '^lua: init.lua:1: init failed$' \
    'in main chunk' -- "${S[@]}" --flash "$T/err.bin" -e 'print("alive")' \
    </dev/null
grep -qx alive "$T/stdout" && ! grep -qx b "$T/stdout" &&
    pass boot_console_after_error ||
    fail boot_console_after_error "$(tr '\n' '|' <"$T/stdout")"

# -- the file library on the vectors' SPIFFS images ----------------------------
# list, then every file read with f:read() in chunks: name, size, checksum
cat >"$T/fsread.lua" <<'EOF'
local names = {}
for n, s in pairs(file.list()) do names[#names + 1] = n end
table.sort(names)
for _, n in ipairs(names) do
  local f, len, sum = file.open(n), 0, 0
  while true do
    local s = f:read(700)
    if not s then break end
    for i = 1, #s do sum = (sum * 31 + s:byte(i)) % 65521 end
    len = len + #s
  end
  f:close()
  print(n, file.list()[n], len, sum)
end
EOF
for size in 256k 1m; do
    "$FI" compose -o "$T/fs$size.bin" --stand-in \
        --spiffs "$VEC/spiffs/fs$size.img" >/dev/null 2>&1
    (cd "$VEC/spiffs/src" &&
     for n in $(awk '{ print $3 }' "$VEC/spiffs/fs$size.lst" | sort); do
         printf '%s\t%s\t%s\t' "$n" "$(wc -c <"$n" | tr -d ' ')" \
             "$(wc -c <"$n" | tr -d ' ')"
         od -An -v -tu1 "$n" |
             awk '{ for (i = 1; i <= NF; i++) s = (s * 31 + $i) % 65521 }
                  END { print s + 0 }'
     done) >"$T/body"
    { printf 'No LFS image loaded\ninit.lua from SPIFFS\n'
      cat "$T/body"; } >"$T/want"
    same "file_vector_$size" "$T/want" -- "${S[@]}" --flash "$T/fs$size.bin" \
        -e "$(cat "$T/fsread.lua")" </dev/null
done
# readline and getcontents give init.lua's text
{ printf 'No LFS image loaded\ninit.lua from SPIFFS\n'
  cat "$VEC/spiffs/src/init.lua"; } >"$T/want"
same file_readline "$T/want" -- "${S[@]}" \
    --flash "$T/fs256k.bin" -e 'local f = file.open("init.lua")
        local l = f:readline()
        while l do uart.write(0, l) l = f:readline() end f:close()' \
    </dev/null
{ printf 'No LFS image loaded\ninit.lua from SPIFFS\n'
  cat "$VEC/spiffs/src/config.json"; echo; echo 61; } >"$T/want"
same file_getcontents "$T/want" -- "${S[@]}" --flash "$T/fs256k.bin" \
    -e 'print(file.getcontents("config.json"))' \
    -e 'print(file.stat("config.json").size)' </dev/null
# fs64k has 4 KiB blocks, the firmware wants 8 KiB: it reformats
"$FI" compose -o "$T/fs64.bin" --stand-in --flash-size 1M >/dev/null 2>&1
dd if="$VEC/spiffs/fs64k.img" of="$T/fs64.bin" bs=4096 \
    seek=$((0xc0000 / 4096)) conv=notrunc 2>/dev/null
has file_reformat '^Formatting file system. Please wait...$' '^0$' -- \
    "${S[@]}" --flash "$T/fs64.bin" \
    -e 'local n = 0 for _ in pairs(file.list()) do n = n + 1 end print(n)' \
    </dev/null
"${S[@]}" --flash "$T/fs64.bin" -e 'print("again")' </dev/null >"$T/o" 2>&1
! grep -q Formatting "$T/o" && grep -qx again "$T/o" &&
    pass file_reformat_once || fail file_reformat_once "$(tr '\n' '|' <"$T/o")"

# -- writing files -------------------------------------------------------------
cp "$T/plain.bin" "$T/w.bin"
cat >"$T/want" <<'EOF'
No LFS image loaded
init
hello world

0
hello world
true	false
true	false
b.txt	17
hello WORLD
more

true	xyz
false
legacy
nil	nil
true
b.txt
init.lua	b.txt
EOF
same file_write "$T/want" -- "${S[@]}" --flash "$T/w.bin" \
    -e 'local f = file.open("a.txt", "w") f:write("hello ")
        f:writeline("world") f:close() print(file.getcontents("a.txt"))' \
    -e 'local f = file.open("a.txt", "a+") f:write("more\n")
        print(f:seek("set")) uart.write(0, f:readline()) f:close()' \
    -e 'print(file.exists("a.txt"), file.exists("b.txt"))' \
    -e 'print(file.rename("a.txt", "b.txt"), file.exists("a.txt"))' \
    -e 'local s = file.stat("b.txt") print(s.name, s.size)' \
    -e 'local f = file.open("b.txt", "r+") f:seek("set", 6)
        f:write("WORLD") f:close() print(file.getcontents("b.txt"))' \
    -e 'print(file.putcontents("c.txt", "xyz"), file.getcontents("c.txt"))
        file.remove("c.txt") print(file.exists("c.txt"))' \
    -e 'file.open("d.txt", "w") file.write("legacy") file.close()
        print(file.getcontents("d.txt")) file.remove("d.txt")' \
    -e 'print(file.open("nope.txt"), file.open("nope.txt", "r+"))' \
    -e 'local r, u, t = file.fsinfo() print(r + u == t and u > 0)' \
    -e 'for n in pairs(file.list("^b")) do print(n) end' \
    -e 'local t = {} for n in pairs(file.list()) do t[#t + 1] = n end
        table.sort(t, function(a, b) return a > b end)
        print(table.concat(t, "\t"))' </dev/null
printf 'No LFS image loaded\ninit\nhello WORLD\nmore\n\n' >"$T/want"
same file_persists "$T/want" -- "${S[@]}" --flash "$T/w.bin" \
    -e 'print(file.getcontents("b.txt"))' </dev/null
has file_limits '^nil$' "^false	.*filename invalid" '^true$' -- \
    "${S[@]}" --flash "$T/w.bin" \
    -e 'local t = {} for i = 1, 5 do t[i] = file.open("b.txt") end
        print(t[5]) for i = 1, 4 do t[i]:close() end' \
    -e 'print(pcall(file.open, ("x"):rep(32)))' \
    -e 'print(file.open(("y"):rep(31), "w") ~= nil)' </dev/null
has file_dofile '^42$' '^mod	7$' -- "${S[@]}" --flash "$T/w.bin" \
    -e 'file.putcontents("m.lua", "return 42") print(dofile("m.lua"))' \
    -e 'file.putcontents("mod.lua", "return {v = 7}")
        print("mod", require("mod").v)' </dev/null

# -- timers, tasks, restart ----------------------------------------------------
cp "$T/plain.bin" "$T/t.bin"
# each reading of the virtual clock advances it by 1 us: b (started
# second) is due at 10.002, 20.002, 30.002 ms, c (started fourth) at
# 20.004, then 40.006, a (first) at 30.001
cat >"$T/want" <<'EOF'
No LFS image loaded
init
true	false
nil
false	1
high	2
high2
medium	1
low	0
b	1	10
b	2	20
c	20	false	2
true
a	30	nil
b	3	30
nil
c	40	false	2
EOF
same tmr_order "$T/want" -- "${S[@]}" --flash "$T/t.bin" --timeout 1 \
    -e 'local function ms() return math.floor(tmr.now() / 1000) end
        local a = tmr.create()
        a:alarm(30, tmr.ALARM_SINGLE, function(t) print("a", ms(), t:state())
        end)
        local n, b = 0, tmr.create()
        b:alarm(10, tmr.ALARM_AUTO, function(t) n = n + 1
          print("b", n, ms()) if n == 3 then t:unregister() print(t:state())
          end end)
        local c = tmr.create()
        c:register(20, tmr.ALARM_SEMI, function(t) print("c", ms(), t:state())
          if not again then again = true print(t:start()) end end)
        print(c:start(), c:start())
        local d = tmr.create() print(d:state())
        d:register(5, tmr.ALARM_AUTO, print) print(d:state())
        node.task.post(0, function(p) print("low", p) end)
        node.task.post(2, function(p) print("high", p)
          node.task.post(2, function() print("high2") end) end)
        node.task.post(function(p) print("medium", p) end)' </dev/null
printf 'No LFS image loaded\ninit\n1\n2\n3\n' >"$T/want"
same tmr_timeout "$T/want" -- "${S[@]}" --flash "$T/t.bin" --timeout 3.5 \
    -e 'n = 0 tmr.create():alarm(1000, tmr.ALARM_AUTO, function() n = n + 1
        print(n) end)' </dev/null
printf 'No LFS image loaded\ninit\ntrue\ttrue\t2\n' >"$T/want"
same tmr_delay "$T/want" -- "${S[@]}" --flash "$T/t.bin" -e 'local t0 =
    tmr.now() tmr.delay(2500000) local d = tmr.now() - t0
    print(d >= 2500000, d < 2501000, tmr.time())' </dev/null
fsdir "$T/fs4" 'print("boot", node.bootreason()) node.restart() print("on")'
image "$T/r.bin" --spiffs-dir "$T/fs4"
"${S[@]}" --flash "$T/r.bin" --reboots 2 </dev/null >"$T/o" 2>"$T/e"
if [ $? -eq 0 ] && [ "$(grep -c '^on$' "$T/o")" -eq 3 ] &&
   grep -q '^boot	1	0$' "$T/o" && [ "$(grep -c '^boot	2	4$' "$T/o")" -eq 2 ] &&
   grep -q 'stopped at restart 3 (--reboots 2)' "$T/e"; then
    pass node_restart
else
    fail node_restart "$(tr '\n' '|' <"$T/o") / $(head -c 200 "$T/e")"
fi

# -- the console ---------------------------------------------------------------
cat >"$T/in" <<'EOF'
print(1 + 1)
for i = 1, 2 do
print(i)
end
=2 + 3, "x"
error("boom")
x = = 1
uart.on("data", 3, function(d) print("got", d) end, 1)
print("abc")
EOF
cat >"$T/want" <<'EOF'
No LFS image loaded
init
2
1
2
5	x
lua: stdin:1: boom
stack traceback:
	[C]: in function 'error'
	stdin:1: in main chunk
lua: stdin:1: unexpected symbol near '='
got	pri
got	nt(
got	"ab
got	c")
abc
EOF
same console_stdin "$T/want" -- "${S[@]}" --flash "$T/t.bin" <"$T/in"
printf '%s\n' 'uart.on("data", "\n", function(d)' \
    '  uart.write(0, "[", d, "]") end, 0)' hi 'print("no")' >"$T/in"
printf 'No LFS image loaded\ninit\n[hi\n][print("no")\n]' >"$T/want"
same console_uart_on "$T/want" -- "${S[@]}" --flash "$T/t.bin" <"$T/in"

# -- never-brick reload through the command line -------------------------------
mkdir -p "$T/v1" "$T/v2"
for v in 1 2; do
    for m in a b c; do
        for i in $(seq 1 60); do
            echo "function f$i(x) return x + $i * $v, 'module $m v$v f$i' end"
        done >"$T/v$v/$m.lua"
    done
    echo "return $v" >"$T/v$v/ver.lua"
    (cd "$T/v$v" && "$LUAC" -f --timestamp 1 -o "$T/v$v.img" *.lua \
        >/dev/null 2>&1)
done
fsdir "$T/fs5" 'local ok, v = pcall(function() return LFS.ver() end)
print("boot", ok and v or "no-lfs")
if ok and v == 1 then print(node.LFS.reload("lfs.img")) end'
cp "$T/v2.img" "$T/fs5/lfs.img"
image "$T/rl.bin" --lfs "$T/v1.img" --spiffs-dir "$T/fs5"
cp "$T/rl.bin" "$T/rl1.bin"
"${S[@]}" --flash "$T/rl1.bin" --flash-stats </dev/null >"$T/o" 2>"$T/e"
ops=$(sed -n 's/^flash: \([0-9]*\) erases, \([0-9]*\) writes.*/\1 \2/p' "$T/e")
total=$(( ${ops% *} + ${ops#* } ))
if grep -q '^boot	1$' "$T/o" && grep -q '^boot	2$' "$T/o" &&
   grep -q '^LFS reload: ' "$T/e" && [ "$total" -gt 10 ]; then
    pass reload_run
else
    fail reload_run "$(tr '\n' '|' <"$T/o") / $(tr '\n' '|' <"$T/e")"
fi
for n in 0 1 3 5 $((total / 2)) $((total - 3)) $((total - 1)); do
    cp "$T/rl.bin" "$T/pc.bin"
    "${S[@]}" --flash "$T/pc.bin" --power-cut "$n" </dev/null >"$T/o" 2>"$T/e"
    rc=$?
    "${S[@]}" --flash "$T/pc.bin" </dev/null >"$T/o2" 2>"$T/e2"
    first=$(grep -m1 '^boot' "$T/o2")
    last=$(grep '^boot' "$T/o2" | tail -n 1)
    if [ $rc -eq 0 ] && grep -q "power cut after $n flash operations" "$T/e" &&
       { [ "$first" = "boot	1" ] || [ "$first" = "boot	2" ]; } &&
       [ "$last" = "boot	2" ]; then
        pass "reload_power_cut_$n"
    else
        fail "reload_power_cut_$n" \
            "$(tr '\n' '|' <"$T/o2") / $(head -c 200 "$T/e")"
    fi
done

# -- a run stopped by SIGTERM or SIGINT keeps every flash write made before --
# init.lua writes count.txt in a loop (a timer, or a busy loop that never
# returns to the event loop) and prints after each write; once 50 writes
# were printed the run is signalled. It must stop with 128 + the signal,
# and the next boot must mount SPIFFS and find the last printed count (or
# the one after it: the signal may come between a write and its print).
killed() {
    local name=$1 sig=$2 code=$3 init=$4
    fsdir "$T/fsk" "local old = file.getcontents('count.txt')
if old then print('count ' .. old) return end
$init"
    image "$T/kill.bin" --spiffs-dir "$T/fsk"
    "${S[@]}" --flash "$T/kill.bin" >"$T/kill.out" 2>"$T/kill.err" &
    local pid=$! i last count rc
    for i in $(seq 1 200); do
        grep -q '^wrote 50$' "$T/kill.out" 2>/dev/null && break
        sleep 0.1
    done
    kill "-$sig" "$pid"
    for i in $(seq 1 200); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
    done
    kill -KILL "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
    rc=$?
    last=$(sed -n 's/^wrote \([0-9]*\)$/\1/p' "$T/kill.out" | tail -n 1)
    timeout 20 "${S[@]}" --flash "$T/kill.bin" >"$T/kill2.out" \
        2>"$T/kill2.err"
    count=$(sed -n 's/^count \([0-9]*\)$/\1/p' "$T/kill2.out")
    if [ "$rc" -eq "$code" ] && grep -q "stopped by $sig" "$T/kill.err" &&
       [ "${last:-0}" -ge 50 ] && [ -n "$count" ] &&
       [ "$count" -ge "$last" ] && [ "$count" -le $((last + 1)) ] &&
       ! grep -q Formatting "$T/kill2.out"; then
        pass "$name"
    else
        fail "$name" "exit $rc, last printed ${last:-none}, count after:\
 ${count:-none}: $(head -c 200 "$T/kill.err") /\
 $(head -c 200 "$T/kill2.out" | tr '\n' '|')"
    fi
}
killed kill_term_timer SIGTERM 143 "n = 0
t = tmr.create()
t:alarm(10, tmr.ALARM_AUTO, function()
    n = n + 1
    file.putcontents('count.txt', tostring(n))
    print('wrote ' .. n)
end)"
killed kill_int_busy SIGINT 130 "local n = 0
while true do
    n = n + 1
    file.putcontents('count.txt', tostring(n))
    print('wrote ' .. n)
end"

# -- the example application, as make run boots it -----------------------------
mkdir -p "$T/ex"
cp "$ROOT/examples/init.lua" "$T/ex/"
(cd "$ROOT/examples" && "$LUAC" -f -o "$T/ex/lfs.img" _init.lua app.lua \
    config.lua dummy_strings.lua httpd_parse.lua json.lua sched.lua \
    sensor.lua >/dev/null 2>&1)
"$FI" compose -o "$T/ex.bin" --stand-in --spiffs-dir "$T/ex" >/dev/null 2>&1
has example_app '^init: LFS is empty, loading lfs.img' \
    '^LFS region updated.  Restarting.$' '^init: LFS holds 8 modules' \
    'started node-1' '^init: app started$' -- \
    "${S[@]}" --flash "$T/ex.bin" --timeout 10 </dev/null
