-- lexical scoping: shadowing, do-blocks, locals vs globals
x = "global x"
local x = "local x"
print(x, _G.x)
do
  local x = "inner x"
  print(x)
  do
    local x = x .. " shadowed"
    print(x)
  end
  print(x)
end
print(x)
local function f()
  local x = "function x"
  return x
end
print(f(), x)
-- a local declared without a value is nil even if a global exists
glob = "exists"
do
  local glob
  print(glob)
end
print(glob)
-- the initializer sees the outer variable
local v = 1
do local v = v + 1 print(v) end
print(v)
-- same name twice in one local statement: last one wins
local d, d = 1, 2
print(d)
-- a local function can call itself; a local f = function cannot
local function rec(n) if n == 0 then return "rec ok" end return rec(n - 1) end
print(rec(3))
local nonrec = function(n) if n == 0 then return "base" end return nonrec_global_missing end
print(nonrec(0), nonrec(1))
-- loop variables do not leak
for idx = 1, 2 do end
print(idx)
-- parameters shadow upvalues
local p = "upvalue"
local function shadow(p) return p end
print(shadow("param"), p)
print("done lang_scope")
