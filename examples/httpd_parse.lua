-- httpd_parse.lua: incremental HTTP/1.x request parser and response builder.
-- Feed it the chunks a TCP socket delivers; it returns "more" until the
-- head (and a Content-Length body) is complete, then "done" and the request,
-- or "error" with an HTTP status code and reason.
local M = {}
local format = string.format

M.reasons = { [200] = "OK", [204] = "No Content", [400] = "Bad Request", [404] = "Not Found",
              [405] = "Method Not Allowed", [413] = "Payload Too Large", [431] = "Header Too Large",
              [500] = "Internal Server Error", [505] = "HTTP Version Not Supported" }

local methods = { GET = true, HEAD = true, POST = true, PUT = true, DELETE = true, OPTIONS = true }

function M.url_decode(s)
  s = s:gsub("%+", " ")
  return (s:gsub("%%(%x%x)", function(h) return string.char(tonumber(h, 16)) end))
end

-- "a=1&b=x%20y&flag" -> { a = "1", b = "x y", flag = "" }; the last value wins
function M.parse_query(q)
  local t = {}
  if not q or q == "" then return t end
  for pair in q:gmatch("[^&;]+") do
    local k, v = pair:match("^([^=]*)=?(.*)$")
    if k ~= "" then t[M.url_decode(k)] = M.url_decode(v) end
  end
  return t
end

-- returns method, path, query string, version or nil, status, reason
function M.parse_request_line(line)
  local method, target, version = line:match("^(%u+) (%S+) HTTP/(%d%.%d)$")
  if not method then return nil, 400, "malformed request line" end
  if version ~= "1.0" and version ~= "1.1" then return nil, 505, "version " .. version end
  if not methods[method] then return nil, 405, "method " .. method end
  local path, query = target:match("^([^?#]*)%??([^#]*)")
  if path == "" or path:sub(1, 1) ~= "/" then return nil, 400, "bad target" end
  return method, M.url_decode(path), query, version
end

-- parse the header block (lines without the request line)
function M.parse_headers(lines, first)
  local h = {}
  for i = first or 1, #lines do
    local k, v = lines[i]:match("^([%w!#$%%&'*+.^_`|~-]+):[ \t]*(.-)[ \t]*$")
    if not k then return nil, "bad header line " .. i end
    k = k:lower()
    h[k] = h[k] and (h[k] .. ", " .. v) or v
  end
  return h
end

local Parser = {}
Parser.__index = Parser

function M.new(o)
  o = o or {}
  return setmetatable({ data = "", max_head = o.max_head or 1024,
                        max_body = o.max_body or 2048 }, Parser)
end

local function fail(self, code, why)
  self.state = "error"
  self.code, self.reason = code, why
  return "error", code, why
end

function Parser:head(text)
  local lines = {}
  for l in (text .. "\n"):gmatch("([^\n]*)\n") do lines[#lines + 1] = (l:gsub("\r$", "")) end
  local method, path, query, version = M.parse_request_line(lines[1])
  if not method then return fail(self, path, query) end
  local headers, err = M.parse_headers(lines, 2)
  if not headers then return fail(self, 400, err) end
  local req = { method = method, path = path, query = M.parse_query(query),
                version = version, headers = headers, body = "" }
  local len = headers["content-length"]
  if len and not len:find("^%d+$") then return fail(self, 400, "bad content-length") end
  len = tonumber(len) or 0
  if len > self.max_body then return fail(self, 413, "body of " .. len .. " bytes") end
  self.req, self.need = req, len
end

-- add a chunk; returns "more", "done", req or "error", code, reason
function Parser:feed(chunk)
  if self.state == "error" then return "error", self.code, self.reason end
  if self.state then return self.state, self.req end
  local data = self.data .. chunk
  self.data = data
  if not self.req then
    local a, b = data:find("\r?\n\r?\n")
    if (a or #data) > self.max_head then return fail(self, 431, "head too long") end
    if not a then return "more" end
    local st, code, why = self:head(data:sub(1, a - 1))
    if st then return st, code, why end
    data = data:sub(b + 1)
    self.data = data
  end
  if #data < self.need then return "more" end
  self.req.body = data:sub(1, self.need)
  self.state = "done"
  return "done", self.req
end

-- a complete response; body may be nil
function M.response(code, body, ctype)
  body = body or ""
  return format("HTTP/1.1 %d %s\r\nContent-Type: %s\r\nContent-Length: %d\r\n" ..
                "Connection: close\r\n\r\n", code, M.reasons[code] or "Unknown",
                ctype or "text/plain", #body) .. body
end

return M
