-- tonumber: decimal, hex, exponents, whitespace, bases 2..36
print(tonumber("10"), tonumber("  10  "), tonumber("\t\n10\n"))
print(tonumber("0x1F"), tonumber("0XfF"), tonumber("0x10"))
print(tonumber("1e3"), tonumber("1E-2"), tonumber("-2.5e+2"))
print(tonumber("1.5"), tonumber(".5"), tonumber("5."), tonumber("-.25"))
print(tonumber("1e"), tonumber(""), tonumber(" "), tonumber("abc"), tonumber("1 2"))
print(tonumber("10a"), tonumber("--1"), tonumber("+3"), tonumber("- 3"))
print(tonumber(42), tonumber(-0.5), tonumber({}), tonumber(nil), tonumber(true))
print(tonumber("10", 2), tonumber("1111", 2), tonumber("777", 8), tonumber("8", 8))
print(tonumber("ff", 16), tonumber("FF", 16), tonumber("zz", 36), tonumber("ZZ", 36))
print(tonumber("10", 36), tonumber("z", 35), tonumber("7fffffff", 16))
print(tonumber(" 101 ", 2), tonumber("1 01", 2), tonumber("", 10), tonumber("12", 10))
print(tonumber(15, 16), tonumber("1.5", 10), tonumber("0x10", 16))
print(pcall(tonumber, "1", 1))
print(pcall(tonumber, "1", 37))
print(pcall(tonumber))
print(pcall(tonumber, {}, 16))
-- round trips
for _, v in ipairs({ 0, 1, -1, 0.5, 1e10, 123.25, 2 ^ 40 }) do
  rt_ok = tonumber(tostring(v)) == v
  print(v, rt_ok)
end
print("done base_tonumber")
