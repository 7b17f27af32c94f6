-- bench/gen-project.lua: generate a deterministic NodeMCU-style Lua 5.1
-- project for compile benchmarks.
--   lua5.1 bench/gen-project.lua OUTDIR [MODULES [TOTAL_KB]]
-- writes MODULES (default 45) files OUTDIR/NN_name.lua totalling about
-- TOTAL_KB (default 250) KiB of source, then prints one line per file
-- ("bytes name"). The code is built from templates of realistic shapes:
-- classes with methods, message tables, closures, checksums and numeric
-- loops, state machines, parsers, nested configuration tables and event
-- dispatchers. Every function keeps well under NodeMCU's 50 active locals
-- (top-level helpers live in do ... end blocks), only base/string/table/math
-- functions of NodeMCU 5.1 are used, and each module returns its table.
local outdir = arg[1]
local nmod = tonumber(arg[2] or 45)
local total_kb = tonumber(arg[3] or 250)
if not outdir or not nmod or not total_kb then
  io.stderr:write("usage: lua5.1 gen-project.lua OUTDIR [MODULES [TOTAL_KB]]\n")
  os.exit(2)
end

-- deterministic 31-bit LCG (exact in doubles)
local seed = 20240601
local function rnd(n)
  seed = (seed * 16807) % 2147483647
  return seed % n + 1
