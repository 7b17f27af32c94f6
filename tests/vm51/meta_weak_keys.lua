-- __mode = "k": entries whose keys are collected disappear
local function count(t) local n = 0 for _ in pairs(t) do n = n + 1 end return n end
local cache = setmetatable({}, { __mode = "k" })
local keep = {}
local function fill()
  for i = 1, 20 do
    local k = { id = i }
    cache[k] = i
    if i % 4 == 0 then keep[#keep + 1] = k end
  end
end
fill()
collectgarbage()
collectgarbage()
print("after", count(cache))
local ids = {}
for k, v in pairs(cache) do ids[#ids + 1] = v end
table.sort(ids)
print(table.concat(ids, ","))
-- strings and numbers are never collected as keys
local sk = setmetatable({}, { __mode = "k" })
sk["str"] = 1
sk[42] = 2
sk[true] = 3
collectgarbage()
print("values-keys", count(sk))
-- dropping the strong references collects the rest
keep = nil
collectgarbage()
print("dropped", count(cache))
-- weak keys with strong values that refer to the key (5.1: not ephemeron, entry stays)
local eph = setmetatable({}, { __mode = "k" })
local function selfref() local k = {} eph[k] = { back = k } end
selfref()
collectgarbage()
print("self-referencing value", count(eph))
print("done meta_weak_keys")
