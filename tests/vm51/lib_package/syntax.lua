-- required by lib_package_require.lua: does not compile
x = = 1
