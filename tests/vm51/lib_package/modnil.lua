-- required by lib_package_require.lua: returns nothing
modnil_ran = true
