#!/usr/bin/env bash
# The sync server's throughput on loopback, with wrk (Debian's package), as ratios against its own /health.
#
#   bench/serve.sh [CONTACTS] [SECONDS]     (defaults: 100000 contacts, 10 s per endpoint, 32 connections)
#   BUILD=debug bench/serve.sh …            (the debug binary, when a release build is not at hand)
#   READERS="0 4" bench/serve.sh …          (one server per value of --read-connections, measured in turn on the
#                                            same store: 0 answers every read on the store thread, as before the pool)
#   SERVE_FLAGS=--prepare-writes bench/serve.sh …   (more flags for `roster serve`)
#   ROSTER=/path/to/roster bench/serve.sh …          (that binary, not a build of this checkout)
#
# Builds roster (release), makes a store of CONTACTS generated customers with one registered device, starts
# `roster serve` on a free port and measures GET /health, GET /v1/device and PUT /v2/customer/field (each
# request a different customer, so every write is a real change through group commit). Prints each
# endpoint's requests/s and latency percentiles, and the ratios the sync-API issue sets:
# GET /v1/device >= 0.5x /health with p99 <= 10 ms; PUT field >= 0.25x /health with p99 <= 25 ms.
set -euo pipefail
cd "$(dirname "$0")/.."
contacts=${1:-100000}
seconds=${2:-10}
connections=32

command -v wrk >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk; }
build=${BUILD:-release}
if [ -n "${ROSTER:-}" ]; then
    roster=$ROSTER # a binary built elsewhere (another commit, for a before/after in one sitting)
    build="given: $ROSTER"
else
    swift build -c "$build" --product roster >/dev/null
    roster=$PWD/.build/$build/roster
fi

work=$(mktemp -d)
server=
cleanup() {
    [ -n "$server" ] && kill "$server" 2>/dev/null && wait "$server" 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT
export ROSTER_STORE=$work/store.roster ROSTER_KEYFILE=$work/store.key
"$roster" init --region eu --time-zone Europe/Madrid >/dev/null
"$roster" generate --contacts "$contacts" --out "$work/contacts.csv" >/dev/null
"$roster" import contacts "$work/contacts.csv" >/dev/null
rm -f "$work/contacts.csv"
device=777ded1c-0000-4000-8000-00000000bench
"$roster" device register --platform webpush --device-id "$device" >/dev/null
key=$("$roster" key create --name bench --role write)

start_server() { # --read-connections value
    "$roster" serve --listen 127.0.0.1:0 --log-level warning --read-connections "$1" ${SERVE_FLAGS:-} >"$work/serve.out" 2>"$work/serve.log" &
    server=$!
    until grep -q "listening on" "$work/serve.out" 2>/dev/null; do
        kill -0 "$server" 2>/dev/null || { cat "$work/serve.log" >&2; exit 1; }
        sleep 0.1
    done
    port=$(sed -n 's/.*127\.0\.0\.1:\([0-9]*\).*/\1/p' "$work/serve.out" | head -1)
    base=http://127.0.0.1:$port
}

stop_server() {
    kill "$server" && wait "$server" || true
    server=
    rm -f "$work/serve.out"
}

# Every request a customer no request wrote before: wrk's threads each run this script with the same random
# sequence, so the ID is made of the run's start, the thread's number and a counter.
cat >"$work/put.lua" <<LUA
local threads = 0
function setup(thread)
    threads = threads + 1
    thread:set("tid", threads)
end
local counter = 0
local prefix
function init(args)
    prefix = "bench-" .. os.time() .. "-" .. tostring(tid) .. "-"
end
request = function()
    counter = counter + 1
    return wrk.format("PUT", "/v2/customer/field?customerId=" .. prefix .. counter,
        {["Authorization"] = "Bearer $key", ["Content-Type"] = "application/json"},
        '{"city":"Lugo","score":' .. counter .. '}')
end
LUA

measure() { # name, then wrk arguments: prints "name rps p50 p99" (ms)
    local name=$1
    shift
    local out
    out=$(wrk -t2 -c"$connections" -d"${seconds}s" --latency "$@")
    local rps p50 p99 errors
    rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
    p50=$(awk '$1 == "50%" {print $2}' <<<"$out")
    p99=$(awk '$1 == "99%" {print $2}' <<<"$out")
    errors=$(awk '/Non-2xx/ {print $5}' <<<"$out")
    echo "$name $rps $p50 $p99 ${errors:-0}"
}

for readers in ${READERS:-4}; do
    start_server "$readers"
    health=$(measure health "$base/health")
    device_get=$(measure device -H "Authorization: Bearer $key" "$base/v1/device?deviceId=$device")
    field_put=$(measure put -s "$work/put.lua" "$base")

    echo "roster serve ($build build, --read-connections $readers ${SERVE_FLAGS:-}) on loopback: $contacts customers, $connections connections, ${seconds}s per endpoint, $(nproc) cores"
    printf '%-28s %12s %10s %10s %8s\n' endpoint "requests/s" p50 p99 non-2xx
    for line in "$health" "$device_get" "$field_put"; do
        read -r name rps p50 p99 errors <<<"$line"
        case $name in
            health) label="GET /health" ;;
            device) label="GET /v1/device" ;;
            put) label="PUT /v2/customer/field" ;;
        esac
        printf '%-28s %12s %10s %10s %8s\n' "$label" "$rps" "$p50" "$p99" "$errors"
    done
    read -r _ health_rps _ _ _ <<<"$health"
    read -r _ device_rps _ _ _ <<<"$device_get"
    read -r _ put_rps _ _ _ <<<"$field_put"
    awk -v h="$health_rps" -v d="$device_rps" -v p="$put_rps" 'BEGIN {
        printf "GET /v1/device / GET /health: %.2fx (target >= 0.5x)\n", d / h
        printf "PUT /v2/customer/field / GET /health: %.2fx (target >= 0.25x)\n", p / h
    }'
    curl -s "$base/metrics" | grep -E '^roster_(commit(s_total|_batch_changes_(sum|count)|_duration_seconds_sum)|prepared_writes_total)' || true
    stop_server
done
