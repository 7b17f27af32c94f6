-- selftest.lua: host test of the example modules. Run from examples/ with
--   lua5.1 selftest.lua            (expected output: selftest.out)
-- Not part of the LFS image. Output is deterministic and ends "done selftest".
package.path = "./?.lua;" .. package.path
local json = require "json"
local config = require "config"
local sensor = require "sensor"
local sched = require "sched"
local httpd = require "httpd_parse"
local app_mod = require "app"

local function say(...)
  local t = { n = select("#", ...), ... }
  for i = 1, t.n do t[i] = tostring(t[i]) end
  print(table.concat(t, " ", 1, t.n))
end
local function enc(v) return json.encode(v) end
local function perr(f, ...)
  local ok, e = pcall(f, ...)
  return ok and "ok" or (tostring(e):gsub("^[^:]*:%d+: ", ""))
end

-- deterministic simulated sensor: triangle wave, 16-bit LCG noise, spikes
local function simulator(seed, base, swing)
  local state, t = seed, 0
  return function()
    state = (state * 75 + 74) % 65537
    t = t + 1
    local phase = t % 40
    local tri = phase < 20 and phase or 40 - phase
    local v = base + sensor.idiv((tri - 10) * swing, 10) + state % 9 - 4
    if state % 23 == 0 then v = v + 250 end
    return v
  end
end

