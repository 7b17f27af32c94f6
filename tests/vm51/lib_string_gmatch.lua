-- string.gmatch: words, captures, empty matches, position captures,
-- iterating after the end, numbers as subjects
local function collect(s, p)
  local out = {}
  for a, b, c in string.gmatch(s, p) do
    out[#out + 1] = tostring(a) .. (b and ("/" .. tostring(b)) or "") ..
                    (c and ("/" .. tostring(c)) or "")
  end
  return #out .. ": " .. table.concat(out, " ")
end
print(collect("hello world from Lua", "%a+"))
print(collect("one=1, two=2, three=3", "(%w+)=(%w+)"))
print(collect("abc", ""))
print(collect("abc", "()"))
print(collect("abc", "x*"))
print(collect("a,b,,c", "([^,]*)"))
print(collect("a1b22c333", "%a(%d+)"))
print(collect("", "."))
print(collect("", ""))
print(collect("  x  y  ", "%S+"))
print(collect("aaa", "a-"))
print(collect("aaa", "a?"))
print(collect("12 34 56", "(%d)(%d)"))
print(collect("(a)(b)", "%b()"))
print(collect("THE (quick) fox", "%f[%a]%a+"))
print(collect(123456, "%d%d"))
print(collect("x=1 y=2", "()(%a)=()"))
local it = string.gmatch("a b", "%a")
print(it(), it(), it(), it())
it = string.gmatch("ab", "()")
print(it(), it(), it(), it())
print(pcall(string.gmatch))
print(pcall(string.gmatch, "x"))
print(pcall(string.gmatch, {}, "x"))
print(string.gfind == string.gmatch or type(string.gfind))
print("done lib_string_gmatch")
