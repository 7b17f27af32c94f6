-- the string metatable: methods on string values, __index is the string
-- table, numbers are not strings for method calls
local out = {}
local function write(...)
  for i = 1, select("#", ...) do out[#out + 1] = tostring((select(i, ...))) end
end
local function flush()
  local s = table.concat(out)
  out = {}
  return s
end
local s = "Hello"
print(s:upper(), s:lower(), s:len(), s:sub(2, 3), s:rep(2), s:reverse())
print(s:byte(1, 2), ("%d-%s"):format(5, "x"), ("a,b"):find(","), ("k=v"):match("(%w)=(%w)"))
print(("x y z"):gsub(" ", "_"))
for w in ("one two"):gmatch("%a+") do write(w, ";") end
print(flush())
local mt = getmetatable("")
print(type(mt), rawequal(mt.__index, string), getmetatable("abc") == mt)
print(getmetatable(1), getmetatable({}), getmetatable(print))
print(#"abc", type(("abc").len), ("abc").nonexistent)
print(("abc").upper == string.upper)
print(pcall(function() return (1):len() end))
-- a metatable addition is visible through every string
function string_extra(x) return "extra:" .. x end
mt.__index = setmetatable({ extra = string_extra }, { __index = string })
print(("q"):extra(), ("q"):upper())
mt.__index = string
print(pcall(function() return ("q"):extra() end) == false)
print(type(string), type(string.format), string.nonexistent)
print("done lib_string_meta")
