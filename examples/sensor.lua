-- sensor.lua: filtering of readings (moving average or median over a ring
-- buffer), spike rejection, min/max and threshold alarms with hysteresis.
-- Integer arithmetic only (same results on float and integer firmware);
-- readings are tenths of a degree Celsius.
local M = {}
local floor, abs = math.floor, math.abs

-- integer division rounding toward zero, the same in both number builds
local function idiv(a, b)
  if (a < 0) ~= (b < 0) then return -floor(abs(a) / abs(b)) end
  return floor(abs(a) / abs(b))
end
M.idiv = idiv

-- a/b rounded half away from zero
local function rdiv(a, b) return idiv(2 * a + (a < 0 and -b or b), 2 * b) end
M.rdiv = rdiv

-- "-12.3" from -123
function M.format_tenths(v)
  if v == nil then return "-" end
  return (v < 0 and "-" or "") .. idiv(abs(v), 10) .. "." .. abs(v) % 10
end

local Filter = {}
Filter.__index = Filter

function M.new(o)
  o = o or {}
  return setmetatable({
    size = o.size or 5, mode = o.mode or "median", spike = o.spike or 0,
    high = o.high or 300, low = o.low or 50, hyst = o.hyst or 10,
    on_alarm = o.on_alarm, buf = {}, pos = 0, n = 0, sum = 0,
    count = 0, rejected = 0, state = "normal", events = {},
  }, Filter)
end

function Filter:mean()
  if self.n > 0 then return rdiv(self.sum, self.n) end
end

function Filter:median()
  local n = self.n
  if n == 0 then return nil end
  local t = {}
  for i = 1, n do t[i] = self.buf[i] end
  table.sort(t)
  if n % 2 == 1 then return t[(n + 1) / 2] end
  return rdiv(t[n / 2] + t[n / 2 + 1], 2)
end

-- alarm state machine: normal -> high/low and back, with hysteresis
function Filter:check(v)
  local s, new = self.state, self.state
  if s == "normal" then
    if v > self.high then new = "high" elseif v < self.low then new = "low" end
  elseif s == "high" and v < self.high - self.hyst then
    new = v < self.low and "low" or "normal"
  elseif s == "low" and v > self.low + self.hyst then
    new = v > self.high and "high" or "normal"
  end
  if new ~= s then
    self.state = new
    self.events[#self.events + 1] = { count = self.count, state = new, value = v }
    if self.on_alarm then self.on_alarm(new, v, s) end
  end
  return new
end

-- add one raw reading; returns the filtered value and the alarm state
function Filter:push(raw)
  if self.spike > 0 and self.n >= 3 and abs(raw - self:median()) > self.spike then
    self.rejected = self.rejected + 1
    return self.value, self.state
  end
  local pos = self.pos % self.size + 1
  local old = self.buf[pos]
  if old then self.sum = self.sum - old else self.n = self.n + 1 end
  self.buf[pos], self.pos = raw, pos
  self.sum = self.sum + raw
  self.count = self.count + 1
  if not self.min or raw < self.min then self.min = raw end
  if not self.max or raw > self.max then self.max = raw end
  local v = raw
  if self.mode == "mean" then v = self:mean()
  elseif self.mode == "median" then v = self:median() end
  self.value = v
  return v, self:check(v)
end

function Filter:stats()
  return {
    count = self.count, rejected = self.rejected, min = self.min, max = self.max,
    mean = self:mean(), median = self:median(), value = self.value, state = self.state,
  }
end

-- raw ADC (0..1023 over 0..3.3 V) of an LM35 (10 mV per degree) to tenths
function M.adc_to_tenths(raw) return idiv(raw * 3300, 1024) end

-- thin hardware check: nil on a host or when the adc module is missing
function M.read_adc()
  return adc and adc.read and M.adc_to_tenths(adc.read(0)) or nil
end

return M
