-- wrk script of bench/scale.sh: visitors on one connection per thread (a thread follows its
-- cart through checkout), one wrk process per web instance. Each visitor action is
--
--   80% browsing: product page 50, category listing 25, home page 5
--   15% search
--    5% a whole order through the real forms: add to cart, contact and address, the shipping
--       page, the review step (POST /checkout/tinjau with the shipping page's choices), then
--       placing the order with the review page's hidden fields (its idempotency key `kunci`)
--
-- Files in SCALE_DATA: products (id and slug per line), categories (paths), queries.
-- SCALE_THREAD_RPS paces each thread (0, the default: as fast as it goes).
-- A step whose answer is not what a buyer's browser would get counts as a flow error; a
-- request wrk had to send again on a new connection counts as lost. done() prints a RESULT
-- line and a LATENCY line (the latency at every 0.1 percentile, to merge two wrk runs).

local ffi = require("ffi")
ffi.cdef [[
  typedef struct { long tv_sec; long tv_nsec; } scale_timespec;
  int clock_gettime(int clock_id, scale_timespec *tp);
]]
local ts = ffi.new("scale_timespec")
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
flow_errors, orders, first_error = 0, 0, ""
lost, first_lost, last_answer = 0, "", "nothing"

local function urlencode(s)
  return (tostring(s):gsub("[^%w%-%._~]", function(c) return string.format("%%%02X", string.byte(c)) end))
end

-- Every order comes from another buyer (own email and WhatsApp number), as in a real shop.
local function contact()
  local n = math.random(10000000, 99999999)
  return "name=Siti+Rahmawati&email=pembeli" .. n .. "%40contoh.id&phone=0812" .. n
    .. "&province_id=11&city=Kota+Bandung&district=Coblong&postal_code=40132"
    .. "&address=Jl.+Ganesha+No.+10%2C+RT+01%2FRW+02"
end

local function lines(name)
  local out = {}
  for line in io.lines(os.getenv("SCALE_DATA") .. "/" .. name) do
    if line ~= "" then out[#out + 1] = line end
  end
  return out
end

function init(args)
  for _, line in ipairs(lines("products")) do
    local pid, slug = line:match("^(%d+) (.+)$")
    products[#products + 1] = { id = pid, slug = slug }
  end
  categories = lines("categories")
  queries = lines("queries")
  local rate = tonumber(os.getenv("SCALE_THREAD_RPS") or "0")
  if rate > 0 then interval = 1 / rate end
  math.randomseed(os.time() * 1000 + (id or 0) * 7919 + math.floor((now() % 1) * 1e6))
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

local function next_action()
  local r = math.random(100)
  if r <= 50 then
    queue[#queue + 1] = get("/produk/" .. pick(products).slug)
  elseif r <= 75 then
    queue[#queue + 1] = get(pick(categories) .. pick(sorts))
  elseif r <= 80 then
    queue[#queue + 1] = get("/")
  elseif r <= 95 then
    queue[#queue + 1] = get("/cari?q=" .. pick(queries) .. pick(search_extra))
  else
    cookie = nil
    local p = pick(products)
    queue[#queue + 1] = post("/keranjang", "product_id=" .. p.id .. "&quantity=" .. math.random(3),
      303, { added = true })
    queue[#queue + 1] = post("/checkout", contact(), 303)
    queue[#queue + 1] = get("/checkout/kirim", 200, { shipping = true })
    -- The review and placing steps are built from the pages' forms.
  end
end

function delay()
  if interval == 0 then return 0 end
  local t = now()
  if started == nil then started = t end
  local due = started + sent * interval
  if due < t - 1 then
    started = t - sent * interval
    due = t
  end
  return math.max(0, (due - t) * 1000)
end

function request()
  sent = sent + 1
  if current ~= nil and last_answer == "nothing" and sent == 2 then
    -- wrk calls request() once on the first thread's state to check the script and never
    -- sends what it gets: send that step now.
    local step = current
    current = nil
    table.insert(queue, 1, step)
    cookie = step.cookie
  elseif current ~= nil then
    -- A new request while the last has no answer: wrk reconnected and the last is lost.
    lost = lost + 1
    if first_lost == "" then
      first_lost = current.method .. " " .. current.path .. ", after " .. last_answer
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
  if status ~= step.expect then
    local location = headers["Location"] or headers["location"]
    return fail(step.method .. " " .. step.path .. " answered " .. status
      .. (location and (" to " .. location) or ""))
  end
  local set_cookie = headers["Set-Cookie"] or headers["set-cookie"]
  if set_cookie and set_cookie:match("^etalase_keranjang=") then
    cookie = set_cookie:match("^([^;]+)")
  end
  if step.added then
    local location = headers["Location"] or headers["location"] or ""
    if not location:find("cart%-added") then return fail("cart refused: " .. location) end
    if cookie == nil then return fail("add to cart set no cart cookie") end
  elseif step.shipping then
    -- The shipping page's form, as a browser submits it: its hidden fields, the checked
    -- option of each parcel and of the payment (bank transfer).
    local key = body:match('name="kunci" value="([^"]*)"')
    if not key then return fail("shipping page without its form") end
    local form = "kunci=" .. urlencode(key) .. "&bayar=transfer"
    local isi = body:match('name="isi" value="([^"]*)"')
    if isi then form = form .. "&isi=" .. urlencode(isi) end
    for radio, value in body:gmatch('name="(kirim_%d+)" value="([^"]*)" checked') do
      form = form .. "&" .. radio .. "=" .. urlencode(value)
    end
    table.insert(queue, 1, post("/checkout/tinjau", form, 200, { review = true }))
  elseif step.review then
    -- The review page's form: every hidden field, posted to /checkout/kirim.
    local at = body:find('action="/checkout/kirim"', 1, true)
    if not at then return fail("review page without the place-order form") end
    local section = body:sub(at)
    local stop = section:find("</form>", 1, true)
    if stop then section = section:sub(1, stop) end
    local form, n = {}, 0
    for name, value in section:gmatch('<input type="hidden" name="([^"]+)" value="([^"]*)">') do
      form[#form + 1] = name .. "=" .. urlencode(value)
      n = n + 1
    end
    if n < 4 then return fail("review form has " .. n .. " fields") end
    table.insert(queue, 1, post("/checkout/kirim", table.concat(form, "&"), 303, { placed = true }))
  elseif step.placed then
    local location = headers["Location"] or headers["location"] or ""
    if not location:find("^/pesanan/") then return fail("order not placed: " .. location) end
    orders = orders + 1
  end
end

function done(summary, latency, requests)
  local flow, placed, why, lost_total, lost_why = 0, 0, "", 0, ""
  for _, t in ipairs(threads) do
    flow = flow + t:get("flow_errors")
    lost_total = lost_total + t:get("lost")
    if lost_why == "" then lost_why = t:get("first_lost") end
    placed = placed + t:get("orders")
    if why == "" then why = t:get("first_error") end
  end
  local e = summary.errors
  io.write(string.format(
    "RESULT requests=%d duration_us=%d p50_us=%d p99_us=%d errors=%d non2xx=%d flow_errors=%d orders=%d lost=%d\n",
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    e.connect + e.read + e.write + e.timeout, e.status, flow, placed, lost_total))
  local points = {}
  for i = 1, 1000 do points[i] = tostring(latency:percentile((i - 0.5) / 10)) end
  io.write("LATENCY " .. table.concat(points, " ") .. "\n")
  if why ~= "" then io.write("FIRST_ERROR " .. why .. "\n") end
  if lost_why ~= "" then io.write("FIRST_LOST " .. lost_why .. "\n") end
end
