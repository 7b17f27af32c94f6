-- longer subjects and patterns within the device's limits: backtracking,
-- many matches, many captures, nested quantifiers (depth < 200)
local s = string.rep("ab", 500)
print(#s, select(2, s:gsub("ab", "")), s:find("ba", 500), s:match("^(ab)*$"))
print(s:find("abc"), #s:match("a.*b"), #s:match("a.-b"), s:match("(a)(b)(a)(b)$"))
local p = string.rep("a?", 60) .. string.rep("b", 10)
print(string.match(string.rep("a", 60) .. string.rep("b", 10), p) ~= nil)
local caps = string.rep("(%w)", 30)
print(select("#", string.match(string.rep("xy", 20), caps)))
local words = {}
for i = 1, 200 do words[i] = "w" .. i end
local text = table.concat(words, " ")
local n = 0
for w in text:gmatch("%a%d+") do n = n + 1 end
print(#text, n, select(2, text:gsub("%d+", "#")))
print(#text:gsub("(%w+)", "<%1>"), text:match("w(%d+)$"), text:find("w150 "))
local nested = string.rep("(", 20) .. "x" .. string.rep(")", 20)
print(select("#", string.match("x", nested)))
print(#string.rep("x", 2000):gsub("x", "yy"))
print(string.find(string.rep("a", 3000) .. "b", ".-b"))
print(string.find(string.rep("a", 30), "a-a-a-b"))
print("done lib_string_long")
