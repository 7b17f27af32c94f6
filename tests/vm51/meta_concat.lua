-- __concat: either operand, chains of concatenation, numbers
local S = {}
S.__concat = function(a, b)
  local x = type(a) == "table" and a.s or tostring(a)
  local y = type(b) == "table" and b.s or tostring(b)
  return setmetatable({ s = x .. y }, S)
end
local function str(s) return setmetatable({ s = s }, S) end
print((str("a") .. "b").s, ("a" .. str("b")).s, (str("a") .. str("b")).s)
print((1 .. str("x")).s, (str("x") .. 2).s)
print(("a" .. "b" .. str("c") .. "d" .. "e").s)
local plain = setmetatable({}, { __concat = function(a, b) return "joined" end })
print(plain .. "x", "x" .. plain, plain .. plain)
print(pcall(function() return {} .. "x" end))
print(pcall(function() return "x" .. nil end))
print(pcall(function() return "x" .. true end))
gt = {}
print(pcall(function() return "a" .. gt end))
print(pcall(function() return gt.field .. "a" end))
-- concatenation is right associative: the metamethod sees partial results
local order = {}
local T = {}
T.__concat = function(a, b)
  local x = type(a) == "table" and a.n or a
  local y = type(b) == "table" and b.n or b
  order[#order + 1] = x .. "+" .. y
  return setmetatable({ n = "(" .. x .. y .. ")" }, T)
end
local r = setmetatable({ n = "A" }, T) .. setmetatable({ n = "B" }, T) .. setmetatable({ n = "C" }, T)
print(r.n, table.concat(order, " "))
print("done meta_concat")
