-- math.min and math.max: one to many arguments, mixed signs, strings,
-- infinities, argument errors at the right position
print(math.min(1), math.max(1), math.min(3, 1, 2), math.max(3, 1, 2))
print(math.min(-1, -5, 0), math.max(-1, -5, 0), math.min(2.5, 2.4), math.max(2.5, 2.4))
print(math.min(1/0, -1/0), math.max(1/0, -1/0), math.min("10", 9), math.max("10", 9))
print(math.min(0, -0.0), math.max(-0.0, 0))
local t = {}
for i = 1, 50 do t[i] = (i * 37) % 101 end
print(math.min(unpack(t)), math.max(unpack(t)))
print(pcall(math.min))
print(pcall(math.max))
print(pcall(math.min, 1, "x"))
print(pcall(math.max, 1, 2, nil))
print(pcall(math.max, {}, 1))
print(pcall(math.min, 1, 2, 3, false))
print("done lib_math_minmax")
