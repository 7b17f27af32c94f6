-- table keys: numbers normalise, float keys, booleans, tables, NaN is refused
local t = {}
t[1] = "a"; t[1.0] = "b"; t[2 ^ 53] = "big"; t[-0] = "zero"; t[0.5] = "half"
print(t[1], t[2 ^ 53], t[0], t[0.5], t[-0])
t[true] = "T"; t[false] = "F"
print(t[true], t[false])
local k1, k2 = {}, {}
t[k1] = "k1"; t[k2] = "k2"
print(t[k1], t[k2], t[{}])
local f = function() end
t[f] = "fn"
print(t[f])
print(pcall(function() local nan = 0 / 0; t[nan] = 1 end))
print(pcall(function() t[nil] = 1 end))
print(t[nil], t[0 / 0])
print(pcall(rawset, t, 0 / 0, 1))
-- string keys vs number keys
t["10"] = "s10"; t[10] = "n10"
print(t["10"], t[10], t[10.0])
-- numeric string keys with leading zeros are distinct strings
t["01"] = "zero-one"
print(t["01"], t["1"], t[1])
-- large and negative integer keys
t[-1] = "neg"; t[2147483647] = "max"; t[1e15] = "huge"
print(t[-1], t[2147483647], t[1e15], t[1000000000000000])
-- deleting by assigning nil, then re-adding
t[1] = nil
print(t[1])
t[1] = "again"
print(t[1])
print("done tab_keys")