end
local function pick(t) return t[rnd(#t)] end

local nouns = { "sensor", "relay", "valve", "pump", "fan", "door", "light", "meter",
  "buffer", "packet", "frame", "queue", "timer", "channel", "socket", "record",
  "sample", "window", "report", "alarm", "motor", "switch", "gauge", "display",
  "battery", "zone", "schedule", "profile", "device", "link" }
local verbs = { "read", "write", "parse", "format", "check", "update", "reset",
  "encode", "decode", "flush", "merge", "split", "scale", "filter", "store", "load" }
local adjs = { "primary", "backup", "remote", "local", "fast", "slow", "stale",
  "pending", "active", "idle", "faulty", "calibrated", "external", "internal" }
local phrases = { "is not responding", "reported an invalid value", "was reset by the watchdog",
  "exceeded its limit", "completed successfully", "is waiting for data",
  "lost its connection", "needs calibration", "was disabled by configuration",
  "returned a checksum error", "has been idle for too long", "is out of range" }

local function cap(s) return s:sub(1, 1):upper() .. s:sub(2) end
local function ident() return pick(adjs) .. "_" .. pick(nouns) end

local templates = {}

-- a class with a constructor and methods
templates[#templates + 1] = function(u)
  local cls, noun = cap(pick(nouns)) .. u, pick(nouns)
  return ([[
-- %CLS: keeps a bounded list of %NOUN entries with hit counters
do
  local %CLS = {}
  %CLS.__index = %CLS
  function M.new_%CLS(name, limit)
    return setmetatable({ name = name or "%NOUN", limit = limit or %LIM, items = {},
                          order = {}, hits = 0, misses = 0 }, %CLS)
  end
  function %CLS:put(key, value)
    if self.items[key] == nil then
      self.order[#self.order + 1] = key
      if #self.order > self.limit then
        local old = table.remove(self.order, 1)
        self.items[old] = nil
      end
    end
    self.items[key] = value
    return self
  end
  function %CLS:get(key, default)
    local v = self.items[key]
    if v == nil then self.misses = self.misses + 1 return default end
    self.hits = self.hits + 1
    return v
  end
  function %CLS:summary()
    return string.format("%s: %d/%d entries, %d hits, %d misses", self.name,
                         #self.order, self.limit, self.hits, self.misses)
  end
end
]]):gsub("%%CLS", cls):gsub("%%NOUN", noun):gsub("%%LIM", tostring(rnd(60) + 4))
end

-- a message table and lookups
templates[#templates + 1] = function(u)
  local lines = {}
  for i = 1, 8 + rnd(10) do
    lines[i] = string.format('    %s_%d = "the %s %s %s",', pick(verbs), i, pick(adjs),
                             pick(nouns), pick(phrases))
  end
  return ([[
do
  local messages = {
%LINES
  }
  function M.describe%U(code, detail)
    local text = messages[code]
    if not text then return "unknown condition " .. tostring(code) end
    if detail then text = text .. " (" .. tostring(detail) .. ")" end
    return text
  end
  function M.codes%U()
    local list = {}
    for k in pairs(messages) do list[#list + 1] = k end
    table.sort(list)
    return list
  end
end
]]):gsub("%%LINES", table.concat(lines, "\n")):gsub("%%U", u)
end

-- closures: counters, memoisation, accumulators
templates[#templates + 1] = function(u)
  local n = pick(nouns)
  return ([[
function M.counter_%N%U(step, limit)
  local count, total = 0, 0
  return function(delta)
    count = count + 1
    total = total + (delta or step or 1)
    if limit and total > limit then total = limit end
    return total, count
  end
end

function M.memo_%N%U(fn)
  local cache, calls = {}, 0
  return function(x)
    local v = cache[x]
    if v == nil then
      calls = calls + 1
      v = fn(x)
      cache[x] = v
    end
    return v
  end, function() return calls end
end

function M.pipeline_%N%U(...)
  local stages = { ... }
  return function(value)
    for i = 1, #stages do
      value = stages[i](value)
      if value == nil then return nil, "stage " .. i .. " rejected the %N" end
    end
    return value
  end
end
]]):gsub("%%N", n):gsub("%%U", u)
end

-- numeric work: checksums, fixed-point scaling, statistics
templates[#templates + 1] = function(u)
  local m = 1000 + rnd(64000)
  return ([[
function M.checksum%U(s)
  local a, b = 1, 0
  for i = 1, #s do
    a = (a + s:byte(i)) %% %MOD
    b = (b + a) %% %MOD
  end
  return b * 65536 + a
end

function M.scale%U(values, num, den)
  local out, sum = {}, 0
  for i = 1, #values do
    local v = math.floor((values[i] * num + math.floor(den / 2)) / den)
    out[i] = v
    sum = sum + v
  end
  return out, sum
end

function M.stats%U(values)
  local n, lo, hi, sum = #values, math.huge, -math.huge, 0
  for i = 1, n do
    local v = values[i]
    if v < lo then lo = v end
    if v > hi then hi = v end
    sum = sum + v
  end
  if n == 0 then return nil end
  local mean = sum / n
  local var = 0
  for i = 1, n do var = var + (values[i] - mean) ^ 2 end
  return { n = n, min = lo, max = hi, mean = mean, sd = math.sqrt(var / n) }
end
]]):gsub("%%MOD", tostring(m)):gsub("%%U", u):gsub("%%%%", "%%")
end

-- a table-driven state machine
templates[#templates + 1] = function(u)
  local states = { "idle", "starting", "running", "stopping", "failed", "paused" }
  local rows = {}
  for i, s in ipairs(states) do
    rows[i] = string.format('    %s = { go = "%s", stop = "%s", fault = "failed", tick = "%s" },',
                            s, states[i % #states + 1], pick(states), pick(states))
  end
  return ([[
do
  local transitions = {
%ROWS
  }
  function M.machine%U(initial, on_change)
    local state, history = initial or "idle", {}
    local self = {}
    function self.fire(event)
      local row = transitions[state]
      local nxt = row and row[event]
      if not nxt then return false, "no transition from " .. state .. " on " .. event end
      history[#history + 1] = state .. ">" .. nxt
      if on_change then on_change(state, nxt, event) end
      state = nxt
      return true, state
    end
    function self.state() return state end
    function self.history() return table.concat(history, ",") end
    return self
  end
end
]]):gsub("%%ROWS", table.concat(rows, "\n")):gsub("%%U", u)
end

-- string parsing
templates[#templates + 1] = function(u)
  local sep = pick({ ",", ";", "|", ":" })
  return ([[
function M.split%U(line, sep)
  local out = {}
  sep = sep or "%SEP"
  for field in (line .. sep):gmatch("(.-)" .. sep:gsub("%p", "%%%0")) do
    out[#out + 1] = field:match("^%s*(.-)%s*$")
  end
  return out
end

function M.parse_pairs%U(text)
  local t, bad = {}, {}
  for line in text:gmatch("[^\n]+") do
    local k, v = line:match("^%s*([%w_%.]+)%s*=%s*(.-)%s*$")
    if k then
      t[k] = tonumber(v) or (v == "true" and true) or (v == "false" and false) or v
    elseif not line:match("^%s*#") then
      bad[#bad + 1] = line
    end
  end
  return t, bad
end

function M.render%U(t)
  local keys = {}
  for k in pairs(t) do keys[#keys + 1] = tostring(k) end
  table.sort(keys)
  for i, k in ipairs(keys) do keys[i] = k .. "=" .. tostring(t[k]) end
  return table.concat(keys, "%SEP")
end
]]):gsub("%%SEP", sep):gsub("%%U", u)
end

-- nested configuration data
templates[#templates + 1] = function(u)
  local items = {}
  for i = 1, 4 + rnd(6) do
    items[i] = string.format('    { id = %d, name = "%s", enabled = %s, pin = %d, period = %d,\n' ..
                             '      limits = { low = %d, high = %d }, tags = { "%s", "%s" } },',
                             i, ident(), tostring(rnd(2) == 1), rnd(12), 100 * rnd(50),
                             rnd(100), 100 + rnd(900), pick(adjs), pick(nouns))
  end
  return ([[
M.defaults%U = {
  version = %VER, retries = %RET, label = "%LABEL",
  items = {
%ITEMS
  },
}

function M.find%U(name)
  for _, item in ipairs(M.defaults%U.items) do
    if item.name == name then return item end
  end
  return nil
end
]]):gsub("%%ITEMS", table.concat(items, "\n")):gsub("%%U", u)
     :gsub("%%VER", tostring(rnd(9))):gsub("%%RET", tostring(rnd(5)))
     :gsub("%%LABEL", ident())
end

-- event dispatch with error isolation
templates[#templates + 1] = function(u)
  local ev = pick(nouns)
  return ([[
do
  local handlers, errors = {}, {}
  function M.on_%EV%U(name, fn)
    local list = handlers[name] or {}
    list[#list + 1] = fn
    handlers[name] = list
    return #list
  end
  function M.emit_%EV%U(name, ...)
    local list, ok_count = handlers[name], 0
    if not list then return 0 end
    for i = 1, #list do
      local ok, err = pcall(list[i], ...)
      if ok then ok_count = ok_count + 1 else errors[#errors + 1] = name .. ": " .. tostring(err) end
    end
    return ok_count
  end
  function M.errors_%EV%U(clear)
    local e = errors
    if clear then errors = {} end
    return e
  end
end
]]):gsub("%%EV", ev):gsub("%%U", u)
end

local function module_text(index, name, target)
  local parts = {
    string.format("-- %s.lua: generated module %d of the benchmark project\n", name, index),
    "local M = {}\n",
    string.format('M.NAME, M.VERSION = "%s", %d\n\n', name, rnd(20)),
  }
  local size, k = 0, 0
  for _, p in ipairs(parts) do size = size + #p end
  while true do -- add templates while that brings the size closer to target
    k = k + 1
    local text = templates[rnd(#templates)]("_" .. k)
    if size + #text + 1 - target > target - size then break end
    parts[#parts + 1] = text .. "\n"
    size = size + #text + 1
  end
  parts[#parts + 1] = "return M\n"
  return table.concat(parts)
end

local target = math.floor(total_kb * 1024 / nmod)
local sum = 0
for i = 1, nmod do
  local name = string.format("m%02d_%s", i, pick(nouns))
  local text = module_text(i, name, target - 10)
  local f = assert(io.open(outdir .. "/" .. name .. ".lua", "wb"))
  f:write(text)
  f:close()
  sum = sum + #text
  print(#text .. " " .. name .. ".lua")
end
io.stderr:write(string.format("gen-project: %d modules, %d bytes\n", nmod, sum))
