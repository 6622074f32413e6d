-- wrk script: each connection is a client that waits for its page, then thinks
-- for an exponentially distributed time (mean THINK_MS) before the next
-- request, so the 20 clients do not march in step. wrk's latency figures
-- count from sending a request to its answer, without the think time.
local mean = tonumber(os.getenv("THINK_MS") or "100")
local seeds = 0

function setup(thread)
  seeds = seeds + 1
  thread:set("seed", seeds * 7919 + os.time())
end

function init(args)
  math.randomseed(seed)
end

function delay()
  return math.floor(-mean * math.log(1 - math.random()))
end
