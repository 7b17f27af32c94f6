-- catching, decorating and rethrowing errors through several layers
local function layer1() error({ code = 1, trail = { "layer1" } }) end
local function layer2()
  local ok, e = pcall(layer1)
  if not ok then
    e.trail[#e.trail + 1] = "layer2"
    error(e)
  end
end
local function layer3()
  local ok, e = pcall(layer2)
  e.trail[#e.trail + 1] = "layer3"
  error(e, 0)
end
local ok, e = pcall(layer3)
print(ok, e.code, table.concat(e.trail, ">"))
-- string errors gain one position prefix per rethrow with level 1
local function s1() error("base") end
local function s2() local ok2, m = pcall(s1) error(m) end
local function s3() local ok3, m = pcall(s2) error(m, 0) end
print(pcall(s3))
-- try/catch/finally helper
local function try(body, catch, finally)
  local res = { pcall(body) }
  if not res[1] and catch then catch(res[2]) end
  if finally then finally() end
  return unpack(res, 1, 3)
end
local events = {}
print(try(function() error("failure", 0) end,
  function(m) events[#events + 1] = "caught " .. m end,
  function() events[#events + 1] = "finally" end))
print(try(function() return "fine" end, nil, function() events[#events + 1] = "finally2" end))
print(table.concat(events, "; "))
-- error objects with methods
local Err = {}
Err.__index = Err
Err.__tostring = function(x) return "Err(" .. x.msg .. ")" end
function Err.new(msg) return setmetatable({ msg = msg }, Err) end
function Err:is(msg) return self.msg == msg end
local ok4, eo = pcall(function() error(Err.new("typed")) end)
print(ok4, tostring(eo), eo:is("typed"), getmetatable(eo) == Err)
-- deep nesting of pcall
local depth = 0
local function nest(n)
  if n == 0 then error("bottom", 0) end
  local ok5, m = pcall(nest, n - 1)
  depth = depth + 1
  error(m .. "<" .. n, 0)
end
print(pcall(nest, 15))
print("depth", depth)
print("done err_rethrow")
