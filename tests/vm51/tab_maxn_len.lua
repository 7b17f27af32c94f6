-- # on proper sequences, table.maxn, table.getn-free length logic
print(#{}, #{ 1 }, #{ 1, 2, 3 }, #{ n = 1 })
local t = {}
for i = 1, 10 do t[i] = i end
print(#t, table.maxn(t))
t[#t] = nil
print(#t, table.maxn(t))
t[#t + 1] = "x"
print(#t)
local sparse = { [1] = 1, [100] = 100, [3.5] = "f" }
print(table.maxn(sparse))
print(table.maxn({}), table.maxn({ [-5] = 1 }), table.maxn({ [2.5] = 1, [2] = 0 }))
print(pcall(table.maxn, nil))
-- length of strings vs tables
print(#"abc", #("x"):rep(10))
-- growing and shrinking keeps # a border
local g = {}
for i = 1, 64 do g[i] = i end
for i = 64, 33, -1 do g[i] = nil end
print(#g)
for i = 33, 40 do g[i] = i end
print(#g)
-- length operator on a table built by a constructor with trailing call
local function three() return 1, 2, 3 end
print(#{ three() }, #{ three(), three() }, #{ (three()) })
print("done tab_maxn_len")
