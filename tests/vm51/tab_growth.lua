-- tables growing and shrinking in array and hash parts, with holes filled back
local t = {}
for i = 1, 200 do t[i] = i end
local s = 0
for i = 1, #t do s = s + t[i] end
print(#t, s)
for i = 200, 101, -1 do t[i] = nil end
print(#t)
for i = 1, 100 do t["k" .. i] = i end
local hashn = 0
for k, v in pairs(t) do if type(k) == "string" then hashn = hashn + v end end
print(hashn)
for i = 1, 100 do t["k" .. i] = nil end
local n = 0
for _ in pairs(t) do n = n + 1 end
print(n)
-- reverse fill: keys inserted from high to low still end up as a proper sequence
local r = {}
for i = 100, 1, -1 do r[i] = i * 2 end
print(#r, r[1], r[100])
-- negative and zero keys live in the hash part
local z = {}
for i = -10, 10 do z[i] = i end
print(#z, z[-10], z[0], z[10])
-- sparse keys
local sp = {}
for i = 1, 20 do sp[i * i] = i end
local keys = {}
for k in pairs(sp) do keys[#keys + 1] = k end
table.sort(keys)
print(#keys, keys[1], keys[20], sp[400])
-- alternating insert/remove keeps memory bounded
collectgarbage()
local before = collectgarbage("count")
local churn = {}
for round = 1, 50 do
  for i = 1, 100 do churn[i] = { i } end
  for i = 1, 100 do churn[i] = nil end
end
collectgarbage()
print("bounded", collectgarbage("count") < before + 8)
print("done tab_growth")
