-- which returns are tail calls: only "return f(args)"
local function depth() return 0 end
local function count_frames(n, acc) if n == 0 then return acc end return count_frames(n - 1, acc + 1) end
print(count_frames(50000, 0))
local function gcd(a, b) if b == 0 then return a end return gcd(b, a % b) end
print(gcd(1071, 462), gcd(2 ^ 40, 2 ^ 20 * 3))
-- method tail calls
local obj = { n = 0 }
function obj:tick(k) if k == 0 then return self.n end self.n = self.n + 1 return self:tick(k - 1) end
print(obj:tick(30000))
-- tail call through a table of functions
local ops = {}
function ops.down(n) if n <= 0 then return "bottom" end return ops.down(n - 2) end
print(ops.down(40001))
-- not tail calls (but shallow enough): return (f(x)), return f(x) + 0, return x, f(x)
local function paren(n) if n == 0 then return 0 end return (paren(n - 1)) end
local function plus(n) if n == 0 then return 0 end return plus(n - 1) + 1 end
print(paren(100), plus(100))
print("done tail_recursion_forms")
