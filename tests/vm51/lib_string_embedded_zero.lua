-- strings with embedded zeros through the library: lengths, find, gsub,
-- format %s/%q, rep, reverse, byte; patterns stop at a zero (5.1), %z
-- matches one
local out = {}
local function write(...)
  for i = 1, select("#", ...) do out[#out + 1] = tostring((select(i, ...))) end
end
local function flush()
  local s = table.concat(out)
  out = {}
  return s
end
local z = "a\0b\0c"
print(#z, z:len(), #z:upper(), z:upper() == "A\0B\0C", #z:rep(3), z:reverse() == "c\0b\0a")
print(z:byte(1, -1))
print(z:sub(2, 4) == "\0b\0", z:find("b"), z:find("\0", 1, true), z:find("\0c", 1, true))
print(z:find("%z"), z:find("%z", 3), z:find("[%z]b"), z:match("(%Z+)%z(%Z+)"))
print(string.gsub(z, "%z", "-"))
print(string.gsub(z, "[^%z]", "x") == "x\0x\0x")
print(#string.format("%q", z), string.format("%q", z) == '"a\\000b\\000c"')
print(string.format("%s|", z), #string.format("%s|", z))
print(string.format("%-3s|", "\0"), #string.format("%-3s|", "\0"))
print(table.concat({ "x", "\0", "y" }) == "x\0y")
print(string.match("ab\0cd", "b\0c"), string.find("ab\0cd", "b\0c"))
print(#string.char(0, 0), ("\0"):byte(), string.rep("\0", 3) == "\0\0\0")
for w in string.gmatch("a\0bb\0ccc", "%Z+") do write(#w, " ") end
print(flush())
print("done lib_string_embedded_zero")
