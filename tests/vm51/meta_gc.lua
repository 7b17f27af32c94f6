-- __gc finalizers on userdata from newproxy(true): when and in which order
local order = {}
local function make(name)
  local u = newproxy(true)
  getmetatable(u).__gc = function() order[#order + 1] = name end
  return u
end
do
  local a = make("a")
  local b = make("b")
  local c = make("c")
  a, b, c = nil, nil, nil
end
collectgarbage()
collectgarbage()
print("finalized", table.concat(order, " "))
-- a kept object is not finalized until dropped
order = {}
keepme = make("kept")
local function churn() for i = 1, 5 do make("tmp" .. i) end end
churn()
collectgarbage()
table.sort(order)
print("tmp finalized", table.concat(order, " "))
order = {}
keepme = nil
collectgarbage()
print("then", table.concat(order, " "))
-- __gc on tables is ignored in 5.1
order = {}
local function tablegc() setmetatable({}, { __gc = function() order[#order + 1] = "table" end }) end
tablegc()
collectgarbage()
print("table gc", #order)
-- a finalizer can resurrect data into a global
local function rez()
  local u = newproxy(true)
  getmetatable(u).__gc = function(x) resurrected = x end
end
rez()
collectgarbage()
print("resurrected", type(resurrected))
resurrected = nil
collectgarbage()
-- errors in finalizers are propagated to the collector's caller in 5.1
local function badgc()
  local u = newproxy(true)
  getmetatable(u).__gc = function() error("gc error", 0) end
end
badgc()
print(pcall(collectgarbage))
print("done meta_gc")
