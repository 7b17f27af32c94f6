-- string.len and string.sub: every combination of positive, negative,
-- zero and out-of-range positions, numbers as strings, defaults
local s = "hello world"
print(string.len(""), string.len(s), string.len("a\0b\0"), #s)
print(string.len(123), string.len(-1.5))
local idx = { -20, -12, -11, -5, -1, 0, 1, 2, 5, 11, 12, 20 }
for _, i in ipairs(idx) do
  local row = {}
  for _, j in ipairs(idx) do
    row[#row + 1] = "[" .. string.sub(s, i, j) .. "]"
  end
  print(i, table.concat(row, " "))
end
for _, i in ipairs(idx) do
  print(i, "[" .. string.sub(s, i) .. "]")
end
print(string.sub("abc", 2.9), string.sub("abc", -1.5), string.sub("abc", "2", "3"))
print(string.sub(12345, 2, 4), string.sub("", 1, 1), string.sub("", 0), string.sub("", -1))
print(string.sub("abc", 2^40), string.sub("abc", -2^40), string.sub("abc", 1, 2^40))
print(string.sub("abc", 1, -2^40), string.sub("a\0b", 2, 2) == "\0")
print(("abcdef"):sub(2, -2), ("x"):len())
print("done lib_string_len_sub")
