-- exp, log, log10, frexp, ldexp, huge
local function r(x) return string.format("%.12g", x) end
local out = {}
for _, x in ipairs({ 0, 1, -1, 0.5, 2, 10, 100, 709, -745 }) do
  out[#out + 1] = r(math.exp(x))
end
print(table.concat(out, " "))
for _, x in ipairs({ 1, 2, 10, 0.5, 1e-10, 1e100, 2^52 }) do
  print(r(x), r(math.log(x)), r(math.log10(x)))
end
print(math.log(0), math.log10(0), math.log(-1) ~= math.log(-1), math.log(1/0), math.exp(1/0), math.exp(-1/0))
print(math.log(8, 2), math.log10(1000))
for _, x in ipairs({ 0, 1, -1, 0.5, 3, -12.75, 1e300, 2^-1074, 1/0 }) do
  print(x, math.frexp(x))
end
print(math.ldexp(1, 10), math.ldexp(0.5, 1), math.ldexp(-3, -2), math.ldexp(1, 1024), math.ldexp(1, -1075))
print(math.ldexp(1, 2.9), math.ldexp(1, "3"), math.ldexp("1.5", 1))
print(math.huge, -math.huge, math.huge == 1/0, math.huge > 2^1023, type(math.huge))
print(string.format("%.14g", math.pi), math.pi == 3.141592653589793)
print(pcall(math.exp))
print(pcall(math.log, "x"))
print(pcall(math.log10))
print(pcall(math.frexp))
print(pcall(math.ldexp, 1))
print(pcall(math.ldexp, 1, "x"))
print(pcall(math.ldexp, nil, 1))
print("done lib_math_exp_log")
