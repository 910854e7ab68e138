#!/usr/bin/env bash
# The console's sort, frequency and memory figures at 10M customers against two 1M baselines: the same generator's
# 1M store (the same data, ten times smaller) and console-bench's synthetic 1M set (the issue's own 1M figures).
# Two console-bench builds (before and after a change) run one after the other, round after round, so that both see
# the same machine; each output starts with the time and the load average, and ends with the load average after.
#
#   bench/console10m.sh stores ROSTER            make /tmp/b10m and /tmp/b1m with a release roster (~5 GB and
#                                                ~0.5 GB on disk; generate and import take minutes each)
#   bench/console10m.sh BEFORE AFTER OUT [N]     N rounds (default 3) of both console-bench builds on the three sets,
#                                                one file per run in OUT (e.g. OUT/after-10m-2.txt)
#
# Build console-bench with `swift build -c release --product console-bench` (the product alone: a second --product
# on the same command line is the only one built). Delete /tmp/b10m and /tmp/b1m when done.
set -eu
if [ "$1" = stores ]; then
    ROSTER=$2
    for pair in "10000000 /tmp/b10m" "1000000 /tmp/b1m"; do
        set -- $pair
        rm -rf "$2" && mkdir -p "$2"
        (
            cd "$2"
            /usr/bin/time -f "generate $1: %e s, %M KiB" "$ROSTER" generate --contacts "$1" --seed 1 --out c.csv >/dev/null
            export ROSTER_STORE=$2/s.roster ROSTER_KEYFILE=$2/s.key
            "$ROSTER" init --region eu --app-key bench-app-key >/dev/null
            /usr/bin/time -f "import $1: %e s, %M KiB" "$ROSTER" import contacts c.csv >/dev/null 2>import.log
            rm -f c.csv
        )
    done
    exit 0
fi
BEFORE=$1 AFTER=$2 OUT=$3 ROUNDS=${4:-3}
mkdir -p "$OUT"
for round in $(seq 1 "$ROUNDS"); do
    for which in before after; do
        bench=$BEFORE
        [ "$which" = after ] && bench=$AFTER
        for set in 10m gen1m syn1m; do
            file=$OUT/$which-$set-$round.txt
            { date -u +%H:%M:%S; echo "loadavg before: $(cat /proc/loadavg)"; } >"$file"
            case $set in
                10m) arguments=(--store /tmp/b10m/s.roster --keyfile /tmp/b10m/s.key) ;;
                gen1m) arguments=(--store /tmp/b1m/s.roster --keyfile /tmp/b1m/s.key) ;;
                syn1m) arguments=(1000000) ;;
            esac
            nice -n 0 /usr/bin/time -f "time: %e s, maxrss %M KiB" "$bench" "${arguments[@]}" --runs 3 >>"$file" 2>&1
            echo "loadavg after: $(cat /proc/loadavg)" >>"$file"
        done
    done
done
