-- coroutine.wrap: iterator style, error propagation, dead wrappers
local gen = coroutine.wrap(function(n)
  for i = 1, n do coroutine.yield(i, i * i) end
  return "finished"
end)
print(gen(3))
print(gen())
print(gen())
print(gen())
print(pcall(gen))
local failing = coroutine.wrap(function() error("wrapped failure") end)
print(pcall(failing))
local failing2 = coroutine.wrap(function() error({ code = 5 }) end)
local ok, e = pcall(failing2)
print(ok, type(e), e.code)
local function range(n)
  return coroutine.wrap(function() for i = 1, n do coroutine.yield(i) end end)
end
local s = 0
for i in range(100) do s = s + i end
print("sum", s)
-- wrap passes resume arguments back in as yield results
local acc = coroutine.wrap(function(first)
  local total = first
  while true do
    local nxt = coroutine.yield(total)
    if nxt == nil then break end
    total = total + nxt
  end
  return "total " .. total
end)
print(acc(1), acc(2), acc(3), acc(nil))
print(pcall(coroutine.wrap, 1))
print("done co_wrap")
