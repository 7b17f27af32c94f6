-- string.sub and string.len with every index form
local s = "Hello, world"
print(#s, s:len(), string.len(""), ("\0\0"):len())
print(s:sub(1, 5), s:sub(8), s:sub(-5), s:sub(-5, -2))
print("[" .. s:sub(0) .. "]", "[" .. s:sub(5, 4) .. "]", "[" .. s:sub(100) .. "]")
print("[" .. s:sub(-100, 3) .. "]", "[" .. s:sub(3, -100) .. "]", "[" .. s:sub(0, 0) .. "]")
print(s:sub(2, 2), s:sub(-1, -1), s:sub(12, 12), "[" .. s:sub(13, 13) .. "]")
print(s:sub(1.9, 3.2), s:sub("2", "4"))
print(string.sub(s, 1), string.sub(s, 1, -1) == s)
print(pcall(string.sub))
print(pcall(string.sub, s, "x"))
print(pcall(string.sub, {}, 1))
-- every substring of a short string
local w = "abcd"
local all = {}
for i = 1, #w do
  for j = i, #w do all[#all + 1] = w:sub(i, j) end
end
print(#all, table.concat(all, " "))
-- numbers are strings for the library
print(string.sub(12345, 2, 3), string.len(3.5))
print("done str_sub")
