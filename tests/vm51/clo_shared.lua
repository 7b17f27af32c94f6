-- several closures share one upvalue; upvalues close when the scope ends
local function pair()
  local v = 0
  return function() v = v + 1 return v end, function() return v end
end
local inc, get = pair()
inc() inc()
print(get())
-- closures created in the same scope share the variable even after it changes
local fns = {}
do
  local x = 1
  fns[1] = function() return x end
  x = 2
  fns[2] = function() x = x * 10 return x end
end
print(fns[1](), fns[2](), fns[1]())
-- a closure sees the upvalue while the frame is alive, and after it returns
local function outer()
  local val = "before"
  local function read() return val end
  local r1 = read()
  val = "after"
  return r1, read
end
local r1, read = outer()
print(r1, read())
-- nested functions sharing an upvalue from two levels up
local function level1()
  local shared = 0
  local function level2()
    local function level3() shared = shared + 1 return shared end
    return level3
  end
  return level2(), level2(), function() return shared end
end
local a, b, peek = level1()
a() b() a()
print(peek())
-- upvalue of a parameter
local function param_up(p) return function(d) p = p + d return p end end
local pu = param_up(10)
print(pu(1), pu(2))
-- swapping through closures
local function swapper()
  local x, y = "x", "y"
  return function() x, y = y, x return x .. y end
end
local sw = swapper()
print(sw(), sw(), sw())
print("done clo_shared")
