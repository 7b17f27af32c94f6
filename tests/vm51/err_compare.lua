-- comparison errors between mixed or uncomparable types
local function try(f) print(pcall(f)) end
try(function() return 1 < "2" end)
try(function() return "1" < 2 end)
try(function() return {} < {} end)
try(function() return {} <= {} end)
try(function() return nil < 1 end)
try(function() return true < false end)
try(function() return print < print end)
try(function() return 1 > {} end)
try(function() return "a" >= {} end)
try(function() return newproxy() < newproxy() end)
try(function() return coroutine.create(print ~= nil and function() end) < 1 end)
-- equality never fails
print(1 == "1", {} == {}, nil == false, print == print, "a" == "a")
print(pcall(table.sort, { 1, "2" }))
print(pcall(math.max, 1, "x"))
print("done err_compare")
