-- wrk script: every request a new FIR registration, unique across threads.
-- The body template comes from the environment (ICJS_WRK_BODY: a file with @SERIAL@ and @YEAR@).
local counter = 0
local threads = {}
local template

function setup(thread)
  thread:set("thread_no", #threads)
  table.insert(threads, thread)
end

function init(args)
  local f = assert(io.open(os.getenv("ICJS_WRK_BODY"), "r"))
  template = f:read("*a")
  f:close()
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/json"
  wrk.headers["Authorization"] = "Bearer " .. os.getenv("ICJS_WRK_KEY")
end

function request()
  counter = counter + 1
  -- serials 1..999999 per year; each thread owns its own span of years
  local serial = counter % 999999 + 1
  local year = 2026 - thread_no * 8 - math.floor(counter / 999999)
  local body = template:gsub("@SERIAL@", string.format("%04d", serial)):gsub("@YEAR@", tostring(year))
  return wrk.format(nil, nil, nil, body)
end


function done(summary, latency, requests)
  io.write(string.format("WRK_JSON {\"requests\": %d, \"duration_us\": %d, \"p50_us\": %d, \"p90_us\": %d, \"p99_us\": %d, \"errors_status\": %d, \"errors_connect\": %d, \"errors_read\": %d, \"errors_write\": %d, \"errors_timeout\": %d}\n",
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(90), latency:percentile(99),
    summary.errors.status, summary.errors.connect, summary.errors.read, summary.errors.write, summary.errors.timeout))
end
