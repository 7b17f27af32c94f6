-- semicolons, comments, call sugar, method definitions, parenthesised calls
local a = 1; local b = 2; print(a + b);
-- a comment
--[[ a long
comment ]] print("after comment")
--[==[ another
]] still comment ]==] print("after level 2 comment")
print "string call sugar"
print [[long string call sugar]]
local t = { tag = "t" }
function t.f(x) return "f" .. x end
function t:m(x) return self.tag .. x end
print(t.f(1), t:m(2), t.m(t, 3), t["f"](4))
local s = ("%d"):format(5) print(s)
local function ret(...) return ... end
print(type(ret{}), ret"str", #ret{ 1, 2 })
local obj = { inner = { deep = { fn = function(self) return "deep " .. type(self) end } } }
print(obj.inner.deep:fn(), obj.inner.deep.fn(1))
-- function definitions nested in tables via dotted names
local ns = { a = { b = {} } }
function ns.a.b.c() return "dotted" end
function ns.a.b:d() return self == ns.a.b end
print(ns.a.b.c(), ns.a.b:d())
-- parenthesised expressions as statements are calls only
local calls = 0
local function inc() calls = calls + 1 return inc end
inc()()()
print(calls)
-- empty function bodies and returns
local function empty() end
local function onlyreturn() return end
print(select("#", empty()), select("#", onlyreturn()))
-- return must be the last statement: do return end trick
local function early(x) if x then do return "early" end end return "late" end
print(early(true), early(false))
print("done lang_syntax_misc")
