-- math.random and math.randomseed: ranges and errors only (the
-- generator differs from libc's rand, so no values are printed)
math.randomseed(42)
local ok = true
for i = 1, 200 do
  local x = math.random()
  ok = ok and x >= 0 and x < 1
end
print("random()", ok)
ok = true
local seen = {}
for i = 1, 500 do
  local x = math.random(6)
  ok = ok and x >= 1 and x <= 6 and x == math.floor(x)
  seen[x] = true
end
print("random(6)", ok, #seen)
ok = true
seen = {}
for i = 1, 500 do
  local x = math.random(-3, 3)
  ok = ok and x >= -3 and x <= 3 and x == math.floor(x)
  seen[x + 4] = true
end
print("random(-3,3)", ok, #seen)
print(math.random(1, 1), math.random(5, 5), math.random(1), math.random(-7, -7))
ok = true
for i = 1, 100 do
  local x = math.random(0, 2^31 - 1)
  ok = ok and x >= 0 and x <= 2^31 - 1
end
print("wide", ok)
math.randomseed(7)
local a = { math.random(1000), math.random(1000), math.random(1000) }
math.randomseed(7)
local b = { math.random(1000), math.random(1000), math.random(1000) }
print("reseed repeats", a[1] == b[1] and a[2] == b[2] and a[3] == b[3])
print(math.random(2.9) <= 2, math.random("3") <= 3, select("#", math.randomseed(1)))
print(pcall(math.random, 0))
print(pcall(math.random, -5))
print(pcall(math.random, 2, 1))
print(pcall(math.random, 0, -1))
print(pcall(math.random, 1, 2, 3))
print(pcall(math.random, "x"))
print(pcall(math.random, 1, "y"))
print(pcall(math.random, nil, 1))
print(pcall(math.randomseed))
print(pcall(math.randomseed, "z"))
print("done lib_math_random")
