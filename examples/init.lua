-- init.lua: boot script, kept in SPIFFS (the firmware runs @init.lua); the
-- application is in LFS. After 3 s (type `abort = true` to stop a bad boot):
-- flash lfs.img if LFS is empty (reboots), else run the _init shim from LFS
-- and require("app").start(). Returns a status word; does nothing on a host.
local BOOT_DELAY = 3000

local function lfs_modules()
  if not (node and node.LFS and node.LFS.list) then return nil end
  local ok, list = pcall(node.LFS.list)
  return ok and list or nil
end

local function boot()
  if abort then print("init: boot aborted") return "aborted" end
  local list = lfs_modules()
  if not list then
    if file and file.exists and file.exists("lfs.img") then
      print("init: LFS is empty, loading lfs.img (reboots on success)")
      local err = node.LFS.reload("lfs.img")
      print("init: LFS reload failed: " .. tostring(err))
      return "reload-failed"
    end
    print("init: no LFS image; upload lfs.img and restart")
    return "no-lfs"
  end
  print("init: LFS holds " .. #list .. " modules: " .. table.concat(list, " "))
  local shim = node.LFS.get("_init")
  if not shim then print("init: _init missing from LFS") return "init-failed" end
  local ok, err = pcall(shim)
  if not ok then print("init: _init failed: " .. tostring(err)) return "init-failed" end
  local found, app = pcall(require, "app")
  if found then ok, err = pcall(app.start) else ok, err = false, app end
  if not ok then print("init: app failed: " .. tostring(err)) return "app-failed" end
  APP = err -- the running application, for the console
  print("init: app started")
  return "started"
end

if not node then
  print("init: no node module (running on a host); nothing to boot")
  return "host"
end
if tmr and tmr.create and BOOT_DELAY > 0 then
  print("init: starting in " .. BOOT_DELAY .. " ms; type `abort = true` to stop")
  tmr.create():alarm(BOOT_DELAY, tmr.ALARM_SINGLE, boot)
  return "delayed"
end
return boot()
