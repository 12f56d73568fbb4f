-- wrk script for `ops/bench http`: GET /v1/lookup?phone=P with a bearer token, P picked at
-- random per request from a file of phones (one a line).
-- Env: BENCH_WRK_PHONES (file of phones), BENCH_WRK_TOKEN (bearer token).
-- Usage: BENCH_WRK_PHONES=phones.txt BENCH_WRK_TOKEN=T wrk -t2 -c8 -d10s --latency \
--          -s ops/bench-wrk.lua http://127.0.0.1:PORT

local phones = {}

local function load(path)
    local file = assert(io.open(path, "r"), "cannot open phones file " .. tostring(path))
    for line in file:lines() do
        local phone = line:match("^%s*(.-)%s*$")
        if phone ~= "" then phones[#phones + 1] = phone end
    end
    file:close()
    assert(#phones > 0, "no phones in " .. path)
end

-- Runs in each wrk thread (each has its own Lua state).
function init(_)
    load(assert(os.getenv("BENCH_WRK_PHONES"), "BENCH_WRK_PHONES is not set"))
    wrk.headers["Authorization"] = "Bearer " .. assert(os.getenv("BENCH_WRK_TOKEN"), "BENCH_WRK_TOKEN is not set")
    wrk.headers["Accept"] = "application/json"
    -- Different threads, different sequences.
    math.randomseed(os.time() + tonumber(tostring({}):match("0x(%x+)") or "0", 16) % 100003)
end

function request()
    -- Phones are digits (maybe a leading +): percent-encode anything else to be safe.
    local phone = phones[math.random(#phones)]:gsub("[^%w%-%._~]", function(c)
        return string.format("%%%02X", string.byte(c))
    end)
    return wrk.format("GET", "/v1/lookup?phone=" .. phone)
end
