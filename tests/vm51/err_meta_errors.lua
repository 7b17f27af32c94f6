-- errors raised inside metamethods and library callbacks
local function try(f) print(pcall(f)) end
local E = {
  __index = function(t, k) error("no field " .. k, 0) end,
  __newindex = function(t, k) error("cannot set " .. k) end,
  __add = function() error({ kind = "add" }) end,
  __call = function(self, x) return x.y end,
  __concat = function() return undefined_fn() end,
  __eq = function() error("eq failed", 0) end,
  __lt = function() error("lt failed", 0) end,
  __unm = function() error("unm failed", 0) end,
  __tostring = function() error("tostring failed", 0) end,
}
local o = setmetatable({}, E)
local o2 = setmetatable({}, E)
try(function() return o.x end)
try(function() o.y = 1 end)
local ok, e = pcall(function() return o + 1 end)
print(ok, type(e), e.kind)
try(function() return o({}) end)
try(function() return o .. "x" end)
try(function() return o == o2 end)
try(function() return o < o2 end)
try(function() return -o end)
try(function() return tostring(o) end)
try(function() return table.sort({ 3, 2, 1 }, function() error("cmp", 0) end) end)
try(function() return ("abc"):gsub(".", function() error("cb", 0) end) end)
try(function() return load(function() error("reader", 0) end) end)
print("done err_meta_errors")
