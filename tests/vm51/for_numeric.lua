-- numeric for: steps, float steps, negative steps, empty ranges, bounds evaluated once
local function collect(a, b, c)
  local t = {}
  if c then for i = a, b, c do t[#t + 1] = i end else for i = a, b do t[#t + 1] = i end end
  return #t .. ":" .. table.concat(t, ",")
end
print(collect(1, 5))
print(collect(5, 1))
print(collect(5, 1, -1))
print(collect(1, 10, 3))
print(collect(10, 1, -4))
print(collect(0, 1, 0.25))
print(collect(1, 0, 0.5))
print(collect(0.1, 0.5, 0.1))
print(collect(1, 1))
print(collect(-3, 3, 2))
print(collect(1, 2, 10))
print(collect(1.5, 4))
print(collect(3, 1.5, -0.5))
print(collect(2 ^ 52 - 2, 2 ^ 52))
-- bounds and step are evaluated once
local calls = 0
local function lim() calls = calls + 1 return 3 end
for i = 1, lim() do end
print("limit evaluated", calls)
-- changing the loop variable does not affect iteration
local seen = {}
for i = 1, 3 do seen[#seen + 1] = i; i = i * 10; seen[#seen + 1] = i end
print(table.concat(seen, " "))
-- the loop variable is local to the loop
local i = "outer"
for i = 1, 2 do end
print(i)
-- large counts
local s = 0
for n = 1, 10000 do s = s + n end
print(s)
local c = 0
for n = 10000, 1, -7 do c = c + 1 end
print(c)
-- huge ranges with a big step finish quickly
c = 0
for n = 1, 1e15, 1e14 do c = c + 1 end
print(c)
-- infinite bounds with break
c = 0
for n = 1, math.huge do c = c + 1 if c == 5 then break end end
print(c)
-- a zero step runs while limit <= init (forever: guarded with a counter)
c = 0
for n = 1, 2, 0 do c = c + 1 if c > 4 then break end end
print("zero step up", c)
c = 0
for n = 2, 1, 0 do c = c + 1 if c > 4 then break end end
print("zero step down", c)
print("done for_numeric")
