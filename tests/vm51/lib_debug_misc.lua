-- debug: locals, upvalues, metatables, environments, registry, hooks.
-- Stripped code has no local or upvalue names: getlocal and getupvalue
-- may answer nil there, so only name-independent facts are printed.
local function e(f, ...) return select(2, pcall(f, ...)) end
-- getlocal / setlocal
local a, b = 10, 20
local n, v = debug.getlocal(1, 2)
print(n == nil or v == 10)
print(debug.getlocal(1, 200))
local set = debug.setlocal(1, 3, 21)
print(set == nil or b == 21)
print(debug.setlocal(1, 200, 0))
function lev2() return debug.getlocal(2, 2) end
n, v = lev2()
print(n == nil or v == 10)
print(e(function() return debug.getlocal(50, 1) end))
print(e(function() return debug.setlocal(50, 1, 0) end))
print(e(function() return debug.getlocal(1) end))
print(e(function() return debug.getlocal("x", 1) end))
print(e(function() return debug.setlocal(1, 1) end))
-- a thread's locals
local co = coroutine.create(function(x) local y = x * 2 coroutine.yield() end)
coroutine.resume(co, 4)
n, v = debug.getlocal(co, 1, 1)
print(n == nil or v == 4)
print(e(function() return debug.getlocal(co, 5, 1) end))
-- upvalues
local up1, up2 = 5, "s"
local function clo() return up1, up2 end
n, v = debug.getupvalue(clo, 1)
print(n == nil or v == 5)
print(select("#", debug.getupvalue(clo, 3)), select("#", debug.getupvalue(clo, 0)))
n = debug.setupvalue(clo, 2, "t")
print(n == nil or select(2, clo()) == "t")
print(select("#", debug.setupvalue(clo, 9, 1)))
print(select("#", debug.getupvalue(print, 1)))
print(select("#", debug.getupvalue(string.format, 1)))
print(e(function() return debug.getupvalue({}, 1) end))
print(e(function() return debug.getupvalue(clo) end))
print(e(function() return debug.setupvalue(clo, 1) end))
-- metatables, also past __metatable and on non-tables
local t = setmetatable({}, { __metatable = "locked" })
print(getmetatable(t), type(debug.getmetatable(t)))
print(debug.getmetatable({}), debug.getmetatable(1))
print(debug.getmetatable("").__index == string)
local nmt = { __index = function(x, k) return k .. x end }
print(debug.setmetatable(1, nmt))
print((5).x, debug.getmetatable(7) == nmt)
print(debug.setmetatable(1, nil), debug.getmetatable(1))
local plain = {}
print(debug.setmetatable(plain, { __index = { z = 26 } }), plain.z)
print(e(function() return debug.setmetatable(plain, 1) end))
print(e(function() return debug.getmetatable() end))
-- environments
local function fe() return envvar end
local env = { envvar = "from env" }
print(debug.getfenv(fe) == _G, debug.getfenv(1), debug.getfenv("s"))
print(debug.setfenv(fe, env) == fe, fe(), debug.getfenv(fe) == env)
print(e(function() return debug.setfenv(fe, 1) end))
print(e(function() return debug.setfenv(1, {}) end))
print(e(function() return debug.getfenv() end))
print(debug.getfenv(co) == _G)
-- the registry
print(type(debug.getregistry()), debug.getregistry() == debug.getregistry())
print(debug.getregistry()._LOADED == package.loaded)
-- hooks: set, read back, cleared (the hook itself does nothing)
print(debug.gethook())
local function hook() end
print(debug.sethook(hook, "lrc", 5))
local hf, hm, hc = debug.gethook()
print(hf == hook, hm, hc)
debug.sethook(hook, "l")
print(select(2, debug.gethook()), select(3, debug.gethook()))
debug.sethook(hook, "", 0)
print(select(2, debug.gethook()), select(3, debug.gethook()))
debug.sethook()
print(debug.gethook())
debug.sethook(co, hook, "c")
print(select(2, debug.gethook(co)), debug.gethook())
debug.sethook(co)
print(debug.gethook(co))
print(e(function() return debug.sethook(hook) end))
print(e(function() return debug.sethook(1, "c") end))
print("done lib_debug_misc")
