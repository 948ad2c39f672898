-- wrk script: POST /api/cases (anonymous resident report, routed by position, no photo).
--
-- Run with one connection per thread (wrk -tN -cN): each thread then has exactly one request in flight, so
-- request() and response() pair up, and a thread can stop cleanly after its last answer. That is what makes
-- "stored cases == 2xx answers" an exact check: at the deadline no create is abandoned half-way.
--
-- Environment (read in init):
--   LOAD_POINTS      file with one "lon lat" (WGS-84) per line, interior points of the demo grids
--   LOAD_CATEGORIES  space-separated category codes that need no photo
--   LOAD_SECONDS     stop issuing creates after this many seconds (wrk's own -d must be longer: it is the grace)
--   LOAD_LABEL       a word for the summary line (warmup, measure)
--   LOAD_JSON_OUT    file the merged summary is written to as key=value lines (read by run-load.sh)
local ffi = require("ffi")
ffi.cdef [[
  typedef struct { long tv_sec; long tv_nsec; } cg_timespec;
  int clock_gettime(int clk_id, cg_timespec *tp);
]]
local ts = ffi.new("cg_timespec")
local function now_us()
  ffi.C.clock_gettime(1, ts) -- CLOCK_MONOTONIC, same clock in every thread
  return tonumber(ts.tv_sec) * 1000000 + math.floor(tonumber(ts.tv_nsec) / 1000)
end

local threads = {}
local thread_count = 0

function setup(thread)
  thread_count = thread_count + 1
  thread:set("thread_index", thread_count)
  table.insert(threads, thread)
end

-- per-thread state (each thread has its own Lua environment)
local points, categories = {}, {}
local next_point, next_category, sent = 1, 1, 0
local deadline_us, stopping = 0, false
statuses = {}       -- status code -> count, read by done()
first_us, last_us = 0, 0
sent_total, answered = 0, 0

function init(args)
  local file = assert(io.open(os.getenv("LOAD_POINTS"), "r"))
  for line in file:lines() do
    local lon, lat = line:match("^(%S+)%s+(%S+)")
    if lon then table.insert(points, { lon, lat }) end
  end
  file:close()
  assert(#points > 0, "no points in LOAD_POINTS")
  for code in (os.getenv("LOAD_CATEGORIES") or ""):gmatch("%S+") do table.insert(categories, code) end
  assert(#categories > 0, "no categories in LOAD_CATEGORIES")
  -- Threads start at different points and walk with a prime stride, so consecutive requests hit different grids.
  local index = tonumber(thread_index) or 1
  next_point = ((index - 1) * 97) % #points + 1
  next_category = (index - 1) % #categories + 1
  deadline_us = now_us() + tonumber(os.getenv("LOAD_SECONDS") or "30") * 1000000
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/json"
  wrk.headers["Accept"] = "application/json"
end

-- wrk calls request() once more on the first thread to inspect the script before the run, so that thread's
-- "sent" counts one request that never goes out; "answered" and the 2xx count are the figures to trust.
function request()
  local p = points[next_point]
  next_point = (next_point + 31 - 1) % #points + 1
  local category = categories[next_category]
  next_category = next_category % #categories + 1
  sent = sent + 1
  sent_total = sent
  if first_us == 0 then first_us = now_us() end
  -- Every property is sent, null when unused, as a form-filling client does (absent ones are accepted too).
  local body = string.format(
    '{"categoryCode":"%s","title":null,"description":"压测上报 %d-%d：楼道堆放杂物，影响通行。","lon":"%s","lat":"%s",' ..
    '"crs":"wgs84","accuracy":null,"building":null,"compound":null,"address":null,"phone":null,"callerName":null}',
    category, thread_index or 0, sent, p[1], p[2])
  return wrk.format("POST", "/api/cases", nil, body)
end

function response(status, headers, body)
  answered = answered + 1
  statuses[status] = (statuses[status] or 0) + 1
  local t = now_us()
  last_us = t
  if t >= deadline_us and not stopping then
    -- This thread's only connection has no request in flight now: stop before request() sends another.
    stopping = true
    wrk.thread:stop()
  end
end

function done(summary, latency, requests)
  local merged, total_sent, total_answered = {}, 0, 0
  local first, last = nil, 0
  for _, thread in ipairs(threads) do
    for code, n in pairs(thread:get("statuses")) do merged[code] = (merged[code] or 0) + n end
    total_sent = total_sent + thread:get("sent_total")
    total_answered = total_answered + thread:get("answered")
    local f, l = thread:get("first_us"), thread:get("last_us")
    if f > 0 and (first == nil or f < first) then first = f end
    if l > last then last = l end
  end
  local ok, non2xx, lines = 0, 0, {}
  for code, n in pairs(merged) do
    if code >= 200 and code < 300 then ok = ok + n else non2xx = non2xx + n end
  end
  local codes = {}
  for code, _ in pairs(merged) do table.insert(codes, code) end
  table.sort(codes)
  local by_status = {}
  for _, code in ipairs(codes) do table.insert(by_status, code .. ":" .. merged[code]) end
  local window_s = first and (last - first) / 1000000 or 0
  local e = summary.errors
  local out = {
    "label=" .. (os.getenv("LOAD_LABEL") or "load"),
    "threads=" .. #threads,
    "sent=" .. total_sent,
    "answered=" .. total_answered,
    "ok2xx=" .. ok,
    "non2xx=" .. non2xx,
    "by_status=" .. table.concat(by_status, ","),
    "window_s=" .. string.format("%.3f", window_s),
    "rate=" .. string.format("%.1f", window_s > 0 and ok / window_s or 0),
    "p50_ms=" .. string.format("%.2f", latency:percentile(50) / 1000),
    "p90_ms=" .. string.format("%.2f", latency:percentile(90) / 1000),
    "p99_ms=" .. string.format("%.2f", latency:percentile(99) / 1000),
    "max_ms=" .. string.format("%.2f", latency.max / 1000),
    "mean_ms=" .. string.format("%.2f", latency.mean / 1000),
    "socket_errors=" .. string.format("connect:%d,read:%d,write:%d,timeout:%d", e.connect, e.read, e.write, e.timeout),
    "wrk_requests=" .. summary.requests,
  }
  local path = os.getenv("LOAD_JSON_OUT")
  if path then
    local f = assert(io.open(path, "w"))
    f:write(table.concat(out, "\n"), "\n")
    f:close()
  end
  io.write(table.concat(out, "  "), "\n")
end
