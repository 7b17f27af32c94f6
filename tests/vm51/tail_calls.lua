-- proper tail calls: deep tail recursion does not grow the stack
local function loop(n, acc) if n == 0 then return acc end return loop(n - 1, acc + n) end
print(loop(10000, 0))
local function even(n) if n == 0 then return true end return odd_fn(n - 1) end
function odd_fn(n) if n == 0 then return false end return even(n - 1) end
print(even(10001), even(10000))
-- tail calls through varargs
local function count_down(n, ...) if n == 0 then return select("#", ...) end return count_down(n - 1, n, ...) end
print(count_down(100))
-- a state machine built on tail calls
local states = {}
local trace, steps = {}, 0
local function mark(s) steps = steps + 1 if #trace < 9 then trace[#trace + 1] = s end end
function states.a(n) mark("a") if n == 0 then return "end" end return states.b(n - 1) end
function states.b(n) mark("b") return states.c(n) end
function states.c(n) mark("c") return states.a(n) end
print(states.a(3000), steps, table.concat(trace))
-- tail calls to C functions and metamethod callables
local function tostr(v) return tostring(v) end
print(tostr(12), tostr(nil))
local callee = setmetatable({}, { __call = function(_, n) return "callable " .. n end })
local function tc(n) return callee(n) end
print(tc(5))
-- return (f()) is not a tail call and truncates
local function multi() return 1, 2, 3 end
local function truncated() return (multi()) end
local function passed() return multi() end
print(truncated())
print(passed())
-- deep tail recursion inside a coroutine
local co = coroutine.wrap(function() return loop(20000, 0) end)
print(co())
-- error positions inside tail-called functions
local function fails() error("in tail callee") end
local function caller() return fails() end
print(pcall(caller))
print("done tail_calls")
