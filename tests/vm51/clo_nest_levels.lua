-- closures five levels deep, each capturing from all outer levels and writing back
local function l1(a)
  local x1 = a
  return function(b)
    local x2 = x1 + b
    return function(c)
      local x3 = x2 + c
      return function(d)
        local x4 = x3 + d
        return function(e)
          x1 = x1 + 1
          x2 = x2 + 10
          x3 = x3 + 100
          x4 = x4 + 1000
          return a, b, c, d, e, x1, x2, x3, x4
        end
      end
    end
  end
end
local f = l1(1)(2)(3)(4)
print(f(5))
print(f(6))
local g = l1(1)(2)(3)
local g1, g2 = g(0), g(0)
print(select(6, g1(0)))
print(select(6, g2(0)))
-- a closure factory in a loop, each closure capturing the loop var and an outer accumulator
local acc = 0
local makers = {}
for i = 1, 3 do
  makers[i] = function(j) return function() acc = acc + i * j return acc end end
end
print(makers[1](10)(), makers[2](10)(), makers[3](10)(), acc)
print("done clo_nest_levels")
