-- debug.getinfo: options "nSluf", function or level, threads, errors
local function show(t, keys)
  local out = {}
  for _, k in ipairs(keys) do out[#out + 1] = k .. "=" .. tostring(t[k]) end
  print(table.concat(out, " "))
end
local S = { "source", "short_src", "linedefined", "lastlinedefined", "what" }

function gf(a, b)
  return a + b
end
show(debug.getinfo(gf, "S"), S)
show(debug.getinfo(gf), { "currentline", "nups", "name", "namewhat", "what" })
print(debug.getinfo(gf, "f").func == gf, debug.getinfo(gf).func == gf)
show(debug.getinfo(print, "S"), S)
show(debug.getinfo(print, "lu"), { "currentline", "nups" })
print(debug.getinfo(print, "l").linedefined, debug.getinfo(gf, "S").nups)
-- only the fields asked for
local keys = {}
for k in pairs(debug.getinfo(gf, "u")) do keys[#keys + 1] = k end
print(table.concat(keys, ","))
keys = {}
for k in pairs(debug.getinfo(gf, "n")) do keys[#keys + 1] = k end
table.sort(keys)
print(table.concat(keys, ","))
keys = {}
for k in pairs(debug.getinfo(gf, "")) do keys[#keys + 1] = k end
print(#keys)
-- upvalues
local u1, u2 = 1, 2
local function clo() return u1 + u2 end
print(debug.getinfo(clo, "u").nups)
-- stack levels
function caller() local r = callee() return r end
function callee()
  local me = debug.getinfo(1, "nSl")
  local up = debug.getinfo(2, "nSl")
  show(me, { "name", "namewhat", "currentline", "what", "linedefined" })
  show(up, { "name", "namewhat", "currentline", "what", "linedefined" })
  return 0
end
caller()
local t = { f = function() return debug.getinfo(1, "n") end }
show(t.f(), { "name", "namewhat" })
local o = {}
function o:m() return debug.getinfo(1, "n") end
show(o:m(), { "name", "namewhat" })
show(debug.getinfo(1, "Sl"), { "what", "currentline", "source", "short_src" })
show(debug.getinfo(1, "n"), { "name", "namewhat" })
print(debug.getinfo(1, "f").func ~= nil)
-- level 0 is getinfo itself
show(debug.getinfo(0, "nS"), { "name", "namewhat", "what", "short_src" })
-- out of range
print(debug.getinfo(100), debug.getinfo(3))
-- through pcall: the C frame
function inpcall() return debug.getinfo(2, "nSl") end
local ok, info = pcall(inpcall)
show(info, { "name", "namewhat", "what", "currentline", "short_src" })
-- string chunks
local chunk = loadstring("return debug.getinfo(1, 'S')", "=mychunk")
show(chunk(), S)
chunk = loadstring("\n\nreturn debug.getinfo(1, 'S')")
show(chunk(), S)
chunk = loadstring("local x = 1\nreturn debug.getinfo(1, 'S')", "a chunk")
show(chunk(), S)
-- a thread argument
local co = coroutine.create(function(x) coroutine.yield(x) end)
coroutine.resume(co, 5)
show(debug.getinfo(co, 0, "nSl"), { "name", "what", "currentline" })
show(debug.getinfo(co, 1, "Sl"), { "what", "currentline", "linedefined" })
print(debug.getinfo(co, 2), type(debug.getinfo(co, 1, "f").func))
show(debug.getinfo(co, gf, "S"), { "what", "linedefined" })
-- errors
print(pcall(function() return debug.getinfo({}) end))
print(pcall(function() return debug.getinfo() end))
print(pcall(function() return debug.getinfo(gf, "x") end))
print(pcall(function() return debug.getinfo(1, "S?") end))
print(type(debug.getinfo("1")), debug.getinfo("1", "l").currentline)
print("done lib_debug_getinfo")
