-- values through resume/yield: varargs, nils, tables, functions, coroutines
local co = coroutine.create(function(...)
  local args = { n = select("#", ...), ... }
  local got = { coroutine.yield(args.n) }
  local t = coroutine.yield(#got, got[1], got[3])
  t.touched = true
  local fn = coroutine.yield(t)
  return fn(10)
end)
print(coroutine.resume(co, nil, nil, nil))
print(coroutine.resume(co, "a", nil, "c"))
local shared = { name = "shared" }
local ok, back = coroutine.resume(co, shared)
print(ok, back == shared, shared.touched)
print(coroutine.resume(co, function(x) return x * 3, "fn result" end))
-- coroutines passed to coroutines
local child = coroutine.create(function(x) while true do x = coroutine.yield(x + 1) end end)
local parent = coroutine.create(function(c)
  local results = {}
  local v = 0
  for i = 1, 5 do
    local _, r = coroutine.resume(c, v)
    results[i] = r
    v = r * 2
  end
  return table.concat(results, ",")
end)
print(coroutine.resume(parent, child))
print(coroutine.status(child))
-- many values through one yield
local many = coroutine.wrap(function()
  local t = {}
  for i = 1, 50 do t[i] = i end
  local r = { coroutine.yield(unpack(t)) }
  return #r
end)
print(select("#", many()))
local t2 = {}
for i = 1, 30 do t2[i] = i end
print(many(unpack(t2)))
print("done co_passing")
