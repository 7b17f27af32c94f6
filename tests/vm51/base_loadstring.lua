-- loadstring: results, arguments, chunk names and syntax error messages
print(loadstring("return 1 + 1")())
print(loadstring("return ...")(1, 2, 3))
print(loadstring("local a = {...} return #a")(nil, nil, 3))
local errs = {
  "x = = 1",
  "return +",
  "if x then",
  "for i = 1 do end",
  "local function end",
  "x = 'unfinished",
  "x = [[ long",
  "return 1 2",
  "f(",
  "x = }",
  "local t = {1, 2",
  "while true do",
  "return return",
  "a.b:c = 1",
  "x = 1e",
  "x = 0x",
  "x = \"\\300\"",
  "--[[ unclosed comment",
  "break",
  "local x <const> = 1",
  "goto done",
  "x = 3 // 2",
  "x = 1 ~ 2",
  "function f() return end end",
  "this is not lua",
  "a = (1 + 2",
  "(f)\n(g)",
}
for i = 1, #errs do
  local f, msg = loadstring(errs[i])
  print(i, f, msg)
end
print(loadstring("x = = 1", "=custom"))
print(loadstring("x = = 1", "@file.lua"))
print(loadstring("\n\n\nx = = 1", "multi"))
print(loadstring("first line\nsecond line"))
print(loadstring(string.rep("x", 80) .. " = = 1"))
local f = loadstring("y_from_chunk = 99")
f()
print(y_from_chunk)
print(pcall(loadstring("error('in chunk')")))
print(pcall(loadstring("error('in chunk', 2)")))
print(pcall(loadstring("local t = 1; return undefined_g.x + t", "=tiny")))
print("done base_loadstring")
