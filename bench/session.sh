#!/usr/bin/env bash
# The real console on an existing store, under tmux: the time from launch to the first customers frame, the RSS once
# the background preparation of every field has had time to finish, then a search, a sort and a frequency table,
# and the peak RSS of the whole process (`/usr/bin/time -f %M`).
#
#   bench/session.sh STORE KEYFILE     (release build; SETTLE=20 seconds before the search by default)
set -u
cd "$(dirname "$0")/.."
STORE=$1 KEY=$2
ROSTER=$(swift build -c release --show-bin-path)/roster
SOCKET=roster-session-$$
OUT=$(mktemp /tmp/roster-session.XXXXXX)
trap 'tmux -L "$SOCKET" kill-server 2>/dev/null; rm -f "$OUT"' EXIT
now() { date +%s.%N; }
screen() { tmux -L "$SOCKET" capture-pane -p -t c; }
start=$(now)
tmux -L "$SOCKET" -f /dev/null new-session -d -s c -x 120 -y 40 \
    "env LANG=C.UTF-8 TERM=tmux-256color ROSTER_STORE=$STORE ROSTER_KEYFILE=$KEY /usr/bin/time -f '%M' -o $OUT $ROSTER console"
until screen | grep -qE '(^|[^0-9,])1/[0-9,]+ '; do sleep 0.01; done
echo "launch → first customers frame: $(awk -v a="$start" -v b="$(now)" 'BEGIN { printf "%.0f", (b - a) * 1000 }') ms"
sleep "${SETTLE:-20}"
echo "RSS with every field prepared: $(( $(ps -o rss= -C roster | sort -n | tail -1) / 1024 )) MiB"
tmux -L "$SOCKET" send-keys -t c / m a r i a Enter
sleep 10
screen | tail -1
tmux -L "$SOCKET" send-keys -t c Escape l l l '['
sleep 15
screen | sed -n 2p
tmux -L "$SOCKET" send-keys -t c F
sleep 10
screen | head -1
tmux -L "$SOCKET" send-keys -t c Escape Escape q
while [ ! -s "$OUT" ]; do sleep 0.1; done
echo "peak RSS of the session: $(( $(cat "$OUT") / 1024 )) MiB"
