-- closures: creating closures with upvalues and calling them
local function make_adder(n) return function(x) return x + n end end
local function make_counter()
  local c = 0
  return function() c = c + 1 return c end
end
local sum = 0
for round = 1, 1200000 do
  local add = make_adder(round % 10)
  local cnt = make_counter()
  cnt() cnt()
  sum = sum + add(cnt())
end
print("closures", sum)
