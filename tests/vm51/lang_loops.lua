-- while, repeat-until (body locals visible in the condition), break, nesting
local n, steps = 27, 0
while n ~= 1 do
  if n % 2 == 0 then n = n / 2 else n = 3 * n + 1 end
  steps = steps + 1
end
print("collatz", steps)
local i = 0
repeat
  local sq = i * i
  i = i + 1
until sq >= 50
print("repeat", i)
local count = 0
while true do
  count = count + 1
  if count >= 7 then break end
end
print("break", count)
local outer = 0
for a = 1, 5 do
  for b = 1, 5 do
    if b > a then break end
    outer = outer + 1
  end
end
print("nested", outer)
local r = 0
repeat r = r + 1 until true
print("once", r)
-- while with a complex condition
local x, y = 0, 100
while x < y and y - x > 10 do x = x + 7 y = y - 3 end
print(x, y)
-- loops that never run
while false do print("never") end
for _ = 1, 0 do print("never") end
print("skipped")
-- continue-like pattern with repeat ... until true
local odds = {}
for k = 1, 10 do
  repeat
    if k % 2 == 0 then break end
    odds[#odds + 1] = k
  until true
end
print(table.concat(odds, ","))
-- break from repeat inside while
local w = 0
while w < 3 do
  w = w + 1
  repeat break until false
end
print("w", w)
print("done lang_loops")
