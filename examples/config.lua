-- config.lua: key=value settings with defaults and validation.
-- Text format: one `key = value` per line; `#` starts a comment.
-- Temperatures are integers in tenths of a degree Celsius.
local M = {}

-- name, type, default, extra checks
M.schema = {
  { name = "name",       type = "string", default = "node-1", pattern = "^[%w_%-]+$", max = 24 },
  { name = "ssid",       type = "string", default = "",       max = 32 },
  { name = "password",   type = "string", default = "",       max = 64 },
  { name = "sample_ms",  type = "int",    default = 1000, min = 100,  max = 60000 },
  { name = "report_every", type = "int",  default = 5,    min = 1,    max = 1000 },
  { name = "window",     type = "int",    default = 5,    min = 1,    max = 32 },
  { name = "filter",     type = "enum",   default = "median", choices = { "none", "mean", "median" } },
  { name = "spike",      type = "int",    default = 0,    min = 0,    max = 1000 },
  { name = "alarm_high", type = "int",    default = 300,  min = -400, max = 1250 },
  { name = "alarm_low",  type = "int",    default = 50,   min = -400, max = 1250 },
  { name = "hysteresis", type = "int",    default = 10,   min = 0,    max = 100 },
  { name = "http_port",  type = "int",    default = 80,   min = 1,    max = 65535 },
  { name = "report",     type = "bool",   default = true },
}

local by_name = {}
for _, f in ipairs(M.schema) do by_name[f.name] = f end

local function trim(s) return (s:gsub("^%s+", ""):gsub("%s+$", "")) end

local bools = { ["true"] = true, yes = true, on = true, ["1"] = true,
                ["false"] = false, no = false, off = false, ["0"] = false }

-- convert the text v for field f; returns value or nil, message
local function convert(f, v)
  if f.type == "string" then
    if f.max and #v > f.max then return nil, "longer than " .. f.max end
    if f.pattern and not v:find(f.pattern) then return nil, "invalid characters" end
    return v
  elseif f.type == "int" then
    local n = v:find("^%-?%d+$") and tonumber(v)
    if not n then return nil, "not an integer" end
    if n < f.min or n > f.max then return nil, "out of range " .. f.min .. ".." .. f.max end
    return n
  elseif f.type == "bool" then
    local b = bools[v:lower()]
    if b == nil then return nil, "not a boolean" end
    return b
  elseif f.type == "enum" then
    for _, c in ipairs(f.choices) do if c == v then return v end end
    return nil, "must be one of " .. table.concat(f.choices, "|")
  end
  return nil, "bad schema type " .. tostring(f.type)
end

function M.defaults()
  local cfg = {}
  for _, f in ipairs(M.schema) do cfg[f.name] = f.default end
  return cfg
end

-- set one key from text; returns true or nil, message
function M.set(cfg, key, text)
  local f = by_name[key]
  if not f then return nil, "unknown key '" .. tostring(key) .. "'" end
  local v, err = convert(f, trim(tostring(text)))
  if v == nil then return nil, key .. ": " .. err end
  cfg[key] = v
  return true
end

-- cross-field checks; fixes the config and returns a list of messages
function M.check(cfg)
  local errs = {}
  if cfg.alarm_low >= cfg.alarm_high then
    errs[#errs + 1] = "alarm_low must be below alarm_high; using defaults"
    cfg.alarm_low, cfg.alarm_high = by_name.alarm_low.default, by_name.alarm_high.default
  end
  if cfg.hysteresis * 2 > cfg.alarm_high - cfg.alarm_low then
    errs[#errs + 1] = "hysteresis too large for the alarm band"
    cfg.hysteresis = 0
  end
  return errs
end

-- parse the whole text; returns cfg (defaults applied) and a list of errors
function M.parse(text)
  local cfg, errs, lineno = M.defaults(), {}, 0
  for line in (text .. "\n"):gmatch("([^\n]*)\n") do
    lineno = lineno + 1
    line = trim((line:gsub("#.*$", "")))
    if line ~= "" then
      local k, v = line:match("^([%w_]+)%s*=%s*(.*)$")
      local ok, err = false, "expected key = value"
      if k then ok, err = M.set(cfg, k, v) end
      if not ok then errs[#errs + 1] = "line " .. lineno .. ": " .. err end
    end
  end
  for _, e in ipairs(M.check(cfg)) do errs[#errs + 1] = e end
  return cfg, errs
end

-- read a config file from SPIFFS when the firmware's `file` module exists
function M.read_file(name)
  return file and file.getcontents and file.getcontents(name) or nil
end

function M.load(name)
  return M.parse(M.read_file(name or "config.txt") or "")
end

return M
