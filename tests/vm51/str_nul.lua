-- embedded NUL bytes survive every string function
local s = "a\0b\0\0c"
print(#s, s:byte(1, -1))
print(s:upper():byte(1, -1))
print(s:rep(2):len(), s:reverse():byte(1, -1))
print(s:find("\0"), s:find("\0\0"), s:find("%z", 3))
local r, n = s:gsub("\0", "0")
print(n, r:byte(1, -1))
print(s:gsub("%z", "Z"))
print(s:sub(2, 4):byte(1, -1))
print((s .. s):len(), s == "a\0b\0\0c", s < "a\0b\0\0d", s < "a")
local parts = {}
for p in s:gmatch("[^%z]+") do parts[#parts + 1] = p end
print(table.concat(parts, "|"))
print(table.concat({ "x", "\0", "y" }):byte(1, -1))
print(string.format("%s", s):len(), string.format("%q", s))
local t = { [s] = "nulkey" }
print(t["a\0b\0\0c"], t["a"])
print(tostring(s) == s, #tostring(s))
print(string.char(0):rep(5) == "\0\0\0\0\0")
print("done str_nul")
