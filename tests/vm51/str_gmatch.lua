-- string.gmatch: words, pairs, empty matches, anchors (literal in 5.1)
local words = {}
for w in ("The quick  brown\tfox"):gmatch("%a+") do words[#words + 1] = w end
print(#words, table.concat(words, "|"))
local kv = {}
for k, v in ("a=1, b=22, ccc=333"):gmatch("(%w+)=(%w+)") do kv[#kv + 1] = k .. ":" .. v end
print(table.concat(kv, " "))
local empties = {}
for e in ("abc"):gmatch("x*") do empties[#empties + 1] = "[" .. e .. "]" end
print(#empties, table.concat(empties))
local pos = {}
for p in ("banana"):gmatch("()a") do pos[#pos + 1] = p end
print(table.concat(pos, ","))
local nums = {}
for n in ("1, -2, 3.5, 4e2, x"):gmatch("%-?[%d%.e]+") do nums[#nums + 1] = tonumber(n) end
print(table.concat(nums, " "))
-- '^' in gmatch is not an anchor in 5.1: it matches a literal caret only
local carets = 0
for _ in ("a^b^c"):gmatch("^") do carets = carets + 1 end
print("carets", carets)
local lines = {}
for line in ("first\nsecond\n\nfourth"):gmatch("([^\n]*)\n?") do lines[#lines + 1] = "<" .. line .. ">" end
print(table.concat(lines))
local it = ("x1y2z3"):gmatch("(%a)(%d)")
print(it())
print(it())
print(it())
print(it())
local csv = {}
for field in ("a,,b,c,"):gmatch("([^,]*),") do csv[#csv + 1] = "'" .. field .. "'" end
print(table.concat(csv, " "))
print(pcall(string.gmatch, nil, "x"))
print("done str_gmatch")
