-- integer-valued floats print without a fraction; true fractions keep theirs
local vals = { 1.0, 2.50, 3e0, 1e2, 12.0e1, 0.5e1, 2 ^ 10, 10 / 2, 10 / 4, 3 * 0.5,
  100 / 3 * 3, 0.1 * 10, 1 - 0.9, 1e15 / 10, 2 ^ 52 + 0.5, 255 / 5, -6 / 3, 9 ^ 0.5 }
for i, v in ipairs(vals) do
  print(i, v, v == math.floor(v), string.format("%.17g", v))
end
print(math.floor(3.0) == 3, 3.0 == 3, tostring(3.0), 3.0 .. "")
print(#tostring(1 / 3), #tostring(2 / 3), #tostring(10 / 3))
print("done math_intfloat")
