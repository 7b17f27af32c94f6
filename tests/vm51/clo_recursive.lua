-- recursive local functions, mutual recursion through upvalues, memoization
local function fact(n) if n <= 1 then return 1 end return n * fact(n - 1) end
print(fact(10), fact(20))
local isodd
local function iseven(n) if n == 0 then return true end return isodd(n - 1) end
function isodd(n) if n == 0 then return false end return iseven(n - 1) end
print(iseven(10), isodd(7), iseven(7))
local function memoize(f)
  local cache, hits = {}, 0
  return function(n)
    if cache[n] then hits = hits + 1 return cache[n] end
    local v = f(n)
    cache[n] = v
    return v
  end, function() return hits end
end
local fib, hits
fib, hits = memoize(function(n) if n < 2 then return n end return fib(n - 1) + fib(n - 2) end)
print(fib(80), hits())
-- Y-combinator style recursion without names
local function Y(f) return function(...) return f(Y(f), ...) end end
local yfact = Y(function(self, n) if n <= 1 then return 1 end return n * self(n - 1) end)
print(yfact(12))
-- a recursive closure that captures its own accumulator
local function collect(n)
  local acc = {}
  local function go(i) if i > n then return end acc[#acc + 1] = i * i go(i + 1) end
  go(1)
  return table.concat(acc, ",")
end
print(collect(8))
-- recursion depth of 150
local function depth(n) if n == 0 then return 0 end return 1 + depth(n - 1) end
print(depth(150))
print("done clo_recursive")
