-- table.maxn, table.getn and the obsolete table.setn
print(table.maxn({}), table.maxn({ 1, 2, 3 }), table.maxn({ [10] = 1, [2] = 2 }))
print(table.maxn({ [1.5] = 1, [-3] = 2 }), table.maxn({ [-1] = 1 }), table.maxn({ x = 1, [7] = 2 }))
print(table.maxn({ [2^40] = true, [3] = 1 }), table.maxn({ [1/0] = 1 }), table.maxn({ ["10"] = 1 }))
local t = { 1, 2, 3, nil, 5 }
t[5] = nil
print(table.getn({}), table.getn({ 1, 2 }), table.getn(t), table.getn({ n = 10 }))
local seq = {}
for i = 1, 50 do seq[i] = i end
print(table.getn(seq), table.maxn(seq), #seq)
for i = 26, 50 do seq[i] = nil end
print(table.getn(seq), table.maxn(seq))
print(table.getn(setmetatable({}, { __len = function() return 99 end })))
print(table.getn(setmetatable({ 1 }, { __index = { 1, 2, 3 } })))
print(pcall(table.maxn))
print(pcall(table.maxn, "x"))
print(pcall(table.getn))
print(pcall(table.getn, "abc"))
print(pcall(table.setn, {}, 5))
print(pcall(table.setn, {}))
print(pcall(table.setn))
print(pcall(table.setn, 5))
print("done lib_table_maxn_getn")
