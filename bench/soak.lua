-- wrk script of bench/soak.sh: a mix of visitors on one connection per thread (so a thread
-- can follow a cart through checkout), paced to SOAK_THREAD_RPS requests per second per
-- thread (0: as fast as possible, to measure capacity).
--
--   35% product page, 25% category listing, 20% search, 5% home page,
--   10% add to cart and look at it, 5% a whole order (cart, contact, shipping, place).
--
-- Files in SOAK_DATA: products (id and slug per line), categories (paths), queries.
-- A step whose answer is not the expected status (or a checkout page without its form)
-- counts as a flow error; done() prints one machine-readable line.

local ffi = require("ffi")
ffi.cdef [[
  typedef struct { long tv_sec; long tv_nsec; } soak_timespec;
  int clock_gettime(int clock_id, soak_timespec *tp);
]]
local ts = ffi.new("soak_timespec")
local function now()
  ffi.C.clock_gettime(1, ts) -- CLOCK_MONOTONIC
  return tonumber(ts.tv_sec) + tonumber(ts.tv_nsec) * 1e-9
end

local threads = {}
local counter = 0

function setup(thread)
  counter = counter + 1
  thread:set("id", counter)
  table.insert(threads, thread)
end

-- Per thread (each thread has its own Lua state).
local products, categories, queries = {}, {}, {}
local interval, started, sent = 0, nil, 0
local queue, current, cookie = {}, nil, nil
flow_errors, orders, carts, first_error = 0, 0, 0, ""
lost, first_lost, last_answer = 0, "", "nothing"

-- Every order comes from another buyer (its own email and WhatsApp number), as in a real
-- shop: one buyer holding thousands of unpaid orders is what the unpaid cap exists to stop.
local function contact()
  local n = math.random(10000000, 99999999)
  return "name=Siti+Rahmawati&email=pembeli" .. n .. "%40contoh.id&phone=0812" .. n
    .. "&province_id=11&city=Kota+Bandung&district=Coblong&postal_code=40132"
    .. "&address=Jl.+Ganesha+No.+10%2C+RT+01%2FRW+02"
end

