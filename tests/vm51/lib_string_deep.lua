-- patterns that recurse deeply must not crash. lua5.1 recurses without
-- a limit; the VM stops at its depth limit with "pattern too complex".
-- Only the result type is printed, the same in both.
local function try(s, p)
  local ok, r = pcall(string.match, s, p)
  return type(r)
end
print(try(string.rep("a", 300), string.rep("a?", 300)))
print(try(string.rep("a", 500), string.rep("a-", 250) .. "$"))
print(try(string.rep("ab", 200), string.rep("a*b", 200)))
print(try(string.rep("x", 120), string.rep("(x)", 10) .. string.rep("x?", 110)))
print(try(string.rep("a", 90), string.rep("a?", 90)))
print(try(string.rep("(", 120) .. string.rep(")", 120), string.rep("%b()", 2)))
local ok = pcall(string.gsub, string.rep("a", 400), string.rep("a?", 200), "")
print(type(ok))
print(pcall(string.match, string.rep("a", 40), string.rep("a?", 40)) and "shallow ok")
print("done lib_string_deep")
