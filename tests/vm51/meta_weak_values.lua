-- __mode = "v" and "kv": values and both
local function count(t) local n = 0 for _ in pairs(t) do n = n + 1 end return n end
local objs = setmetatable({}, { __mode = "v" })
local strong = {}
local function fill()
  for i = 1, 12 do
    local v = { i }
    objs[i] = v
    if i <= 3 then strong[i] = v end
  end
  objs.s = "strings stay"
  objs.n = 12345
  objs.f = print
end
fill()
collectgarbage()
print("weak values left", count(objs), objs[1] ~= nil, objs[12], objs.s, objs.n)
local both = setmetatable({}, { __mode = "kv" })
local k1, v1 = {}, {}
local function fill2()
  both[k1] = {}
  both[{}] = v1
  both[k1 and "str"] = v1
  both[{}] = {}
end
fill2()
collectgarbage()
print("kv left", count(both), both.str == v1)
-- a cache that refills on demand
local created = 0
local cache = setmetatable({}, { __mode = "v" })
local function get(n)
  local v = cache[n]
  if not v then created = created + 1 v = { n = n } cache[n] = v end
  return v
end
local hold = get(1)
get(2)
get(1)
collectgarbage()
get(1)
get(2)
print("created", created, hold.n)
-- closures as weak values
local fns = setmetatable({}, { __mode = "v" })
local function mk()
  local strong = {}
  for i = 1, 5 do strong[i] = function() return i end fns[i] = strong[i] end
  return strong[3]
end
local keepfn = mk()
collectgarbage()
print("closures left", count(fns), keepfn())
print("done meta_weak_values")
