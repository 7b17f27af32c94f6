-- printing errors: non-string error values through pcall and tostring
local function show(...) local t = { ... } for i = 1, select("#", ...) do t[i] = type(t[i]) == "table" and "<table>" or tostring(t[i]) end return table.concat(t, " ") end
print(show(pcall(error, { 1 })))
print(show(pcall(error, nil)))
print(show(pcall(error, false)))
print(show(pcall(error, 12.5)))
print(show(pcall(error, print == print)))
local E = setmetatable({}, { __tostring = function() return "E!" end })
print(show(pcall(error, E)), tostring(select(2, pcall(error, E))))
print(pcall(error, "multi\nline\nmessage", 0))
print(pcall(error, "", 0))
print(pcall(error, string.rep("long ", 20), 0))
print("done err_tostring_print")
