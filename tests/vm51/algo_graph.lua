-- graphs: Dijkstra with a binary heap, DFS topological sort, connected components
local edges = {
  { "A", "B", 4 }, { "A", "C", 2 }, { "B", "C", 5 }, { "B", "D", 10 }, { "C", "E", 3 },
  { "E", "D", 4 }, { "D", "F", 11 }, { "E", "F", 20 }, { "F", "G", 1 },
}
local adj = {}
for _, e in ipairs(edges) do
  adj[e[1]] = adj[e[1]] or {}
  adj[e[2]] = adj[e[2]] or {}
  table.insert(adj[e[1]], { e[2], e[3] })
  table.insert(adj[e[2]], { e[1], e[3] })
end
local function heappush(h, item)
  h[#h + 1] = item
  local i = #h
  while i > 1 do
    local p = math.floor(i / 2)
    if h[p][1] <= h[i][1] then break end
    h[p], h[i] = h[i], h[p]
    i = p
  end
end
local function heappop(h)
  local top = h[1]
  h[1] = h[#h]
  h[#h] = nil
  local i = 1
  while true do
    local l, r, s = 2 * i, 2 * i + 1, i
    if h[l] and h[l][1] < h[s][1] then s = l end
    if h[r] and h[r][1] < h[s][1] then s = r end
    if s == i then break end
    h[s], h[i] = h[i], h[s]
    i = s
  end
  return top
end
local dist, prev = { A = 0 }, {}
local heap = { { 0, "A" } }
while #heap > 0 do
  local d, u = unpack(heappop(heap))
  if d == dist[u] then
    for _, nb in ipairs(adj[u]) do
      local v, w = nb[1], nb[2]
      if not dist[v] or d + w < dist[v] then dist[v] = d + w prev[v] = u heappush(heap, { d + w, v }) end
    end
  end
end
local names = {}
for k in pairs(dist) do names[#names + 1] = k end
table.sort(names)
local out = {}
for _, k in ipairs(names) do out[#out + 1] = k .. "=" .. dist[k] end
print(table.concat(out, " "))
local path, node = {}, "G"
while node do table.insert(path, 1, node) node = prev[node] end
print(table.concat(path, "->"))
-- topological sort of a DAG
local deps = { shirt = { "tie", "belt" }, tie = { "jacket" }, pants = { "shoes", "belt" }, belt = { "jacket" },
  socks = { "shoes" }, undershorts = { "pants", "shoes" }, shoes = {}, jacket = {}, watch = {} }
local keys = {}
for k in pairs(deps) do keys[#keys + 1] = k end
table.sort(keys)
local visited, order = {}, {}
local function visit(n)
  if visited[n] then return end
  visited[n] = true
  local ds = deps[n]
  table.sort(ds)
  for _, d in ipairs(ds) do visit(d) end
  table.insert(order, 1, n)
end
for _, k in ipairs(keys) do visit(k) end
print(table.concat(order, " "))
-- union-find components
local parent = {}
local function find(x) while parent[x] ~= x do parent[x] = parent[parent[x]] x = parent[x] end return x end
for i = 1, 10 do parent[i] = i end
for _, p in ipairs({ { 1, 2 }, { 3, 4 }, { 2, 5 }, { 6, 7 }, { 5, 3 }, { 9, 10 } }) do
  local a, b = find(p[1]), find(p[2])
  if a ~= b then parent[a] = b end
end
local comps = {}
for i = 1, 10 do local r = find(i) comps[r] = (comps[r] or 0) + 1 end
local sizes = {}
for _, n in pairs(comps) do sizes[#sizes + 1] = n end
table.sort(sizes)
print("components", #sizes, table.concat(sizes, ","))
print("done algo_graph")
