-- math.abs ceil floor sqrt pow fmod mod modf with signs, zeros,
-- infinities, non-integral values and numeric strings
local vals = { 0, -0.0, 1, -1, 2.5, -2.5, 0.1, -0.9, 1e15 + 0.5, -1e300, 1/0, -1/0 }
for _, v in ipairs(vals) do
  print(v, math.abs(v), math.ceil(v), math.floor(v), math.modf(v))
end
print(math.sqrt(0), math.sqrt(1), math.sqrt(2), math.sqrt(1e10), math.sqrt(1/0), math.sqrt(-1) ~= math.sqrt(-1))
print(math.pow(2, 10), math.pow(2, -1), math.pow(-2, 3), math.pow(2, 0.5), math.pow(0, 0), math.pow(10, 308))
print(math.pow(-8, 1/3) ~= math.pow(-8, 1/3), math.pow(1/0, -1), math.pow(2, 1024))
print(math.fmod(7, 3), math.fmod(-7, 3), math.fmod(7, -3), math.fmod(-7, -3), math.fmod(5.5, 2))
print(math.fmod(1, 0) ~= math.fmod(1, 0), math.fmod(0, 1), math.fmod(1e308, 3), math.fmod(3, 1/0))
print(math.mod(7, 3), math.mod == math.fmod or "distinct", 7 % 3, -7 % 3, 7 % -3)
print(math.modf(3.75), math.modf(-3.75), math.modf(5), math.modf(-0.5))
print(math.floor("2.5"), math.ceil("-2.5"), math.abs("-3"), math.sqrt("16"), math.pow("2", "3"))
print(math.floor(-0.5), math.ceil(-0.5), math.floor(2^53 + 1), math.ceil(1e-300))
print(pcall(math.abs))
print(pcall(math.floor, "x"))
print(pcall(math.ceil, {}))
print(pcall(math.sqrt, nil))
print(pcall(math.pow, 2))
print(pcall(math.pow, nil, 2))
print(pcall(math.fmod, 1))
print(pcall(math.modf))
print("done lib_math_basic")
