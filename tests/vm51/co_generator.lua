-- generators: permutations, fibonacci, tree walks, filters and chaining
local function permgen(a, n)
  n = n or #a
  if n <= 1 then coroutine.yield(a)
  else
    for i = 1, n do
      a[n], a[i] = a[i], a[n]
      permgen(a, n - 1)
      a[n], a[i] = a[i], a[n]
    end
  end
end
local function permutations(a)
  return coroutine.wrap(function() permgen(a) end)
end
local out = {}
for p in permutations({ "a", "b", "c" }) do out[#out + 1] = table.concat(p) end
print(#out, table.concat(out, " "))
local function fib()
  return coroutine.wrap(function()
    local a, b = 0, 1
    while true do coroutine.yield(a) a, b = b, a + b end
  end)
end
local f = fib()
local fs = {}
for i = 1, 15 do fs[i] = f() end
print(table.concat(fs, ","))
local tree = { v = 5, l = { v = 3, l = { v = 1 }, r = { v = 4 } }, r = { v = 8, l = { v = 7 }, r = { v = 9 } } }
local function walk(t)
  if t then walk(t.l) coroutine.yield(t.v) walk(t.r) end
end
local vals = {}
for v in coroutine.wrap(function() walk(tree) end) do vals[#vals + 1] = v end
print(table.concat(vals, " "))
local function filter(pred, g)
  return coroutine.wrap(function()
    for v in g do if pred(v) then coroutine.yield(v) end end
  end)
end
local function take(n, g)
  return coroutine.wrap(function()
    for i = 1, n do local v = g() if v == nil then return end coroutine.yield(v) end
  end)
end
local evens = {}
for v in take(6, filter(function(x) return x % 2 == 0 end, fib())) do evens[#evens + 1] = v end
print(table.concat(evens, " "))
-- a sieve of generators
local function count_from(n) return coroutine.wrap(function() while true do coroutine.yield(n) n = n + 1 end end) end
local function sieve()
  return coroutine.wrap(function()
    local g = count_from(2)
    while true do
      local p = g()
      coroutine.yield(p)
      g = filter(function(x) return x % p ~= 0 end, g)
    end
  end)
end
local primes = {}
local sg = sieve()
for i = 1, 15 do primes[i] = sg() end
print(table.concat(primes, " "))
print("done co_generator")
