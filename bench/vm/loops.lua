-- loops: nested numeric for loops with float and integer arithmetic
local sum, acc = 0, 0.5
for i = 1, 5000 do
  for j = 1, 2000 do
    sum = sum + (i * j) % 7 - j / 4
    acc = acc * 0.999 + 1
  end
end
print("loops", string.format("%.6f %.6f", sum, acc))
