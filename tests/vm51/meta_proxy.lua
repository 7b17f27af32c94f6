-- access-tracking proxies, default tables and read-only views
local function track(t)
  local log = {}
  local proxy = setmetatable({}, {
    __index = function(_, k) log[#log + 1] = "get " .. tostring(k) return t[k] end,
    __newindex = function(_, k, v) log[#log + 1] = "set " .. tostring(k) t[k] = v end,
  })
  return proxy, log
end
local data = { a = 1 }
local p, log = track(data)
local _ = p.a
p.b = 2
p.a = p.a + p.b
print(data.a, data.b, rawget(p, "a"), table.concat(log, "; "))
-- defaults shared by many tables through one metatable
local mt = { __index = function(t) return t.___default end }
local function withdefault(t, d) t.___default = d return setmetatable(t, mt) end
local t1 = withdefault({ x = 1 }, 0)
local t2 = withdefault({}, "none")
print(t1.x, t1.y, t2.anything)
-- read-only view that still iterates via a custom function
local function readonly(t)
  return setmetatable({}, {
    __index = t,
    __newindex = function() error("read-only", 2) end,
    __metatable = false,
  })
end
local ro = readonly({ 10, 20, 30 })
print(ro[2], #ro, pcall(function() ro[4] = 40 end))
print(getmetatable(ro), pcall(setmetatable, ro, nil))
-- counting proxy for a userdata-backed object
local counter = newproxy(true)
local m = getmetatable(counter)
local store, reads = {}, 0
m.__index = function(_, k) reads = reads + 1 return store[k] end
m.__newindex = function(_, k, v) store[k] = v end
m.__len = function() local n = 0 for _ in pairs(store) do n = n + 1 end return n end
counter.x = 1 counter.y = 2
print(counter.x + counter.y, #counter, reads)
print("done meta_proxy")
