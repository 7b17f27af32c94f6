-- required by lib_package_require.lua: requires itself
return require "loop"
