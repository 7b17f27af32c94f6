-- required by lib_package_require.lua: a Lua 5.0-style module
module(..., package.seeall)
function hello() return "hello from " .. _NAME .. " " .. type(print) end
