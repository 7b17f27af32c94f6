-- character classes over all 128 ASCII bytes: count members of each class
local all = {}
for i = 0, 127 do all[#all + 1] = string.char(i) end
all = table.concat(all)
local classes = { "a", "c", "d", "l", "p", "s", "u", "w", "x", "z" }
for _, c in ipairs(classes) do
  local _, lower = all:gsub("%" .. c, "")
  local _, upper = all:gsub("%" .. c:upper(), "")
  print("%" .. c, lower, upper, lower + upper)
end
-- which punctuation characters
local punct = all:gsub("[^%p]", "")
print(punct)
local spaces = {}
for s in all:gmatch("%s") do spaces[#spaces + 1] = s:byte() end
print(table.concat(spaces, ","))
print(("x.y"):match("%."), ("a%b"):match("%%"), ("(x)"):match("%(x%)"))
print(("hex: 1aF9g"):match("%x+", 6), ("under_score9"):match("[%w_]+"))
print(("\0abc"):find("%z"), ("a\0"):match("%Z+"))
print("done str_classes")
