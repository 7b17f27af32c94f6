-- required by lib_package_require.lua: fails while running
error("fails at load time")
