-- getfenv / setfenv on functions and stack levels
print(getfenv(0) == _G, getfenv(1) == _G, getfenv() == _G)
local function f() return getfenv(1) end
print(f() == _G, getfenv(f) == _G)
local env = { print = print, tag = "sandbox" }
local function g() return tag end
tag = "global"
print(g())
print(setfenv(g, env) == g)
print(g(), getfenv(g) == env)
-- a fresh closure of the same code gets the creator's environment
local function maker() return function() return tag end end
print(maker()())
setfenv(maker, env)
print(maker()())
-- setfenv(1, t) inside a function changes that function only
local function sandboxed()
  local saved, sf = getfenv(1), setfenv
  setfenv(1, { tag = "inner" })
  local v = tag
  sf(1, saved)
  return v, tag
end
print(sandboxed())
-- level 2: the caller's environment
local function callerenv() return getfenv(2) end
local function h() local e = callerenv() return e end
setfenv(h, env)
print(h() == env)
-- globals defined under a custom env land in it
local function definer() newglobal = 42 end
local store = {}
setfenv(definer, store)
definer()
print(store.newglobal, rawget(_G, "newglobal"))
-- environments with __index fallback to _G
local layered = setmetatable({ tag = "layer" }, { __index = _G })
local function both() return tag, type(print) end
setfenv(both, layered)
print(both())
print(pcall(setfenv, print, {}))
print(pcall(getfenv, 50))
print(pcall(setfenv, 1, 2))
print(pcall(setfenv, f, 1))
print("done base_getfenv")
