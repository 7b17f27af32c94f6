-- Lua 5.1 cannot yield across pcall, metamethods or iterators written in C
local co = coroutine.create(function()
  local ok, err = pcall(function() coroutine.yield("from inside pcall") end)
  coroutine.yield("pcall returned", ok, err)
  return "end"
end)
print(coroutine.resume(co))
print(coroutine.resume(co))
print(coroutine.resume(co))
-- yield inside a metamethod
local mt = { __index = function(t, k) return coroutine.yield(k) end }
co = coroutine.create(function()
  local t = setmetatable({}, mt)
  return t.somekey
end)
print(coroutine.resume(co))
-- yield inside table.sort's comparator
co = coroutine.create(function()
  table.sort({ 3, 2, 1 }, function(a, b) coroutine.yield() return a < b end)
end)
print(coroutine.resume(co))
-- yield inside gsub's callback
co = coroutine.create(function()
  return (("abc"):gsub(".", function(c) coroutine.yield(c) end))
end)
print(coroutine.resume(co))
-- yield from a Lua function called normally works at any depth
co = coroutine.create(function()
  local function deep(n) if n == 0 then coroutine.yield("deep") return "up" end return deep(n - 1) end
  return deep(20)
end)
print(coroutine.resume(co))
print(coroutine.resume(co))
-- a for-in iterator cannot yield in 5.1 even when written in Lua: TFORLOOP calls it like C
co = coroutine.create(function()
  local function iter(_, i) if i < 3 then coroutine.yield("iter " .. i) return i + 1 end end
  local n = 0
  for i in iter, nil, 0 do n = n + i end
  return n
end)
for i = 1, 4 do print(coroutine.resume(co)) end
print("done co_yield_pcall")
