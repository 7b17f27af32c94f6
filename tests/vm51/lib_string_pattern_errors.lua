-- every pattern error message of 5.1, through find, match, gmatch, gsub
local bad = {
  "%", "a%", "[a", "[", "[^", "[%", "[a%", "[]", "[^]", "%b", "%bx",
  "%f", "%fx", "%f[x", "(", "(a", "a)", ")", "%1", "(a)%2", "(a%1)",
  "()%1", "((a)", "%g%", "x[%]",
}
for _, p in ipairs(bad) do
  local r1 = { pcall(string.find, "abc", p) }
  local r2 = { pcall(string.match, "abc", p) }
  local r3 = { pcall(string.gsub, "abc", p, "%0") }
  local r4 = { pcall(function() for a in string.gmatch("abc", p) do end end) }
  print(string.format("%-8s", p), tostring(r1[1]), tostring(r1[2]),
        tostring(r2[2]), tostring(r3[2]), tostring(r4[1]))
end
-- errors only reached when the matcher gets there
print(pcall(string.find, "xyz", "a[b"))
print(pcall(string.find, "abc", "a[b"))
print(pcall(string.find, "xyz", "a%"))
print(pcall(string.find, "", "%"))
print(pcall(string.match, "abc", "x(()"))
print(pcall(string.match, "abc", "a(()"))
print(pcall(string.match, "abc", "b)"))
print(pcall(string.gsub, "abc", "(b", "%1"))
print(pcall(string.gsub, "abc", "(b", function(x) return x end))
print(pcall(string.gsub, "abc", "(b", {}))
print("done lib_string_pattern_errors")
