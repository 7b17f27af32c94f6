-- arithmetic near 2^31, 2^32 and 2^53; floor division and modulo of negatives and floats
local vals = { 2 ^ 31 - 1, 2 ^ 31, 2 ^ 32 - 1, 2 ^ 32, 2 ^ 53 - 1, 2 ^ 53 }
for _, v in ipairs(vals) do
  print(string.format("%.0f", v), string.format("%.0f", v + 1), string.format("%.0f", v * 2), v % 7, math.floor(v / 3))
end
print(-7 % 3, 7 % -3, -7.5 % 2, 7.5 % -2, -0.5 % 1, 5 % math.huge, -5 % math.huge)
print(math.floor(-7 / 2), math.ceil(-7 / 2), math.floor(7 / -2))
print(1e300 * 1e300, -1e300 * 1e300, 1e-300 * 1e-300)
print(2 ^ 1023 * 2, 2 ^ -1074, 2 ^ -1075)
print(0.1 * 3 == 0.3, math.abs(0.1 * 3 - 0.3) < 1e-15)
print(100000000000000 + 0.5, 1e15 + 0.5, 2 ^ 52 + 0.5)
print(string.format("%.0f %.0f %.0f %.0f", 0.5, 1.5, 2.5, 3.5))
print(math.fmod(-6, 4), math.fmod(6, -4), math.fmod(5.3, 2))
print(8 % 3.5, -8 % 3.5, 2 ^ 0.5 % 1 > 0.41)
print("done num_boundaries")
