# Helpers of tests/cluster/run.sh (sourced): PostgreSQL as the postgres user, events with millisecond times, the
# upload client, and the figures read from nginx's access log. Issue 16.

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
now() { date +%s.%3N; }
psql_at() { local port=$1; shift; as_pg "$PG_BIN/psql" -h 127.0.0.1 -p "$port" -U postgres -d budgetperf -v ON_ERROR_STOP=1 -Atq "$@"; }

# An event of the run ("standby-killed", …) with its time, in $WORK/events.txt; `at NAME` reads it back.
event() { echo "$(now) $1" >>"$WORK/events.txt"; echo "[$(date -u +%T.%3N)] $1"; }
at() { awk -v n="$1" '$2 == n { print $1; exit }' "$WORK/events.txt"; }

# Seconds from event $1 to time $2 (or to event $2), one decimal.
since() { local to=$2; [[ $to =~ ^[0-9.]+$ ]] || to=$(at "$2"); awk -v a="$(at "$1")" -v b="$to" 'BEGIN { printf "%.1f", b - a }'; }

# Waits (up to $2 s) until the primary on port $1 has a streaming standby that has replayed everything written so far.
wait_replayed() {
    local port=$1 limit=$2
    for _ in $(seq $((limit * 5))); do
        [ "$(psql_at "$port" -c "SELECT count(*) FROM pg_stat_replication WHERE state = 'streaming' AND replay_lsn >= pg_current_wal_lsn()" 2>/dev/null)" = 1 ] && return 0
        sleep 0.2
    done
    return 1
}

# The upload client: a small 监控资金 CSV every 3 s through nginx, each naming a project of its own (CLU0001, …), until
# $WORK/stop-uploads exists. An upload is answered 202 at once (the submission queue, issue 15); the client then
# polls its status URL through nginx until the submission is finished or 90 s have passed. One line per upload in
# $WORK/uploads.txt:
#   start end http-status-of-the-POST project final-state
# An upload counts as acknowledged when its final state is "visible" (已生效): what the 数据上报 page reports as done.
upload_one() {   # $1 cookie jar, $2 year, $3 department, $4 number: one line in $WORK/uploads.txt
    local code status body start url state deadline
    code=$(printf 'CLU%04d' "$4")
    printf '年度,期间,项目编码,项目名称,主管部门编码,主管部门,资金类别,年初预算数,调整后预算数,期间执行数,结转年数\n%s,1-6月,%s,集群上报%s,%s,集群测试部门,年度资金总额,100,,50,\n' \
        "$2" "$code" "$4" "$3" >"$WORK/up/$code.csv"
    start=$(now)
    deadline=$(awk -v s="$start" 'BEGIN { printf "%.3f", s + 90 }')
    status=$(curl -s -m 30 -o "$WORK/up/$code.json" -w '%{http_code}' -b "$1" --data-binary @"$WORK/up/$code.csv" \
        -H 'Content-Type: text/csv' "http://127.0.0.1:$NGINX_PORT/upload?name=$code.csv") || status=${status:-000}
    body=$(cat "$WORK/up/$code.json" 2>/dev/null || true)
    url=$(grep -o '"statusUrl":"[^"]*"' <<<"$body" | cut -d'"' -f4 || true)
    state=$([ "$status" = 202 ] && echo queued || echo "not-accepted")
    while [ -n "$url" ] && awk -v d="$deadline" -v n="$(now)" 'BEGIN { exit !(n < d) }'; do
        body=$(curl -s -m 10 -b "$1" "http://127.0.0.1:$NGINX_PORT$url" || true)
        state=$(grep -o '"state":"[a-z]*"' <<<"$body" | head -1 | cut -d'"' -f4 || true)
        case "$state" in visible|rejected|failed) break ;; esac
        state=${state:-unknown}
        sleep 0.5
    done
    echo "$start $(now) $status $code $state" >>"$WORK/uploads.txt"
    [ "$state" = visible ]
}

upload_loop() {   # $1 cookie jar, $2 year, $3 department, $4 first number: an upload every 3 s, each followed to its end
    local i=$4
    while [ ! -f "$WORK/stop-uploads" ]; do
        upload_one "$1" "$2" "$3" "$i" &
        sleep 3
        i=$((i + 1))
    done
    wait
}

# Reads (GET) of nginx's access log ($msec $status $upstream_addr $request_time $request_method): 5xx by second
# relative to event $1.
read_errors_by_second() {
    awk -v k="$(at "$1")" '$3 == "GET" && $2 ~ /^5/ { printf "%+ds\n", int($1 - k) }' "$WORK/nginx/access.log" | sort -n | uniq -c
}
