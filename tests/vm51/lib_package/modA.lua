-- required by lib_package_require.lua: counts its loads
loads_of_modA = (loads_of_modA or 0) + 1
return { name = ..., loads = loads_of_modA }
