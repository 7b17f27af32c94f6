-- string.byte and string.char: ranges, defaults, negative indices, errors
local s = "ABCDE"
print(string.byte(s))
print(string.byte(s, 2))
print(string.byte(s, -1))
print(string.byte(s, 2, 4))
print(string.byte(s, -3, -1))
print(string.byte(s, 0, 2))
print(string.byte(s, 4, 10))
print(select("#", string.byte(s, 4, 2)))
print(select("#", string.byte("", 1)))
print(select("#", string.byte(s, 6)))
print(string.byte(s, -10, 10))
print(string.byte("\0\1\127\128\255", 1, -1))
print(string.byte(10), string.byte(3.5, 2))
print(string.char())
print(string.char(72, 105), string.char("65", 66.7))
print(#string.char(0, 0, 0), string.char(255):byte())
local all = {}
for i = 0, 255 do all[#all + 1] = i end
local str = string.char(unpack(all))
print(#str, str:byte(1), str:byte(128), str:byte(-1))
local back = { str:byte(1, -1) }
local ok = #back == 256
for i = 1, 256 do ok = ok and back[i] == i - 1 end
print("round trip", ok)
print(pcall(string.char, 256))
print(pcall(string.char, -1))
print(pcall(string.char, 65, "x"))
print(pcall(string.char, 65, nil))
print(pcall(string.char, {}))
print(pcall(string.byte))
print(pcall(string.byte, "abc", "x"))
print(pcall(string.byte, "abc", 1, {}))
print(pcall(string.byte, {}))
print("done lib_string_byte_char")
