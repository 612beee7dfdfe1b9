-- The requests of `make loadtest` (scripts/loadtest.py), one connection per thread or several.
-- Anonymous visitors GET a path picked at random from a list, with a seed fixed per thread, and
-- ask for compression as a browser does; each request comes from one of a thousand client
-- addresses, as a proxy in front would say in X-Forwarded-For (the servers trust one proxy), so
-- that the API counts its limit per visitor as it would for a crowd, not for a single address.
-- In the mixed phase, run with one connection a thread, the first threads are focal points
-- instead, signed in, each opening and saving its own draft action again and again.
-- Arguments after `--`: the file of paths (one a line), the file of accounts (action number and
-- Cookie header, tab-separated, one a line; empty for anonymous visitors only), the
-- recommendation the drafts answer, the seed.
local threads = {}

function setup(thread)
   table.insert(threads, thread)
   thread:set("number", #threads)
end

function init(args)
   paths = {}
   for line in io.lines(args[1]) do
      paths[#paths + 1] = line
   end
   local accounts = {}
   for line in io.lines(args[2]) do
      local action, cookie = line:match("^(%d+)\t(.+)$")
      accounts[#accounts + 1] = {action = action, cookie = cookie}
   end
   recommendation = args[3]
   math.randomseed(tonumber(args[4]) + number)
   account = accounts[number]
   attempted, saved, conflicts, failed = 0, 0, 0, 0
   expecting, form = nil, nil
   if #accounts == 0 then
      -- wrk reads the answers' bodies only for a script that wants them.
      response = nil
   end
end

local function encode(value)
   return (value:gsub("[^%w%-%._~]", function(c) return string.format("%%%02X", string.byte(c)) end))
end

function request()
   if not account then
      return wrk.format("GET", paths[math.random(#paths)], {
         ["Accept-Encoding"] = "gzip, br",
         ["X-Forwarded-For"] = "10.0." .. math.random(0, 3) .. "." .. math.random(1, 250),
      })
   end
   local url = "/my/actions/" .. account.action .. "/edit/"
   if form then
      local body = table.concat({
         "csrfmiddlewaretoken=" .. encode(form.token),
         "version=" .. form.version,
         "recommendations=" .. recommendation,
         "title=" .. encode("Load-test action of focal point " .. number),
         "status=in_progress",
         "status_as_of=2006-06-01",
         "status_source=" .. encode("National report, load test"),
      }, "&")
      form, expecting = nil, "save"
      attempted = attempted + 1
      return wrk.format("POST", url, {
         ["Cookie"] = account.cookie,
         ["Content-Type"] = "application/x-www-form-urlencoded",
      }, body)
   end
   expecting = "form"
   return wrk.format("GET", url, {["Cookie"] = account.cookie})
end

function response(status, headers, body)
   if expecting == "form" then
      local token = body:match('name="csrfmiddlewaretoken" value="([^"]+)"')
      local version = body:match('name="version" value="(%d+)"')
      if token and version then
         form = {token = token, version = version}
      else
         failed = failed + 1
      end
   elseif expecting == "save" then
      if status == 302 then
         saved = saved + 1
      elseif status == 409 then
         conflicts = conflicts + 1
      else
         failed = failed + 1
      end
   end
   expecting = nil
end

-- Two lines that loadtest.py reads: counts, the test's length and latencies in microseconds,
-- then the edits summed over the threads.
function done(summary, latency, requests)
   local errors = summary.errors
   io.write(string.format(
      "loadtest requests=%d duration_us=%d p50_us=%d p95_us=%d connect=%d read=%d write=%d status=%d timeout=%d\n",
      summary.requests, summary.duration, latency:percentile(50), latency:percentile(95),
      errors.connect, errors.read, errors.write, errors.status, errors.timeout))
   local edits = {attempted = 0, saved = 0, conflicts = 0, failed = 0}
   for _, thread in ipairs(threads) do
      for name, count in pairs(edits) do
         edits[name] = count + thread:get(name)
      end
   end
   io.write(string.format("loadtest-edits attempted=%d saved=%d conflicts=%d failed=%d\n",
      edits.attempted, edits.saved, edits.conflicts, edits.failed))
end
