-- os.getenv, os.difftime, os.clock: types and arguments (no values
-- that depend on the host)
print(os.getenv("LUA_TEST_SURELY_UNSET_VARIABLE_12345"))
local home = os.getenv("PATH")
print(home == nil or type(home) == "string")
print(os.difftime(10, 3), os.difftime(3, 10), os.difftime(5), os.difftime(0, 0), os.difftime("7", "2"))
print(os.difftime(1.9, 0.2))
print(type(os.clock()), os.clock() >= 0)
local c = os.clock()
local s = 0
for i = 1, 10000 do s = s + i end
print(os.clock() >= c, s)
print(pcall(os.getenv))
print(pcall(os.getenv, {}))
print(pcall(os.difftime))
print(pcall(os.difftime, "x"))
print(pcall(os.difftime, 1, {}))
print(type(os.time), type(os.date), type(os.clock), type(os.getenv), type(os.difftime))
print("done lib_os_misc")
