-- __tostring used by tostring and print; __name is not a 5.1 feature
local P = {}
P.__tostring = function(p) return "P(" .. p.x .. "," .. p.y .. ")" end
local p = setmetatable({ x = 1, y = 2 }, P)
print(p, tostring(p))
print(tostring(p) .. "!")
local list = {}
for i = 1, 3 do list[i] = tostring(setmetatable({ x = i, y = -i }, P)) end
print(table.concat(list, " "))
local named = setmetatable({}, { __name = "MyType" })
print(tostring(named):match("^table: ") ~= nil)
local ud = newproxy(true)
getmetatable(ud).__tostring = function() return "userdata shown" end
print(ud, tostring(ud))
local nested = setmetatable({}, { __tostring = function() return tostring(p) .. " inside" end })
print(nested)
print(pcall(string.format, "%s", p))
-- the two lua5.1 wordings of this message: see tab_concat.lua
local ok, e = pcall(table.concat, { p })
print(ok, (e:gsub("%(%a+%) at index", "at index")
            :gsub("%(at index (%d+)%)", "at index %1")))
local mt = { __tostring = function(self) return self.name end }
local a = setmetatable({ name = "alpha" }, mt)
local b = setmetatable({ name = "beta" }, mt)
print(a, b)
mt.__tostring = function(self) return self.name:upper() end
print(a, b)
print("done meta_tostring")
