-- Ackermann function on small inputs, counting calls
local calls = 0
local function ack(m, n)
  calls = calls + 1
  if m == 0 then return n + 1 end
  if n == 0 then return ack(m - 1, 1) end
  return ack(m - 1, ack(m, n - 1))
end
for m = 0, 2 do
  local row = {}
  for n = 0, 4 do row[#row + 1] = ack(m, n) end
  print(m, table.concat(row, " "))
end
calls = 0
print(ack(2, 3), calls)
calls = 0
print(ack(3, 3), calls)
print("done algo_ackermann")
