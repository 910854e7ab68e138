#!/usr/bin/env bash
# Keys sent at once to the console under tmux, as a user's terminal delivers a paste or a held key (issue 17:
# 500 `j` → row 501 on screen within 0.5 s, on 2,000 and on 1M customers).
#
#   bench/keys.sh [N]          the 2,000-customer demo, then a generated store of N contacts (default 1,000,000)
#   ROUNDS=5 bench/keys.sh     rounds per store (default 3)
#   SKIP_BUILD=1 bench/keys.sh use the release binary already built
#
# For each store: opens `roster console` in a private tmux server (120×40), waits for the first customers frame,
# sends 500 `j` in one `send-keys` call, then polls `capture-pane` until the status line shows row 501 and prints
# the time from the send to that screen (the poll adds up to ~5 ms). Then `g` back to the top for the next round.
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-1000000}
ROUNDS=${ROUNDS:-3}
command -v tmux >/dev/null || { echo "bench needs tmux: apt-get install -y tmux" >&2; exit 2; }

[ -n "${SKIP_BUILD:-}" ] || swift build -c release --product roster >/dev/null
ROSTER=$(swift build -c release --show-bin-path)/roster
WORK=$(mktemp -d /tmp/roster-keys.XXXXXX)
SOCKET=roster-keys-$$
trap 'tmux -L "$SOCKET" kill-server 2>/dev/null || true; rm -rf "$WORK"' EXIT

now() { date +%s.%N; }
elapsed_ms() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.0f", (b - a) * 1000 }'; }

# Waits (at most $2 s) until the pane shows a match of the extended regular expression $1; prints the match.
wait_for() {
    local deadline screen
    deadline=$(awk -v t="$(now)" -v s="$2" 'BEGIN { printf "%.3f", t + s }')
    while awk -v t="$(now)" -v d="$deadline" 'BEGIN { exit !(t < d) }'; do
        screen=$(tmux -L "$SOCKET" capture-pane -p -t keys)
        grep -oE -- "$1" <<<"$screen" | head -1 | grep . && return 0
        sleep 0.005
    done
    return 1
}

# measure NAME STORE: the rounds on one store.
measure() {
    local name=$1 store=$2 keys first count
    keys=$(printf 'j%.0s' $(seq 500))
    tmux -L "$SOCKET" -f /dev/null new-session -d -s keys -x 120 -y 40 \
        "env LANG=C.UTF-8 TERM=tmux-256color ROSTER_STORE=$store ROSTER_KEYFILE=$store.key $ROSTER console"
    local started
    started=$(now)
    first=$(wait_for '(^|[^0-9,])1/[0-9,]+' 120) || { echo "$name: the console never showed its first frame" >&2; exit 1; }
    count=${first#*/}
    echo "$name ($count customers): first customers frame after $(elapsed_ms "$started" "$(now)") ms (tmux)"
    for round in $(seq "$ROUNDS"); do
        local sent
        sent=$(now)
        tmux -L "$SOCKET" send-keys -t keys -l "$keys"
        if wait_for "501/$count" 10 >/dev/null; then
            echo "$name: round $round: 500 j → row 501 on screen in $(elapsed_ms "$sent" "$(now)") ms"
        else
            echo "$name: round $round: row 501 never showed; the screen:" >&2
            tmux -L "$SOCKET" capture-pane -p -t keys >&2
            exit 1
        fi
        tmux -L "$SOCKET" send-keys -t keys g
        wait_for "(^|[^0-9,])1/$count" 10 >/dev/null || { echo "$name: g did not return to row 1" >&2; exit 1; }
    done
    tmux -L "$SOCKET" send-keys -t keys q
    tmux -L "$SOCKET" kill-server 2>/dev/null || true
}

"$ROSTER" demo --contacts 2000 --store "$WORK/demo.roster" --no-console >/dev/null
measure "demo" "$WORK/demo.roster"

"$ROSTER" generate --contacts "$N" --seed 1 --out "$WORK/contacts.csv" >/dev/null
export ROSTER_STORE=$WORK/big.roster ROSTER_KEYFILE=$WORK/big.roster.key
"$ROSTER" init --region eu --app-key bench-app-key >/dev/null
"$ROSTER" import contacts "$WORK/contacts.csv" >/dev/null
rm -f "$WORK/contacts.csv"
unset ROSTER_STORE ROSTER_KEYFILE
measure "generated $N" "$WORK/big.roster"
