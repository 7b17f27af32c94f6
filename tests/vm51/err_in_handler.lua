-- an xpcall handler that fails, or is not a function: "error in error handling"
print(xpcall(function() error("first") end, function(m) error("second") end))
print(xpcall(function() error("y", 0) end, 42))
print(xpcall(function() local t = {} return t.x.y end, function(m) return undefined_fn(m) end))
-- the VM is usable afterwards
print(xpcall(function() error("fine", 0) end, function(m) return m .. "!" end))
print(pcall(error, "after"))
print("done err_in_handler")
