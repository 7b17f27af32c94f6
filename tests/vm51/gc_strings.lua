-- many medium strings created and dropped: the heap must not fragment to death
local keep = {}
local total = 0
for round = 1, 40 do
  local s = string.rep(string.char(65 + round % 26), 100 + (round * 37) % 900)
  total = total + #s
  if round % 10 == 0 then keep[#keep + 1] = s end
  local parts = {}
  for i = 1, 10 do parts[i] = s:sub(i, i + 50) end
  total = total + #table.concat(parts)
end
print(total, #keep)
local big = {}
for i = 1, 8 do big[i] = string.rep("x", 400 * i) end
local sum = 0
for i = 1, 8 do sum = sum + #big[i] end
big = nil
collectgarbage()
local again = string.rep("y", 3000)
print(sum, #again)
-- interning: short strings built different ways are equal
local a = "con" .. "cat"
local b = table.concat({ "co", "nc", "at" })
local c = string.format("%s%s", "conc", "at")
local d = ("tacnoc"):reverse() .. ""
print(a == b, b == c, c == d, ("concat"):sub(1) == a)
print("done gc_strings")