say("== json")
say(enc({ b = 1, a = { 1, 2, 3 }, c = "x\"y\n\1", d = true, e = json.null, f = {} }))
say(enc({ [1] = "a", [2] = "b", [4] = "d" }), enc(json.array({})), enc(-7), enc(12345678), enc("é"))
local doc = json.decode(' { "n": [1, -2.5, 3e2, 0], "s": "a\\u00e9\\n\\"q\\"", "t": true, "z": null } ')
say(enc(doc), doc.z == json.null and "null-ok" or "null-bad", #doc.n, doc.s)
say(enc(json.decode(enc(doc))) == enc(doc) and "roundtrip ok" or "roundtrip FAILED")
for _, bad in ipairs({ "[1,2", "{\"a\" 1}", "tru", "[1] x", "\"\\q\"", "" }) do
  say("decode", string.format("%q", bad), "->", perr(json.decode, bad))
end
local cyc = {}
cyc.self = cyc
say("cycle ->", perr(json.encode, cyc), "| fn ->", perr(json.encode, print))
local deep = "1"
for _ = 1, 40 do deep = "[" .. deep .. "]" end
say("deep ->", perr(json.decode, deep))

say("== config")
local cfg, errs = config.parse([[
# device settings
name = greenhouse_2
sample_ms = 500   # twice a second
window=7
filter = mean
alarm_high = 280
alarm_low = 120
report = off
bogus = 1
sample_ms = 50
http_port = eighty
just a line
]])
local keys = {}
for k in pairs(cfg) do keys[#keys + 1] = k end
table.sort(keys)
for _, k in ipairs(keys) do say(" ", k, "=", tostring(cfg[k])) end
for _, e in ipairs(errs) do say("  error:", e) end
local c2, e2 = config.parse("alarm_low = 400\nalarm_high = 300\nhysteresis = 90\nfilter = max")
say("cross:", c2.alarm_low, c2.alarm_high, c2.hysteresis, c2.filter, "|", table.concat(e2, "; "))
say("set:", tostring(config.set(c2, "window", " 9 ")), c2.window, select(2, config.set(c2, "window", "99")))
say("read_file on host:", tostring(config.read_file("config.txt")))

say("== sensor")
say("idiv", sensor.idiv(7, 2), sensor.idiv(-7, 2), sensor.idiv(7, -2), "rdiv", sensor.rdiv(7, 2),
    sensor.rdiv(-7, 2), sensor.rdiv(5, 3), "fmt", sensor.format_tenths(-123),
    sensor.format_tenths(5), sensor.format_tenths(nil), "adc", sensor.adc_to_tenths(100))
for _, mode in ipairs({ "none", "mean", "median" }) do
  local f = sensor.new { size = 4, mode = mode, spike = 60, high = 250, low = 150, hyst = 10 }
  local out = {}
  for _, v in ipairs({ 200, 210, 205, 400, 240, 260, 270, 255, 238, 236, 190, 160, 140, 130, 150, 170 }) do
    local val, st = f:push(v)
    out[#out + 1] = val .. (st == "normal" and "" or st:sub(1, 1))
  end
  say(mode, table.concat(out, " "), enc(f:stats()))
  for _, ev in ipairs(f.events) do say("  event", ev.count, ev.state, ev.value) end
end
say("read_adc on host:", tostring(sensor.read_adc()))

say("== sched")
local s = sched.new(function(m) say("  log:", m) end)
local trace = {}
local function note(x) trace[#trace + 1] = s.now .. ":" .. x end
s:spawn("ticker", function(n)
  for i = 1, n do note("tick" .. i) sched.sleep(300) end
  return "ticked"
end, 3)
s:spawn("waiter", function()
  local v = sched.wait("go")
  note("got " .. tostring(v))
  v = sched.wait("go")
  note("again " .. tostring(v))
end)
s:spawn("kicker", function()
  sched.sleep(250) note("kick") s:signal("go", "A")
  sched.sleep(500) note("kick2") s:signal("go", "B")
  error("boom")
end)
local left = s:run(2000)
say(table.concat(trace, " "))
say("left", left, "now", s.now, "errors", #s.errors, "attach", tostring(s:attach(100)))

say("== httpd_parse")
say("decode", httpd.url_decode("a%20b+c%2Fd"), enc(httpd.parse_query("x=1&y=two%21&flag&x=3")))
for _, l in ipairs({ "GET /a/b?c=d HTTP/1.1", "get / HTTP/1.1", "GET / HTTP/2.0", "BREW /pot HTTP/1.1",
                     "GET nopath HTTP/1.0" }) do
  say(string.format("%-24s", l), "->", httpd.parse_request_line(l))
end
local function feed_all(raw, chunk, limits)
  local p = httpd.new(limits)
  for i = 1, #raw, chunk do
    local st, a, b = p:feed(raw:sub(i, i + chunk - 1))
    if st ~= "more" then return st, a, b end
  end
  return "more"
end
local post = "POST /config?x=1 HTTP/1.1\r\nHost: esp\r\nX-A: 1\r\nx-a:  2 \r\n" ..
             "Content-Length: 12\r\n\r\nwindow=3&a=b"
for _, chunk in ipairs({ 1, 7, 1000 }) do
  local st, req = feed_all(post, chunk)
  say("chunk", chunk, st, req.method, req.path, enc(req.query), enc(req.headers), req.body)
end
say("431:", feed_all("GET / HTTP/1.1\r\nX: " .. string.rep("y", 80), 16, { max_head = 64 }))
say("413:", feed_all("POST / HTTP/1.1\r\nContent-Length: 99\r\n\r\n", 5, { max_body = 10 }))
say("400:", feed_all("GET / HTTP/1.1\nbad header\n\n", 5))
say("more:", feed_all("GET / HTTP/1.1\r\nHost", 5))
say((httpd.response(404, "nope"):gsub("\r\n", "|")))

say("== app")
local lines = {}
local app = app_mod.new { log = function(m) lines[#lines + 1] = m end,
                          read = simulator(7, 220, 120),
                          config_text = "name=lab\nsample_ms=250\nwindow=5\nspike=80\n" ..
                                        "report_every=20\nalarm_high=300\nalarm_low=120\nbad" }
app:start()
app.sched:run(15000)
for _, l in ipairs(lines) do say(l) end
local function request(raw)
  local st, a, b = feed_all(raw, 9)
  local resp = app:respond(st, a, b)
  say((resp:gsub("\n$", ""):gsub("\r\n\r\n", " || "):gsub("\r\n", " | ")))
end
lines = {}
request("GET /status HTTP/1.1\r\nHost: x\r\n\r\n")
request("GET /config HTTP/1.0\r\n\r\n")
request("POST /config HTTP/1.1\r\nContent-Length: 28\r\n\r\nwindow=3&filter=mean&spike=0")
request("POST /config HTTP/1.1\r\nContent-Length: 23\r\n\r\nwindow=0&colour=red&x=1")
request("GET /missing HTTP/1.1\r\n\r\n")
request("GET  /status HTTP/1.1\r\n\r\n")
app.sched:run(20000)
for _, l in ipairs(lines) do say(l) end
say("requests", app.requests, "samples", app.samples, "alarms", app.alarms)

say("== dummy_strings")
say("require:", tostring(require "dummy_strings"))

say("== boot on a host")
local raw_loadfile = loadfile
local modules = {}
for _, m in ipairs({ "_init", "app", "config", "dummy_strings", "httpd_parse", "init",
                     "json", "sched", "sensor" }) do modules[m] = true end
local function fake_get(name) return modules[name] and raw_loadfile(name .. ".lua") or nil end
local function fake_list()
  local t = {}
  for m in pairs(modules) do t[#t + 1] = m end
  table.sort(t)
  return t
end
say("no node:", dofile("init.lua"))
node = { LFS = { list = function() return nil end, get = function() return nil end,
                 reload = function() return "no flash on a host" end } }
say("no LFS:", dofile("init.lua"))
file = { exists = function(n) return n == "lfs.img" end }
say("lfs.img:", dofile("init.lua"))
file = nil
node = { LFS = { list = fake_list, get = fake_get, time = 1700000000 } }
say("boot:", dofile("init.lua"))
say("APP:", type(APP), APP and APP.cfg.name, "LFS:", type(LFS), type(LFS.json), LFS._time,
    table.concat(LFS._list, ","))
say("LFS write:", perr(function() LFS.json = 1 end))
say("module:", tostring(module), "searchers:", #package.loaders)
package.loaded.json, package.path = nil, "./nowhere/?.lua"
local j2 = require "json"
say("json via LFS searcher:", j2 ~= json, j2.encode({ 1, 2 }))
say("missing:", perr(require, "nosuch"):match("no module 'nosuch' in LFS"))
say("loadfile sensor.lc:", type(loadfile("flash/sensor.lc")), "dofile:", type(dofile("sensor.lc").new))
say("loadfile missing:", loadfile("missing.lua"))
say("done selftest")
