-- _G, _VERSION and the standard global functions
print(_VERSION)
print(_G._G == _G, type(_G))
local names = {
  "assert", "collectgarbage", "error", "getfenv", "getmetatable", "ipairs",
  "load", "loadstring", "next", "pairs", "pcall", "print", "rawequal", "rawget",
  "rawset", "select", "setfenv", "setmetatable", "tonumber", "tostring", "type",
  "unpack", "xpcall", "newproxy", "require",
}
for _, n in ipairs(names) do print(n, type(_G[n])) end
local libs = { "string", "table", "math", "coroutine", "os", "debug", "package" }
for _, n in ipairs(libs) do print(n, type(_G[n])) end
-- globals through _G and directly
_G.viaG = 1
print(viaG)
direct = 2
print(_G.direct, _G["direct"])
_G["with space"] = 3
print(_G["with space"])
direct = nil
print(_G.direct, rawget(_G, "direct"))
-- a global function definition
function globalfn(x) return x + 1 end
print(globalfn(1), _G.globalfn == globalfn)
-- dotted definitions on a global table
util = {}
function util.twice(x) return x * 2 end
function util:name() return "util" end
print(util.twice(21), util:name())
print("done base_globals")
