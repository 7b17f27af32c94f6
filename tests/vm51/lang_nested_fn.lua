-- nested function definitions: local, global, method, in tables, returned and immediately called
local function outer(n)
  local function middle(m)
    local function inner(k)
      return n * 100 + m * 10 + k
    end
    return inner(m + 1)
  end
  return middle(n + 1)
end
print(outer(1), outer(5))
function global_outer()
  function global_inner() return "inner defined" end
  return "outer ran"
end
print(global_outer(), global_inner())
local t = {
  add = function(a, b) return a + b end,
  nested = { mul = function(a, b) return a * b end },
}
function t.nested.pow(a, b) return a ^ b end
print(t.add(2, 3), t.nested.mul(4, 5), t.nested.pow(2, 8))
print((function(x) return x * 2 end)(21))
print((function(...) return select("#", ...) end)(1, 2, 3))
local compose = function(f, g) return function(...) return f(g(...)) end end
local inc = function(x) return x + 1 end
local dbl = function(x) return x * 2 end
print(compose(inc, dbl)(5), compose(dbl, inc)(5), compose(compose(inc, inc), dbl)(1))
local function curry3(f) return function(a) return function(b) return function(c) return f(a, b, c) end end end end
print(curry3(function(a, b, c) return a .. b .. c end)("x")("y")("z"))
local function map(f, list) local r = {} for i, v in ipairs(list) do r[i] = f(v) end return r end
local function filter(p, list) local r = {} for _, v in ipairs(list) do if p(v) then r[#r + 1] = v end end return r end
local function reduce(f, init, list) local acc = init for _, v in ipairs(list) do acc = f(acc, v) end return acc end
local nums = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 }
print(table.concat(map(function(x) return x * x end, nums), ","))
print(table.concat(filter(function(x) return x % 3 == 0 end, nums), ","))
print(reduce(function(a, b) return a + b end, 0, nums), reduce(math.max, -math.huge, nums))
print("done lang_nested_fn")
