-- tabinsert: array appends, table.insert/remove, hash inserts and lookups
local check = 0
for round = 1, 3600 do
  local arr, hash = {}, {}
  for i = 1, 200 do arr[#arr + 1] = i end
  for i = 1, 50 do table.insert(arr, i * 2) end
  for i = 1, 50 do check = check + table.remove(arr) end
  for i = 1, 100 do hash["k" .. (i % 32)] = i hash[i * 7] = i end
  for i = 1, 200 do check = check + (hash["k" .. (i % 32)] or 0) + (hash[i * 7] or 0) + arr[i] end
end
print("tabinsert", check)
