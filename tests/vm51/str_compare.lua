-- string comparison: byte order, prefixes, embedded zeros, high bytes
local pairs_ = {
  { "a", "b" }, { "a", "a" }, { "ab", "a" }, { "", "" }, { "", "x" },
  { "Z", "a" }, { "10", "9" }, { "abc", "abd" }, { "a\0b", "a\0c" },
  { "a\0", "a" }, { "\255", "a" }, { "\128", "\127" }, { "A", "a" },
}
for i, p in ipairs(pairs_) do
  local x, y = p[1], p[2]
  print(i, x < y, x <= y, x > y, x >= y, x == y, x ~= y)
end
local words = { "pear", "Apple", "banana", "apple", "Banana", "cherry", "", "a", "ab", "B" }
table.sort(words)
print(table.concat(words, ","))
print(("abc"):rep(2) == "abcabc", "abc" .. "" == "abc")
local s1 = "same" .. "string"
local s2 = "samestring"
print(s1 == s2, rawequal(s1, s2))
print(pcall(function() return "a" < 1 end))
print(pcall(function() return {} < {} end))
print("done str_compare")
