-- anchors: ^ at the start only, $ at the end only, elsewhere literal;
-- gmatch ignores ^ (5.1), gsub honours it
local out = {}
local function write(...)
  for i = 1, select("#", ...) do out[#out + 1] = tostring((select(i, ...))) end
end
local function flush()
  local s = table.concat(out)
  out = {}
  return s
end
print(string.match("hello", "^h"), string.match("hello", "^e"), string.match("hello", "o$"), string.match("hello", "l$"))
print(string.match("a^b", "a^b"), string.match("a$b", "a$b"), string.match("$", "^$$"), string.match("^", "^^"))
print(string.match("hello", "^hello$"), string.match("hello!", "^hello$"), string.match("", "^$"))
print(string.find("hello", "^l", 3), string.find("hello", "^l", 4), string.find("hello", "^l", -2))
print(string.gsub("hello hello", "^hello", "bye"))
print(string.gsub("hello hello", "hello$", "bye"))
print(string.gsub("hello", "^", ">"))
print(string.gsub("hello", "$", "<"))
print(string.gsub("hello", "^.", string.upper))
print(string.gsub("aaa", "^a", "b", 5))
local n = 0
for w in string.gmatch("^a^b", "^%a") do n = n + 1; write(w, " ") end
print(flush(), n)
n = 0
for w in string.gmatch("abc", "^.") do n = n + 1; write(w, " ") end
print(flush(), n)
for a, b in string.gmatch("k1=v1, k2=v2", "(%w+)=(%w+)") do write(a, ":", b, " ") end
print(flush())
print(string.match("line1\nline2", "^(.-)\n"), string.match("line1\nline2", "\n(.*)$"))
print("done lib_string_match_anchor")
