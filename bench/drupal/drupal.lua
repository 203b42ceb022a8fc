-- wrk script for bench/drupal/run.sh: one SCIM operation per run against a
-- Drupal site, and the split of the Server-Timing header.
--
--   wrk ... -s drupal.lua URL -- MODE BASE_PATH TOKEN IDS NAMES TEMPLATE PREFIX RUN_ID
--
-- MODE is one of
--   filter  GET BASE_PATH/Users?filter=userName eq "<name>", a random name of
--           NAMES (users that exist)
--   post    POST BASE_PATH/Users, TEMPLATE (@P@ the PREFIX, @N@ a number)
--           with a userName unique to this run, thread and request
--   patch   PATCH BASE_PATH/Users/{id}, a random id of IDS: replace
--           name.givenName and active (true and false in turn, as identity
--           providers deactivate users)
-- done() prints one line "RESULT key=value ..." that run.sh reads: wrk's
-- figures, and the mean of each Server-Timing phase over the responses that
-- carried the header.

local threads = {}

function setup(thread)
  table.insert(threads, thread)
  thread:set("tid", #threads)
end

local mode, base, ids, names, template, run_id
local read_headers, write_headers
local counter = 0
local phases = { "total", "scim", "store", "entity", "log" }
timed = 0
spent = {}

local function read_lines(path)
  local lines = {}
  for line in io.lines(path) do
    if line ~= "" then
      lines[#lines + 1] = line
    end
  end
  return lines
end

function init(args)
  mode, base = args[1], args[2]
  local token = args[3]
  ids = read_lines(args[4])
  names = read_lines(args[5])
  local f = assert(io.open(args[6], "r"))
  template = f:read("*a"):gsub("%s+$", "")
  f:close()
  local prefix = args[7]:gsub("%%", "%%%%")
  template = template:gsub("@P@", prefix)
  run_id = args[8]
  read_headers = {
    ["Authorization"] = "Bearer " .. token,
    ["Accept"] = "application/scim+json",
  }
  write_headers = {
    ["Authorization"] = "Bearer " .. token,
    ["Accept"] = "application/scim+json",
    ["Content-Type"] = "application/scim+json",
  }
  for _, phase in ipairs(phases) do
    spent[phase] = 0
  end
  math.randomseed(os.time() * 1000 + tid * 7919)
end

local function escape(text)
  return (text:gsub("[^%w%-%._~]", function(c)
    return string.format("%%%02X", string.byte(c))
  end))
end

function request()
  counter = counter + 1
  if mode == "filter" then
    local name = names[math.random(#names)]
    local path = base .. "/Users?filter=" .. escape('userName eq "' .. name .. '"')
    return wrk.format("GET", path, read_headers)
  elseif mode == "post" then
    local n = "w" .. run_id .. "t" .. tid .. "c" .. counter
    return wrk.format("POST", base .. "/Users", write_headers, (template:gsub("@N@", n)))
  elseif mode == "patch" then
    local body = '{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],'
      .. '"Operations":[{"op":"replace","path":"name.givenName","value":"Patched'
      .. tid .. "-" .. counter .. '"},{"op":"replace","path":"active","value":'
      .. (counter % 2 == 0 and "true" or "false") .. "}]}"
    return wrk.format("PATCH", base .. "/Users/" .. ids[math.random(#ids)], write_headers, body)
  end
  error("unknown mode " .. tostring(mode))
end

function response(status, headers, body)
  local header = headers["Server-Timing"] or headers["server-timing"]
  if header == nil then
    return
  end
  timed = timed + 1
  for name, duration in header:gmatch("(%a+);dur=([%d%.]+)") do
    if spent[name] ~= nil then
      spent[name] = spent[name] + tonumber(duration)
    end
  end
end

function done(summary, latency, requests)
  local seconds = summary.duration / 1e6
  local e = summary.errors
  local line = string.format(
    "RESULT requests=%d rps=%.1f mean_ms=%.2f p50_ms=%.2f p99_ms=%.2f max_ms=%.2f non2xx=%d socket_errors=%d",
    summary.requests,
    summary.requests / seconds,
    latency.mean / 1000,
    latency:percentile(50) / 1000,
    latency:percentile(99) / 1000,
    latency.max / 1000,
    e.status,
    e.connect + e.read + e.write + e.timeout
  )
  local count, sums = 0, {}
  for _, thread in ipairs(threads) do
    count = count + thread:get("timed")
    local their = thread:get("spent")
    for _, phase in ipairs(phases) do
      sums[phase] = (sums[phase] or 0) + (their[phase] or 0)
    end
  end
  line = line .. string.format(" timed=%d", count)
  for _, phase in ipairs(phases) do
    line = line .. string.format(" %s_ms=%s", phase, count > 0 and string.format("%.2f", sums[phase] / count) or "-")
  end
  io.write(line .. "\n")
end
