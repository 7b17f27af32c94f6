-- reference cycles are collected (no reference counting)
local weak = setmetatable({}, { __mode = "k" })
local function cycle()
  local a, b = {}, {}
  a.other, b.other = b, a
  weak[a] = "a"
  weak[b] = "b"
  local self = {}
  self.self = self
  weak[self] = "self"
  local f
  f = function() return f end
  weak[f] = "fn"
end
cycle()
collectgarbage()
local n = 0
for _ in pairs(weak) do n = n + 1 end
print("left after cycles", n)
-- a cycle through a metatable
local function metacycle()
  local t = {}
  local mt = { __index = t }
  setmetatable(t, mt)
  weak[t] = "meta"
end
metacycle()
collectgarbage()
n = 0
for _ in pairs(weak) do n = n + 1 end
print("left after metacycle", n)
-- a cycle through a closure upvalue and a coroutine
local function cocycle()
  local co
  co = coroutine.create(function() return co end)
  weak[co] = "co"
end
cocycle()
collectgarbage()
n = 0
for _ in pairs(weak) do n = n + 1 end
print("left after coroutine cycle", n)
print("done gc_cycles")
