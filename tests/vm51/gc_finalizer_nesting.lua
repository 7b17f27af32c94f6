-- Many pending finalizers whose __gc allocates (every allocation is a
-- point where the collector may run finalizers) or calls collectgarbage()
-- itself: each runs once, and the collection they start returns.
count = 0

local function make(n, gc)
  local t = {}
  for i = 1, n do
    local u = newproxy(true)
    getmetatable(u).__gc = gc
    t[i] = u
  end
  return t
end

local held = make(200, function()
  count = count + 1
  local s = {}
  s = tostring(count) .. "x"
end)
held = nil
print(pcall(collectgarbage))
print("allocating", count)

count = 0
held = make(150, function()
  count = count + 1
  collectgarbage()
end)
held = nil
print(pcall(collectgarbage))
print("collecting", count)
collectgarbage()
print("again", count)
print("done gc_finalizer_nesting")
