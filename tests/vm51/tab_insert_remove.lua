-- table.insert and table.remove at every position
local t = {}
table.insert(t, "a")
table.insert(t, "c")
table.insert(t, 2, "b")
table.insert(t, 1, "start")
table.insert(t, #t + 1, "end")
print(#t, table.concat(t, " "))
print(table.remove(t), #t, table.concat(t, " "))
print(table.remove(t, 1), #t, table.concat(t, " "))
print(table.remove(t, 2), #t, table.concat(t, " "))
print(table.remove({}), #{})
print(table.remove({}, 1))
local one = { "only" }
print(table.remove(one), #one, one[1])
print(pcall(table.insert, t, 1, 2, 3))
print(pcall(table.insert, nil, 1))
print(pcall(table.insert, t))
print(pcall(table.remove, nil))
-- insert at positions past the end (5.1 allows any position)
local u = { 1, 2, 3 }
table.insert(u, 5, "five")
print(u[4], u[5], table.maxn(u))
-- a queue: insert at the back, remove from the front
local q = {}
for i = 1, 10 do table.insert(q, i) end
local out = {}
while #q > 0 do out[#out + 1] = table.remove(q, 1) end
print(table.concat(out, ","))
-- a stack
local st = {}
for i = 1, 5 do st[#st + 1] = i * i end
local popped = {}
while #st > 0 do popped[#popped + 1] = table.remove(st) end
print(table.concat(popped, ","))
-- remove shifts down
local w = { "a", "b", "c", "d", "e" }
table.remove(w, 2)
table.remove(w, 3)
print(table.concat(w, ""), #w, w[4])
print("done tab_insert_remove")
