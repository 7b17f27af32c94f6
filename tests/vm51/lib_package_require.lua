-- require with 5.1 semantics: package.loaded, preload, the file searcher
-- and its "not found" message, loops and failures, module and seeall.
-- Modules are in lib_package/; run from this file's directory.
package.path = "lib_package/?.lc;lib_package/?.lua"
package.cpath = ""
local function e(f, ...) return select(2, pcall(f, ...)) end
print(package.loaded._G == _G, package.loaded.package == package)
print(package.config == "/\n;\n?\n!\n-", type(package.loaders))
print(type(package.preload), next(package.preload))
print(require("string") == string, require("package") == package)
-- a file module, run once with its name, cached
local a = require "modA"
print(a.name, a.loads, require("modA") == a, loads_of_modA)
print(package.loaded.modA == a)
package.loaded.modA = nil
local a2 = require "modA"
print(a2 ~= a, a2.loads)
-- return values: nothing -> true; package.loaded set by the module; false
print(require "modnil", modnil_ran, package.loaded.modnil)
print(require "modset", package.loaded.modset)
print(require "modfalse", package.loaded.modfalse)
-- dotted names become directories
print(require "sub.inner", package.loaded["sub.inner"])
-- preload wins over files
package.preload.modA2 = function(name) return "preloaded " .. name end
print(require "modA2")
package.preload.sub = function(...) return select("#", ...) end
print(require "sub")
-- not found: every searcher says why
print(e(function() return require "nope" end))
print(e(function() return require "no.such.mod" end))
print(e(require, "nope2"))
-- a custom searcher in front
table.insert(package.loaders, 1, function(name)
  if name == "virtual" then return function(n) return "virtual " .. n end end
  return "\n\tno virtual module '" .. name .. "'"
end)
print(require "virtual")
print(e(function() return require "nope3" end))
table.remove(package.loaders, 1)
-- a searcher that returns neither a function nor a string is skipped
table.insert(package.loaders, 1, function() return 42 end)
print(e(function() return require "nope4" end))
table.remove(package.loaders, 1)
-- a file that does not compile
print(e(function() return require "syntax" end))
-- loops and failures
print(e(function() return require "loop" end))
print(e(function() return require "fails" end))
print(e(function() return require "fails" end))
-- bad package fields
local saved = package.loaders
package.loaders = nil
print(e(function() return require "x1" end))
package.loaders = saved
saved = package.path
package.path = nil
print(e(function() return require "x2" end))
package.path = 42
print(e(function() return require "x3" end))
package.path = saved
saved = package.preload
package.preload = 1
print(e(function() return require "x4" end))
package.preload = saved
print(e(function() return require() end))
print(e(function() return require({}) end))
print(require(12 == 12 and "modA") == package.loaded.modA)
-- module() and package.seeall
local om = require "oldmod"
print(om == oldmod, om._NAME, om._PACKAGE == "", om._M == om)
print(om.hello(), om.print == print, rawget(om, "print"))
local function make()
  module("deep.er.mod")
  function f() return _NAME, _PACKAGE end
end
make()
print(deep.er.mod.f())
print(package.loaded["deep.er.mod"] == deep.er.mod)
conflict = 1
print(e(function() module("conflict") end))
print(e(function() module("conflict.sub") end))
print(e(module, "fromc"))
local opts = {}
local function withopts()
  module("withopts", function(m) opts[1] = m._NAME end,
         function(m) opts[2] = m end)
end
withopts()
print(opts[1], opts[2] == package.loaded.withopts)
local m2 = {}
print(package.seeall(m2), getmetatable(m2).__index == _G)
print(e(function() return package.seeall(1) end))
print(e(function() return module() end))
print("done lib_package_require")
