-- nested tables: deep paths, auto-vivification, deep copy and deep compare
local function get(t, path)
  for key in path:gmatch("[^%.]+") do
    if type(t) ~= "table" then return nil end
    t = t[tonumber(key) or key]
  end
  return t
end
local function set(t, path, v)
  local keys = {}
  for key in path:gmatch("[^%.]+") do keys[#keys + 1] = tonumber(key) or key end
  for i = 1, #keys - 1 do
    local k = keys[i]
    if type(t[k]) ~= "table" then t[k] = {} end
    t = t[k]
  end
  t[keys[#keys]] = v
end
local cfg = {}
set(cfg, "net.wifi.ssid", "home")
set(cfg, "net.wifi.channel", 6)
set(cfg, "net.ports.1", 80)
set(cfg, "net.ports.2", 443)
set(cfg, "log.level", "debug")
print(get(cfg, "net.wifi.ssid"), get(cfg, "net.wifi.channel"), get(cfg, "net.ports.2"), get(cfg, "log.level.x"), get(cfg, "nope.x"))
local function deepcopy(v, seen)
  if type(v) ~= "table" then return v end
  seen = seen or {}
  if seen[v] then return seen[v] end
  local c = {}
  seen[v] = c
  for k, x in pairs(v) do c[deepcopy(k, seen)] = deepcopy(x, seen) end
  return setmetatable(c, getmetatable(v))
end
local function deepeq(a, b)
  if type(a) ~= type(b) then return false end
  if type(a) ~= "table" then return a == b end
  for k, v in pairs(a) do if not deepeq(v, b[k]) then return false end end
  for k in pairs(b) do if a[k] == nil then return false end end
  return true
end
local c = deepcopy(cfg)
print(deepeq(c, cfg), c ~= cfg, c.net ~= cfg.net)
c.net.wifi.channel = 11
print(deepeq(c, cfg), cfg.net.wifi.channel)
local cyc = { name = "cyc" }
cyc.self = cyc
local cc = deepcopy(cyc)
print(cc.self == cc, cc.self ~= cyc)
-- a 5-level nested constructor
local deep = { a = { b = { c = { d = { e = "bottom" } } } } }
print(deep.a.b.c.d.e, get(deep, "a.b.c.d.e"))
-- counting leaves
local function leaves(t) local n = 0 for _, v in pairs(t) do if type(v) == "table" then n = n + leaves(v) else n = n + 1 end end return n end
print(leaves(cfg), leaves(deep))
print("done tab_nested")
