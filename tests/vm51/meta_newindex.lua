-- __newindex as a function and a table; existing keys bypass it
local log = {}
local t = setmetatable({ existing = 1 }, { __newindex = function(tbl, k, v)
  log[#log + 1] = k .. "=" .. tostring(v)
  rawset(tbl, k, v)
end })
t.a = 1
t.a = 2
t.existing = 3
t.b = nil
print(table.concat(log, " "), t.a, t.existing)
-- __newindex table: writes go to the other table
local store = {}
local proxy = setmetatable({}, { __newindex = store })
proxy.x = 10
print(rawget(proxy, "x"), store.x)
-- read-only tables
local function readonly(src)
  return setmetatable({}, {
    __index = src,
    __newindex = function(_, k) error("attempt to update a read-only table: " .. k, 2) end,
  })
end
local days = readonly({ "Mon", "Tue" })
print(days[1], pcall(function() days[3] = "Wed" end))
-- chained __newindex tables
local final = {}
local mid = setmetatable({}, { __newindex = final })
local front = setmetatable({}, { __newindex = mid })
front.k = "v"
print(rawget(front, "k"), rawget(mid, "k"), final.k)
-- __newindex on a table whose __newindex target has its own __newindex function
local seen
local target = setmetatable({}, { __newindex = function(_, k, v) seen = k .. ":" .. v end })
local src = setmetatable({}, { __newindex = target })
src.key = "val"
print(seen)
-- default values with tracking of assignment counts
local counts = {}
local tracked = setmetatable({}, { __newindex = function(tbl, k, v)
  counts[k] = (counts[k] or 0) + 1
  rawset(tbl, k, v)
end })
for i = 1, 3 do tracked["k" .. i] = i end
tracked.k1 = 10
print(counts.k1, counts.k2, tracked.k1)
-- non-table, non-function __newindex values fail
local bad = setmetatable({}, { __newindex = 42 })
print(pcall(function() bad.x = 1 end))
print("done meta_newindex")
