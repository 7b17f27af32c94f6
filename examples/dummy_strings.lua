-- dummy_strings.lua: never called. Compiling it into LFS puts these strings
-- into the image's read-only string table, so the firmware finds them there
-- instead of allocating RAM copies. debug.getstrings('RAM') on a device
-- shows more candidates.
local preload = "?.lc;?.lua", "@init.lua", "_G", "_LOADED", "_LOADLIB", "__add",
  "__call", "__concat", "__div", "__eq", "__gc", "__index", "__le", "__len", "__lt",
  "__mod", "__mode", "__mul", "__newindex", "__pow", "__sub", "__tostring", "__unm",
  "collectgarbage", "cpath", "debug", "file", "file.obj", "file.vol", "flash",
  "getstrings", "index", "ipairs", "list", "loaded", "loader", "loaders", "loadlib",
  "module", "net.tcpserver", "net.tcpsocket", "newproxy", "package", "pairs", "path",
  "preload", "reload", "require", "seeall", "wdclr", "not enough memory", "tmr.timer",
  "config.txt", "lfs.img", "application/json", "text/plain", "Content-Length: ",
  "Content-Type: ", "Connection: close", "content-length", "report", "alarm",
  "normal", "high", "low", "median", "mean", "sampler", "reporter", "watcher"
