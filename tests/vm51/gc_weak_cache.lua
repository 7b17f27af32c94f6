-- a weak-valued memo cache that is emptied by a full collection
local function count(t) local n = 0 for _ in pairs(t) do n = n + 1 end return n end
local cache = setmetatable({}, { __mode = "v" })
local builds = 0
local function vec(x, y)
  local key = x .. "," .. y
  local v = cache[key]
  if v == nil then
    builds = builds + 1
    v = { x = x, y = y }
    cache[key] = v
  end
  return v
end
local held = {}
local function use()
  local all = {}
  for i = 1, 30 do
    local v = vec(i % 10, 0)
    all[i] = v
    if i <= 3 then held[i] = v end
  end
  return #all
end
use()
print("builds", builds)
collectgarbage()
collectgarbage()
print("left", count(cache))
use()
print("builds after gc", builds)
held = nil
collectgarbage()
print("left after drop", count(cache))
-- a weak-keyed side table attaching data to objects
local extra = setmetatable({}, { __mode = "k" })
local objs = {}
for i = 1, 10 do local o = {} objs[i] = o extra[o] = "extra " .. i end
for i = 1, 10, 2 do objs[i] = false end
collectgarbage()
local vals = {}
for _, v in pairs(extra) do vals[#vals + 1] = v end
table.sort(vals)
print(count(extra), table.concat(vals, ","))
print("done gc_weak_cache")
