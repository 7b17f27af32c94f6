-- app.lua: the application. Samples a temperature sensor on a schedule, filters
-- it, raises alarms, reports JSON and answers HTTP requests. On a host it runs
-- on a virtual clock; on the device M.start() wires it to tmr, net, wifi, gpio.
local config = require "config"
local json = require "json"
local sensor = require "sensor"
local sched = require "sched"
local httpd = require "httpd_parse"

local M = {}
local App = {}
App.__index = App
M.LED_PIN = 4

function M.new(o)
  o = o or {}
  local app = setmetatable({ log_fn = o.log or print, read = o.read or sensor.read_adc,
                             samples = 0, reports = 0, alarms = 0, requests = 0 }, App)
  app.sched = sched.new(function(msg) app:log("%s", msg) end)
  app.cfg, app.cfg_errors = config.parse(o.config_text or "")
  for _, e in ipairs(app.cfg_errors) do app:log("config: %s", e) end
  app:configure()
  return app
end

function App:log(fmt, ...)
  self.log_fn(string.format("[%6d] ", self.sched.now) .. string.format(fmt, ...))
end

-- (re)build the filter from the configuration
function App:configure()
  local c = self.cfg
  self.filter = sensor.new {
    size = c.window, mode = c.filter, spike = c.spike,
    high = c.alarm_high, low = c.alarm_low, hyst = c.hysteresis,
    on_alarm = function(state, v, old) self:alarm(state, v, old) end,
  }
end

function App:alarm(state, v, old)
  self.alarms = self.alarms + 1
  self:log("alarm %s -> %s at %s C", old, state, sensor.format_tenths(v))
  self.sched:signal("alarm", state)
end

function App:status()
  local f = self.filter
  local heap = node and node.heap and node.heap() or nil
  return {
    name = self.cfg.name, uptime_ms = self.sched.now, samples = self.samples,
    value = sensor.format_tenths(f.value), state = f.state,
    min = sensor.format_tenths(f.min), max = sensor.format_tenths(f.max),
    rejected = f.rejected, alarms = self.alarms, reports = self.reports, heap = heap,
  }
end

function App:sampler()
  while true do
    local raw = self.read()
    if raw then
      self.filter:push(raw)
      self.samples = self.samples + 1
      if self.samples % self.cfg.report_every == 0 then self.sched:signal("report") end
    end
    sched.sleep(self.cfg.sample_ms)
  end
end

function App:reporter()
  while true do
    sched.wait("report")
    self.reports = self.reports + 1
    if self.cfg.report then self:log("report %s", json.encode(self:status())) end
  end
end

function App:watcher()
  while true do
    local state = sched.wait("alarm")
    local led = gpio and (state == "normal" and gpio.HIGH or gpio.LOW)
    if led then gpio.write(M.LED_PIN, led) end
  end
end

function App:start()
  self.sched:spawn("sampler", function() self:sampler() end)
  self.sched:spawn("reporter", function() self:reporter() end)
  self.sched:spawn("watcher", function() self:watcher() end)
  self:log("started %s: %d ms, window %d, filter %s", self.cfg.name,
           self.cfg.sample_ms, self.cfg.window, self.cfg.filter)
end

local routes, JSON = {}, "application/json"

routes["GET /status"] = function(self)
  return 200, json.encode(self:status()), JSON
end

routes["GET /config"] = function(self)
  local t = {}
  for k, v in pairs(self.cfg) do t[k] = v end
  if t.password ~= "" then t.password = "***" end
  return 200, json.encode(t), JSON
end

-- form body "key=value&key=value"; applied only if every key is valid
routes["POST /config"] = function(self, req)
  local new, errs, n = {}, {}, 0
  for k, v in pairs(self.cfg) do new[k] = v end
  local form = httpd.parse_query(req.body)
  local keys = {}
  for k in pairs(form) do keys[#keys + 1] = k end
  table.sort(keys)
  for _, k in ipairs(keys) do
    local ok, err = config.set(new, k, form[k])
    if ok then n = n + 1 else errs[#errs + 1] = err end
  end
  for _, e in ipairs(config.check(new)) do errs[#errs + 1] = e end
  if #errs > 0 then return 400, json.encode({ ok = false, errors = errs }), JSON end
  self.cfg = new
  self:configure()
  self:log("config: %d setting(s) changed", n)
  return 200, json.encode({ ok = true, changed = n }), JSON
end

-- turn a parser result into a response string
function App:respond(st, req, reason)
  self.requests = self.requests + 1
  if st == "error" then return httpd.response(req, reason .. "\n") end
  local route = routes[req.method .. " " .. req.path]
  if not route then return httpd.response(404, "no such page: " .. req.path .. "\n") end
  local ok, code, body, ctype = pcall(route, self, req)
  if ok then return httpd.response(code, body, ctype) end
  self:log("handler error: %s", tostring(code))
  return httpd.response(500, "internal error\n")
end

function App:listen()
  if not (net and net.createServer) then return nil end
  local srv = net.createServer(net.TCP, 30)
  srv:listen(self.cfg.http_port, function(conn)
    local p = httpd.new()
    conn:on("receive", function(c, data)
      local st, a, b = p:feed(data)
      if st ~= "more" then c:send(self:respond(st, a, b), function(s) s:close() end) end
    end)
  end)
  self.server = srv
  return srv
end

-- device entry point
function M.start(o)
  o = o or {}
  local app = M.new { config_text = o.config_text or config.read_file("config.txt"),
                      log = o.log, read = o.read }
  local c = app.cfg
  if wifi and wifi.sta and c.ssid ~= "" then
    wifi.setmode(wifi.STATION)
    wifi.sta.config { ssid = c.ssid, pwd = c.password, auto = true }
  end
  app:start()
  if not app.sched:attach(100) then app:log("no tmr: drive app.sched:run(ms) yourself") end
  if app:listen() then app:log("http on port %d", c.http_port) end
  return app
end

return M
