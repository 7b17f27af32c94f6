-- debug.traceback: lua5.1's exact text (frames, pcall, tail calls, "...",
-- coroutines, message and level arguments)
-- What runs the main chunk may add frames below it ("[C]: ?" in lua5.1,
-- the caller when this file is an LFS module): cut after "main chunk".
local function strip(s)
  if type(s) ~= "string" then return s end
  local _, e = s:find("in main chunk", 1, true)
  return e and s:sub(1, e) or s
end
function g(msg) print(strip(debug.traceback(msg))) end
function f() g("msg") end
f()
local t = {}
function t.field() print(strip(debug.traceback())) end
t.field()
local obj = {}
function obj:meth() print(strip(debug.traceback("in method"))) end
obj:meth()
-- a tail call loses the caller's frame
function tc() return g("tail") end
tc()
-- through pcall, a C function
print(pcall(g, "pcalled"))
-- an anonymous function
;(function() print(strip(debug.traceback("anon"))) end)()
-- deep recursion: 12 frames, "...", the last 10 (in a coroutine, whose
-- stack has no host frames below)
function rec(n)
  if n == 0 then print(debug.traceback("deep")) else rec(n - 1) end
end
coroutine.wrap(function() rec(30) end)()
-- at and just below the limit: no "..."
coroutine.wrap(function() rec(20) end)()
coroutine.wrap(function() rec(21) end)()
coroutine.wrap(function() rec(22) end)()
-- a level argument
function lv(l) print(strip(debug.traceback("level " .. l, l))) end
function lv2(l) lv(l) end
lv2(1)
lv2(2)
lv2(3)
print(strip(debug.traceback("big level", 50)))
-- the message: numbers become strings, other values come back unchanged
print(strip(debug.traceback(12)))
print(debug.traceback(nil))
local tab = {}
print(debug.traceback(tab) == tab, debug.traceback(true))
print(select("#", debug.traceback(nil)))
print(strip(debug.traceback("")))
-- a coroutine: level 0 is its own innermost function
local co = coroutine.create(function(x) coroutine.yield(x) end)
coroutine.resume(co, 1)
print(debug.traceback(co))
print(debug.traceback(co, "co msg"))
print(debug.traceback(co, "co level 1", 1))
print(debug.traceback(co, nil))
local dead = coroutine.create(function() end)
coroutine.resume(dead)
print(debug.traceback(dead, "dead"))
-- traceback as an xpcall handler
function boom() error("boom!") end
print(xpcall(boom, function(m) return strip(debug.traceback(m)) end))
print(xpcall(boom, debug.traceback) == false)
print("done lib_debug_traceback")
