-- __index as a table and as a function; rawget bypasses it
local defaults = { color = "red", size = 10 }
local t = setmetatable({ size = 1 }, { __index = defaults })
print(t.color, t.size, t.missing, rawget(t, "color"))
defaults.color = "blue"
print(t.color)
local calls = {}
local f = setmetatable({}, { __index = function(tbl, k)
  calls[#calls + 1] = tostring(k)
  if type(k) == "number" then return k * k end
  return nil
end })
print(f[4], f[5], f.name, f[0.5])
print(table.concat(calls, ","))
-- the function receives the original table
local self_check
local g = setmetatable({}, { __index = function(tbl, k) self_check = tbl return k end })
local _ = g.x
print(self_check == g)
-- __index is not consulted for existing keys, even false values
local h = setmetatable({ flag = false }, { __index = function() return "meta" end })
print(h.flag, h.other)
-- numbers and strings as __index values are indexed too
local s = setmetatable({}, { __index = "string value" })
print(pcall(function() return type(s.len), s.len == string.len end))
local idx_num = setmetatable({}, { __index = 5 })
print(pcall(function() return idx_num.x end))
-- __index on missing integer keys of an array
local arr = setmetatable({ 1, 2, 3 }, { __index = function(_, i) return "default" .. i end })
print(arr[2], arr[4], #arr)
-- memoizing __index
local fibs = setmetatable({ [0] = 0, [1] = 1 }, { __index = function(tbl, n)
  local v = tbl[n - 1] + tbl[n - 2]
  tbl[n] = v
  return v
end })
print(fibs[50], rawget(fibs, 49) ~= nil)
print("done meta_index")
