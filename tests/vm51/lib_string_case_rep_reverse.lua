-- string.upper, string.lower, string.rep, string.reverse
print((string.gsub(string.upper("Hello, World! 123 \0 abc"), "%z", "\\0")), string.lower("Hello, World! ABC"))
local all = {}
for i = 0, 255 do all[#all + 1] = string.char(i) end
local s = table.concat(all)
local up, low = string.upper(s), string.lower(s)
local changed_up, changed_low = 0, 0
for i = 1, 256 do
  if up:byte(i) ~= s:byte(i) then changed_up = changed_up + 1 end
  if low:byte(i) ~= s:byte(i) then changed_low = changed_low + 1 end
end
print(#up, #low, changed_up, changed_low)
print(string.upper(12.5), string.lower(""), ("MiXeD"):lower(), ("MiXeD"):upper())
print(string.rep("ab", 3), string.rep("x", 0), string.rep("x", -1), string.rep("", 5))
print(string.rep("abc", 1), #string.rep("0123456789", 100), string.rep(5, 3))
print(string.rep("a\0", 3) == "a\0a\0a\0", string.rep("x", 2.9), string.rep("x", "3"))
print(#string.rep("y", 1000), #string.rep("yz", 300))
print(string.rep("", 1e6) == "")
print(string.reverse("hello"), string.reverse(""), string.reverse("a"), string.reverse(123))
print(string.reverse("a\0b") == "b\0a", #string.reverse(string.rep("ab", 500)))
print(pcall(string.rep))
print(pcall(string.rep, "x"))
print(pcall(string.rep, "x", "y"))
print(pcall(string.rep, {}, 1))
print(pcall(string.upper))
print(pcall(string.lower, nil))
print(pcall(string.reverse, true))
print(pcall(string.len))
print(pcall(string.sub))
print(pcall(string.sub, "x"))
print(pcall(string.sub, "x", 1, "z"))
print("done lib_string_case_rep_reverse")
