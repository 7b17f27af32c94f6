-- towers of Hanoi: recursive moves, counts and final state
local moves = {}
local pegs = { { 6, 5, 4, 3, 2, 1 }, {}, {} }
local function move(n, from, to, via)
  if n == 0 then return end
  move(n - 1, from, via, to)
  local disk = table.remove(pegs[from])
  local top = pegs[to][#pegs[to]]
  if top and top < disk then error("illegal move") end
  table.insert(pegs[to], disk)
  moves[#moves + 1] = from .. to
  move(n - 1, via, to, from)
end
move(6, 1, 3, 2)
print(#moves, table.concat(moves, " ", 1, 10))
print(#pegs[1], #pegs[2], table.concat(pegs[3], ","))
local function count(n) if n == 0 then return 0 end return 2 * count(n - 1) + 1 end
print(count(10), count(20), 2 ^ 20 - 1)
print("done algo_hanoi")
