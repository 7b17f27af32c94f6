-- required by lib_package_require.lua: returns false
return false
