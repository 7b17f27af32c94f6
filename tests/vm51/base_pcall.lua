-- pcall: results, failures, nesting, non-function callees
print(pcall(function() return 1, 2, 3 end))
print(pcall(function() end))
print(select("#", pcall(function() end)))
print(pcall(function(...) return select("#", ...) end, nil, nil))
print(pcall(error))
print(pcall(error, "msg"))
print(pcall(error, "msg", 0))
print(pcall(error, nil))
print(pcall(nil))
print(pcall(42))
print(pcall({}))
print(pcall(pcall))
print(pcall(pcall, error, "inner"))
print(pcall(pcall, pcall, error, "deeper"))
local callable = setmetatable({}, { __call = function(self, a, b) return "called", a + b end })
print(pcall(callable, 2, 3))
-- errors unwind and leave state consistent
local depth = 0
local function dive(n)
  depth = depth + 1
  if n == 0 then error("bottom reached") end
  dive(n - 1)
end
print(pcall(dive, 20))
print("depth", depth)
-- pcall inside loops, keeping only successes
local good = {}
for i = 1, 10 do
  local ok, v = pcall(function()
    if i % 3 == 0 then error("skip " .. i) end
    return i * i
  end)
  if ok then good[#good + 1] = v end
end
print(table.concat(good, " "))
-- errors in nested pcall do not escape
local ok, msg = pcall(function()
  local ok2, msg2 = pcall(error, "inner error", 0)
  return "outer fine: " .. tostring(ok2) .. " " .. msg2
end)
print(ok, msg)
-- error objects survive as they are
local e = {}
local _, got = pcall(error, e)
print(got == e)
print("done base_pcall")