local function lines(name)
  local out = {}
  for line in io.lines(os.getenv("SOAK_DATA") .. "/" .. name) do
    if line ~= "" then out[#out + 1] = line end
  end
  return out
end

function init(args)
  for _, line in ipairs(lines("products")) do
    local id, slug = line:match("^(%d+) (.+)$")
    products[#products + 1] = { id = id, slug = slug }
  end
  categories = lines("categories")
  queries = lines("queries")
  local rate = tonumber(os.getenv("SOAK_THREAD_RPS") or "0")
  if rate > 0 then interval = 1 / rate end
  math.randomseed(os.time() * 1000 + (id or 0))
end

local function pick(list) return list[math.random(#list)] end

local function get(path, expect, extra)
  local step = { method = "GET", path = path, expect = expect or 200 }
  for k, v in pairs(extra or {}) do step[k] = v end
  return step
end

local function post(path, body, expect, extra)
  local step = { method = "POST", path = path, body = body, expect = expect or 303 }
  for k, v in pairs(extra or {}) do step[k] = v end
  return step
end

local sorts = { "", "?sort=newest", "?sort=price_asc", "?sort=price_desc&page=2" }
local search_extra = { "", "", "&urut=termurah", "&stok=1", "&harga=50000-100000" }

-- Queues the steps of the next visitor action.
local function next_action()
  local r = math.random(100)
  if r <= 35 then
    queue[#queue + 1] = get("/produk/" .. pick(products).slug)
  elseif r <= 60 then
    queue[#queue + 1] = get(pick(categories) .. pick(sorts))
  elseif r <= 80 then
    queue[#queue + 1] = get("/cari?q=" .. pick(queries) .. pick(search_extra))
  elseif r <= 85 then
    queue[#queue + 1] = get("/")
  elseif r <= 95 then
    cookie = nil
    local p = pick(products)
    queue[#queue + 1] = post("/keranjang", "product_id=" .. p.id .. "&quantity=1", 303,
      { added = true })
    queue[#queue + 1] = get("/keranjang", 200, { cart = true })
  else
    cookie = nil
    local p = pick(products)
    queue[#queue + 1] = post("/keranjang", "product_id=" .. p.id .. "&quantity=" .. math.random(3),
      303, { added = true })
    queue[#queue + 1] = post("/checkout", contact(), 303)
    queue[#queue + 1] = get("/checkout/kirim", 200, { shipping = true })
    -- The last step (placing the order) is built from the shipping page's form.
  end
end

function delay()
  if interval == 0 then return 0 end
  local t = now()
  if started == nil then started = t end
  local due = started + sent * interval
  if due < t - 1 then
    -- More than a second behind (a slow answer): do not burst to catch up.
    started = t - sent * interval
    due = t
  end
  return math.max(0, (due - t) * 1000)
end

function request()
  sent = sent + 1
  if current ~= nil and last_answer == "nothing" and sent == 2 then
    -- wrk calls request() once on the first thread's state to check the script, and never
    -- sends what it gets: send that step now, so no flow starts without its first step.
    local step = current
    current = nil
    table.insert(queue, 1, step)
    cookie = step.cookie
  elseif current ~= nil then
    -- wrk asks for a new request while the last one has no answer: it reconnected (the
    -- server closed the connection or a socket failed) and the last request is lost. A
    -- flow cannot go on without it; count it apart, with what was lost.
    lost = lost + 1
    if first_lost == "" then
      first_lost = current.method .. " " .. current.path .. " (cookie " .. tostring(current.cookie)
        .. "), after " .. last_answer
    end
    queue = {}
    cookie = nil
  end
  if #queue == 0 then next_action() end
  current = table.remove(queue, 1)
  current.cookie = cookie
  local headers = {}
  if cookie then headers["Cookie"] = cookie end
  if current.body then headers["Content-Type"] = "application/x-www-form-urlencoded" end
  return wrk.format(current.method, current.path, headers, current.body)
end

local function fail(why)
  flow_errors = flow_errors + 1
  if first_error == "" then first_error = why end
  queue = {}
  cookie = nil
end

function response(status, headers, body)
  local step = current
  if step == nil then return end
  current = nil
  last_answer = step.method .. " " .. step.path .. " " .. status
    .. " (connection: " .. tostring(headers["Connection"] or headers["connection"]) .. ")"
  if status ~= step.expect then
    local location = headers["Location"] or headers["location"]
    return fail(step.method .. " " .. step.path .. " answered " .. status
      .. (location and (" to " .. location) or "") .. " (cookie " .. tostring(step.cookie) .. ")")
  end
  local set_cookie = headers["Set-Cookie"] or headers["set-cookie"]
  -- Only the cart's cookie matters here (the shop also sets `etalase_jumlah`, the header
  -- badge's count, and wrk keeps one Set-Cookie per answer).
  if set_cookie and set_cookie:match("^etalase_keranjang=") then
    cookie = set_cookie:match("^([^;]+)")
  end
  if step.added then
    local location = headers["Location"] or headers["location"] or ""
    if not location:find("cart%-added") then
      return fail("cart refused: " .. location)
    end
    -- What the add-to-cart answer set, for the error line of a cart found empty next.
    added_set_cookie = tostring(set_cookie)
    carts = carts + 1
  elseif step.cart then
    if not body:find("/checkout", 1, true) then
      return fail("cart page without checkout (cookie " .. tostring(step.cookie)
        .. ", add-to-cart set " .. tostring(added_set_cookie) .. ", "
        .. #body .. " bytes, " .. select(2, body:gsub('name="product_id"', "")) .. " lines)")
    end
  elseif step.shipping then
    local key = body:match('name="kunci" value="([^"]*)"')
    if not key then return fail("shipping page without its form") end
    local form = "kunci=" .. key .. "&bayar=transfer"
    local isi = body:match('name="isi" value="([^"]*)"')
    if isi then form = form .. "&isi=" .. isi end
    local seen = {}
    for radio in body:gmatch('name="(kirim_%d+)"') do
      if not seen[radio] then
        seen[radio] = true
        form = form .. "&" .. radio .. "=jne-reg"
      end
    end
    table.insert(queue, 1, post("/checkout/kirim", form, 303, { placed = true }))
  elseif step.placed then
    local location = headers["Location"] or headers["location"] or ""
    if not location:find("^/pesanan/") then return fail("order not placed: " .. location) end
    orders = orders + 1
  end
end

function done(summary, latency, requests)
  local flow, placed, added, why, lost_total, lost_why = 0, 0, 0, "", 0, ""
  for _, t in ipairs(threads) do
    flow = flow + t:get("flow_errors")
    lost_total = lost_total + t:get("lost")
    if lost_why == "" then lost_why = t:get("first_lost") end
    placed = placed + t:get("orders")
    added = added + t:get("carts")
    if why == "" then why = t:get("first_error") end
  end
  local e = summary.errors
  io.write(string.format(
    "RESULT requests=%d duration_us=%d p50_us=%d p99_us=%d errors=%d non2xx=%d flow_errors=%d orders=%d carts=%d lost=%d\n",
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    e.connect + e.read + e.write + e.timeout, e.status, flow, placed, added, lost_total))
  if why ~= "" then io.write("FIRST_ERROR " .. why .. "\n") end
  if lost_why ~= "" then io.write("FIRST_LOST " .. lost_why .. "\n") end
end
