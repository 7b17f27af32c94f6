-- _init.lua: the LFS access shim. Compiled into the LFS image and run first
-- (init.lua calls node.LFS.get("_init")). It
--   * creates a global LFS: LFS.name is the module's function, LFS._list the
--     module names, LFS._time the build time; writing to it is an error;
--   * adds an LFS searcher to package.loaders (after the SPIFFS loader, so a
--     file uploaded to SPIFFS overrides the module of the same name);
--   * makes loadfile/dofile fall back to LFS for "name.lua" / "name.lc";
--   * removes module() and package.seeall to save RAM.
-- Returns true when installed, false when this firmware has no LFS.
local lfs = node and node.LFS
local get = lfs and lfs.get or (node and node.flashindex)
if not get then return false end

local function index(name) return type(name) == "string" and get(name) or nil end

LFS = setmetatable({}, {
  __index = function(_, name)
    if name == "_list" then return lfs and lfs.list and lfs.list() end
    if name == "_time" then return lfs and lfs.time end
    return index(name)
  end,
  __newindex = function(_, name)
    error("LFS is readonly. Invalid write to LFS." .. tostring(name), 2)
  end,
})

local function searcher(name)
  return index(name) or ("\n\tno module '" .. tostring(name) .. "' in LFS")
end

if not package.lfs_searcher then -- install once
  package.lfs_searcher = searcher
  table.insert(package.loaders, math.min(3, #package.loaders + 1), searcher)
end

-- "dir/name.lua" or "name.lc" -> LFS module "name"
local function lfs_name(fname)
  if type(fname) ~= "string" then return nil end
  return fname:match("([^/]+)%.lua$") or fname:match("([^/]+)%.lc$")
end

local raw_loadfile = package.raw_loadfile or loadfile
package.raw_loadfile = raw_loadfile

function loadfile(fname)
  local fn, err = raw_loadfile(fname)
  if fn then return fn end
  local m = lfs_name(fname)
  fn = m and index(m)
  if fn then return fn end
  return nil, err
end

function dofile(fname)
  local fn, err = loadfile(fname)
  if not fn then error(err, 2) end
  return fn()
end

module, package.seeall = nil, nil
return true
