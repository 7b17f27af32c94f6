-- coroutines resuming coroutines: a chain 12 deep, yields passing through levels
local function chain(depth)
  if depth == 0 then
    return coroutine.create(function(x)
      while true do x = coroutine.yield("leaf got " .. tostring(x)) end
    end)
  end
  local child = chain(depth - 1)
  return coroutine.create(function(x)
    while true do
      local ok, v = coroutine.resume(child, x)
      x = coroutine.yield(v .. "<" .. depth)
    end
  end)
end
local top = chain(12)
local ok, v = coroutine.resume(top, 1)
print(ok, #v, v:sub(1, 20))
ok, v = coroutine.resume(top, 2)
print(ok, v:sub(1, 12))
-- status of coroutines along the chain while the leaf runs
local statuses = {}
local a, b
a = coroutine.create(function()
  coroutine.resume(b)
  coroutine.yield()
end)
b = coroutine.create(function()
  statuses[#statuses + 1] = coroutine.status(a)
  statuses[#statuses + 1] = coroutine.status(b)
  coroutine.yield()
end)
coroutine.resume(a)
statuses[#statuses + 1] = coroutine.status(a)
statuses[#statuses + 1] = coroutine.status(b)
print(table.concat(statuses, " "))
-- an error deep in the chain surfaces as a failed resume at each level
local function failing(depth)
  if depth == 0 then return coroutine.create(function() error("deep failure", 0) end) end
  local child = failing(depth - 1)
  return coroutine.create(function()
    local ok2, msg = coroutine.resume(child)
    error(msg .. "/" .. depth, 0)
  end)
end
print(coroutine.resume(failing(5)))
-- wrap inside wrap
local outer = coroutine.wrap(function()
  local inner = coroutine.wrap(function() coroutine.yield(1) coroutine.yield(2) end)
  coroutine.yield(inner() + 10)
  coroutine.yield(inner() + 20)
end)
print(outer(), outer())
print("done co_nested")
