-- math: exp, log, log10, pow, sqrt, frexp, ldexp
local f = function(x) return string.format("%.6f", x) end
local m = math
print(f(m.exp(0)), f(m.exp(1)), f(m.exp(-1)), f(m.exp(10)))
print(f(m.log(1)), f(m.log(m.exp(2))), f(m.log(10)), f(m.log10(1000)), f(m.log10(2)))
print(m.log(0), m.log10(0), tostring(m.log(-1)) == tostring(m.log(-1)))
print(m.pow(2, 10), m.pow(2, 0.5) == m.sqrt(2), m.pow(0, 0), m.pow(-2, 3))
print(m.sqrt(16), m.sqrt(2) * m.sqrt(2) == 2, f(m.sqrt(2)), m.sqrt(0), m.sqrt(1e100))
print(m.frexp(8))
print(m.frexp(0.75))
print(m.frexp(-3))
print(m.frexp(0))
print(m.ldexp(1, 10), m.ldexp(0.5, 1), m.ldexp(3, -2), m.ldexp(1, 1023) * 2)
local mant, ex = m.frexp(123.456)
print(m.ldexp(mant, ex) == 123.456)
print(f(m.exp(m.log(7))), 2 ^ 0.5 == m.sqrt(2))
print(m.exp(1000), m.exp(-1000))
print("done math_exp_log")
