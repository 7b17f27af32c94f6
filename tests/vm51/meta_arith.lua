-- arithmetic metamethods: __add __sub __mul __div __mod __pow __unm, operand order
local log = {}
local M = {}
local function wrap(v) return setmetatable({ v = v }, M) end
local function val(x) if type(x) == "table" then return x.v end return x end
for _, op in ipairs({ "add", "sub", "mul", "div", "mod", "pow" }) do
  M["__" .. op] = function(a, b)
    log[#log + 1] = op .. "(" .. tostring(val(a)) .. "," .. tostring(val(b)) .. ")"
    local x, y = val(a), val(b)
    if op == "add" then return wrap(x + y) elseif op == "sub" then return wrap(x - y)
    elseif op == "mul" then return wrap(x * y) elseif op == "div" then return wrap(x / y)
    elseif op == "mod" then return wrap(x % y) else return wrap(x ^ y) end
  end
end
M.__unm = function(a) log[#log + 1] = "unm(" .. a.v .. ")" return wrap(-a.v) end
local a, b = wrap(7), wrap(2)
print((a + b).v, (a - b).v, (a * b).v, (a / b).v, (a % b).v, (a ^ b).v, (-a).v)
print((a + 1).v, (1 + a).v, (10 - a).v, (a * "3").v, ("2" ^ b).v)
print(table.concat(log, " "))
-- the left operand's metamethod wins; otherwise the right one's
local L = setmetatable({}, { __add = function() return "left" end })
local R = setmetatable({}, { __add = function() return "right" end })
print(L + R, R + L, L + 1, 1 + R)
-- numeric strings still use plain arithmetic
print("10" + 5, pcall(function() return "x" + L end))
-- __unm receives the operand twice in 5.1 (second is the same value)
local U = setmetatable({}, { __unm = function(x, y) return rawequal(x, y) end })
print(-U)
-- missing metamethods raise the usual errors
local plain = setmetatable({}, {})
gplain = plain
print(pcall(function() return gplain + 1 end))
print(pcall(function() return -gplain end))
-- results can be any value
local odd = setmetatable({}, { __add = function() return nil, "ignored" end, __mul = function() return false end })
print(odd + 1, odd * 2)
-- chained expressions
local chain = wrap(1) + wrap(2) + wrap(3) * wrap(4)
print(chain.v)
print("done meta_arith")
