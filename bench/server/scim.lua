-- wrk script for bench/server/run.sh: one SCIM operation per run.
--
--   wrk ... -s scim.lua URL -- MODE BASE_PATH TOKEN IDS_FILE USER_TEMPLATE RUN_ID
--
-- MODE is one of
--   get     GET BASE_PATH/Users/{id}, a random id of IDS_FILE
--   filter  GET BASE_PATH/Users?filter=userName eq "user<N>", N random among
--           the loaded users (line N+1 of IDS_FILE is user<N>)
--   post    POST BASE_PATH/Users, USER_TEMPLATE with a userName unique to
--           this run, thread and request ("userp<RUN_ID>t<thread>c<counter>")
--   patch   PATCH BASE_PATH/Users/{id}, a random id: replace name.givenName
--           and active
-- done() prints one line "RESULT key=value ..." that run.sh reads.

local threads = {}

function setup(thread)
  table.insert(threads, thread)
  thread:set("tid", #threads)
end

local mode, base, ids, template, run_id
local read_headers, write_headers
local counter = 0

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
  local token, ids_file, template_file = args[3], args[4], args[5]
  run_id = args[6]
  ids = read_lines(ids_file)
  local f = assert(io.open(template_file, "r"))
  template = f:read("*a"):gsub("%s+$", "")
  f:close()
  read_headers = {
    ["Authorization"] = "Bearer " .. token,
    ["Accept"] = "application/scim+json",
  }
  write_headers = {
    ["Authorization"] = "Bearer " .. token,
    ["Accept"] = "application/scim+json",
    ["Content-Type"] = "application/scim+json",
  }
  math.randomseed(os.time() * 1000 + tid * 7919)
end

local function random_id()
  return ids[math.random(#ids)]
end

function request()
  if mode == "get" then
    return wrk.format("GET", base .. "/Users/" .. random_id(), read_headers)
  elseif mode == "filter" then
    local n = math.random(#ids) - 1
    local path = base .. "/Users?filter=userName%20eq%20%22user" .. n .. "%22"
    return wrk.format("GET", path, read_headers)
  elseif mode == "post" then
    counter = counter + 1
    local n = "p" .. run_id .. "t" .. tid .. "c" .. counter
    local body = template:gsub("@N@", n)
    return wrk.format("POST", base .. "/Users", write_headers, body)
  elseif mode == "patch" then
    counter = counter + 1
    local body = '{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],'
      .. '"Operations":[{"op":"replace","path":"name.givenName","value":"Patched'
      .. tid .. "-" .. counter .. '"},{"op":"replace","path":"active","value":'
      .. (counter % 2 == 0 and "true" or "false") .. "}]}"
    return wrk.format("PATCH", base .. "/Users/" .. random_id(), write_headers, body)
  elseif mode == "fixed" then
    return wrk.format("GET", base, read_headers)
  end
  error("unknown mode " .. tostring(mode))
end

function done(summary, latency, requests)
  local seconds = summary.duration / 1e6
  local e = summary.errors
  io.write(string.format(
    "RESULT requests=%d rps=%.0f p50_ms=%.2f p90_ms=%.2f p99_ms=%.2f max_ms=%.2f non2xx=%d socket_errors=%d"
      .. " (connect=%d,read=%d,write=%d,timeout=%d)\n",
    summary.requests,
    summary.requests / seconds,
    latency:percentile(50) / 1000,
    latency:percentile(90) / 1000,
    latency:percentile(99) / 1000,
    latency.max / 1000,
    e.status,
    e.connect + e.read + e.write + e.timeout,
    e.connect, e.read, e.write, e.timeout
  ))
end
