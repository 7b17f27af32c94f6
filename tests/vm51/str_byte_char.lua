-- string.byte and string.char
local s = "ABCdef\0\255"
print(s:byte(), s:byte(2), s:byte(-1), s:byte(-2), s:byte(7))
print(s:byte(1, 3))
print(s:byte(-3, -1))
print(select("#", s:byte(10)), select("#", s:byte(3, 2)), select("#", (""):byte()))
print(s:byte(0), s:byte(1, 0))
print(string.char(), string.char(72, 105), #string.char(0, 0, 0))
print(string.char(228, 246, 252):byte(1, -1))
print(pcall(string.char, 256))
print(pcall(string.char, -1))
print(pcall(string.char, "x"))
print(string.char("65", 66.0))
-- round trip of every byte
local bytes = {}
for i = 0, 255 do bytes[#bytes + 1] = string.char(i) end
local all = table.concat(bytes)
print(#all)
local okc = true
for i = 1, 256 do if all:byte(i) ~= i - 1 then okc = false end end
print("roundtrip", okc)
print(all:sub(66, 91))
-- a checksum of many bytes
local sum = 0
for i = 1, #all do sum = (sum * 31 + all:byte(i)) % 1000003 end
print("sum", sum)
print("done str_byte_char")
