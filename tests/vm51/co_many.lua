-- many short-lived coroutines: creation, completion, collection
local total = 0
for i = 1, 300 do
  local co = coroutine.create(function(a) local b = coroutine.yield(a * 2) return a + b end)
  local _, x = coroutine.resume(co, i)
  local _, y = coroutine.resume(co, x)
  total = total + y
end
print("total", total)
collectgarbage()
local before = collectgarbage("count")
local live = {}
for i = 1, 15 do
  live[i] = coroutine.wrap(function() for j = 1, 3 do coroutine.yield(i * j) end end)
end
local s = 0
for round = 1, 3 do
  for i = 1, 15 do s = s + live[i]() end
end
print("sum", s)
live = nil
collectgarbage()
print("memory returned", collectgarbage("count") <= before + 1)
-- suspended coroutines that are dropped are collected
local weak = setmetatable({}, { __mode = "k" })
local function make()
  local co = coroutine.create(function() coroutine.yield() end)
  coroutine.resume(co)
  weak[co] = true
end
for i = 1, 10 do make() end
collectgarbage()
local n = 0
for _ in pairs(weak) do n = n + 1 end
print("suspended left", n)
print("done co_many")
