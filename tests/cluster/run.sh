#!/usr/bin/env bash
# Issue 16 on one machine, all on loopback: a PostgreSQL primary and a streaming standby (pg_basebackup -R), two
# dashboard instances on the multi-host --db, and nginx (deploy/nginx) in front. Checks that a session signed in
# through nginx works on both instances, then drives a bounded read load through nginx with wrk, kills the standby
# half-way (reads fall back to the primary), and prints requests served, errors and which instance served them.
#
#   tests/cluster/run.sh            # BUDGETPERF_CLUSTER_SECONDS=20 (load duration), BUDGETPERF_CONFIGURATION=Debug|Release
#
# Needs: PostgreSQL 15 binaries (/usr/lib/postgresql/15/bin), nginx, wrk, curl; runs the servers as the postgres user
# when started as root. Everything it starts is stopped on exit, its folder under /tmp deleted.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
ROOT=$PWD
PG_BIN=${BUDGETPERF_PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)}
CONFIG=${BUDGETPERF_CONFIGURATION:-Debug}
SECONDS_OF_LOAD=${BUDGETPERF_CLUSTER_SECONDS:-20}
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

WORK=$(mktemp -d /tmp/budgetperf-cluster.XXXXXX)
chmod 755 "$WORK"
[ "$(id -u)" = 0 ] && chown postgres:postgres "$WORK"
PIDS=()
cleanup() {
    set +e
    mkdir -p /tmp/budgetperf-cluster-last && cp "$WORK"/*.log "$WORK"/nginx/*.log "$WORK"/wrk.txt /tmp/budgetperf-cluster-last/ 2>/dev/null
    [ -f "$WORK/nginx/nginx.pid" ] && nginx -p "$WORK/nginx" -c "$WORK/nginx/nginx.conf" -s stop 2>/dev/null
    for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; done
    for d in primary standby; do [ -f "$WORK/$d/postmaster.pid" ] && as_pg "$PG_BIN/pg_ctl" -D "$WORK/$d" -m immediate -w stop >/dev/null; done
    rm -rf "$WORK"
}
trap cleanup EXIT

DLL=$ROOT/dashboard/Cli/bin/$CONFIG/net10.0/budgetperf.dll
[ -f "$DLL" ] || dotnet build "$ROOT/dashboard/Cli/BudgetPerf.Cli.csproj" -c "$CONFIG" -v quiet -nologo
budgetperf() { dotnet "$DLL" "$@"; }

echo "== PostgreSQL primary and streaming standby"
P1=$(free_port); P2=$(free_port)
as_pg "$PG_BIN/initdb" -D "$WORK/primary" -U postgres --auth=trust -E UTF8 --no-locale --no-sync --no-instructions >/dev/null
OPTS="-c listen_addresses=127.0.0.1 -k $WORK -c max_connections=200"
as_pg "$PG_BIN/pg_ctl" -D "$WORK/primary" -l "$WORK/primary.log" -o "-p $P1 $OPTS" -w start >/dev/null
as_pg "$PG_BIN/psql" -h 127.0.0.1 -p "$P1" -U postgres -qc "CREATE DATABASE budgetperf"
as_pg "$PG_BIN/pg_basebackup" -h 127.0.0.1 -p "$P1" -U postgres -D "$WORK/standby" -R -X stream --checkpoint=fast
as_pg "$PG_BIN/pg_ctl" -D "$WORK/standby" -l "$WORK/standby.log" -o "-p $P2 $OPTS" -w start >/dev/null
echo "primary 127.0.0.1:$P1, standby 127.0.0.1:$P2 (in recovery: $(as_pg "$PG_BIN/psql" -h 127.0.0.1 -p "$P2" -U postgres -Atc 'SELECT pg_is_in_recovery()'))"
export BUDGETPERF_DB="postgres://postgres@127.0.0.1:$P1,127.0.0.1:$P2/budgetperf"

echo "== demo county (1 year) into the warehouse through the primary"
mkdir -p "$WORK/data"
( cd "$WORK/data" && budgetperf demo --years 1 --inbox "$WORK/data/inbox" >/dev/null )
PASSWORD=cluster-Passw0rd
budgetperf user add loadtest --role 领导 --password "$PASSWORD" >/dev/null

echo "== two dashboard instances and nginx"
A=$(free_port); B=$(free_port); N=$(free_port)
for port in $A $B; do
    ( cd "$WORK/data" && exec dotnet "$DLL" serve --urls "http://127.0.0.1:$port" ) >"$WORK/dashboard-$port.log" 2>&1 &
    PIDS+=($!)
    for _ in $(seq 120); do curl -fs "http://127.0.0.1:$port/health" >/dev/null && break; sleep 0.5; done
    curl -fs "http://127.0.0.1:$port/health" >/dev/null || { cat "$WORK/dashboard-$port.log"; exit 1; }
done
mkdir -p "$WORK/nginx"
sed "s#@DIR@#$WORK/nginx#g" deploy/nginx/nginx.conf.template >"$WORK/nginx/nginx.conf"
sed -e "s#127.0.0.1:5101#127.0.0.1:$A#" -e "s#127.0.0.1:5102#127.0.0.1:$B#" -e "s#listen 127.0.0.1:8080#listen 127.0.0.1:$N#" \
    deploy/nginx/budgetperf.conf >"$WORK/nginx/budgetperf.conf"
chmod -R a+rwX "$WORK/nginx"
nginx -p "$WORK/nginx" -c "$WORK/nginx/nginx.conf"
echo "dashboards 127.0.0.1:$A and 127.0.0.1:$B, nginx 127.0.0.1:$N"

echo "== a session through nginx, then on each instance directly"
JAR=$WORK/cookies.txt
TOKEN=$(curl -fs -c "$JAR" -b "$JAR" "http://127.0.0.1:$N/login" | grep -o 'name="__RequestVerificationToken" value="[^"]*"' | sed 's/.*value="//; s/"$//')
STATUS=$(curl -s -o /dev/null -w '%{http_code}' -c "$JAR" -b "$JAR" "http://127.0.0.1:$N/login" \
    --data-urlencode "_handler=signin" --data-urlencode "__RequestVerificationToken=$TOKEN" \
    --data-urlencode "Input.UserName=loadtest" --data-urlencode "Input.Password=$PASSWORD")
[ "$STATUS" = 302 ] || { echo "sign-in through nginx answered $STATUS"; exit 1; }
AUTH=$(awk '$6 == "budgetperf.auth" { print $7 }' "$JAR")
COOKIE="budgetperf.auth=$AUTH"
for port in $A $B; do
    code=$(curl -s -o /dev/null -w '%{http_code}' -H "Cookie: $COOKIE" "http://127.0.0.1:$port/export/ranking?format=csv")
    echo "instance :$port with the cookie nginx's sign-in set: $code"
    [ "$code" = 200 ] || exit 1
done
: >"$WORK/nginx/access.log"
for _ in $(seq 10); do curl -fs -o /dev/null -b "$JAR" "http://127.0.0.1:$N/export/ranking?format=csv"; done
ROUTED=$(awk '{ print $3 }' "$WORK/nginx/access.log" | sort -u)
echo "10 requests of the signed-in browser (bp_route cookie) went to: $ROUTED"
[ "$(echo "$ROUTED" | wc -l)" = 1 ] || { echo "sticky routing failed"; exit 1; }
echo "== ${SECONDS_OF_LOAD}s of reads through nginx (wrk, 2 threads, 8 connections); the standby is killed at half-time"
: >"$WORK/nginx/access.log"
wrk -t2 -c8 -d"${SECONDS_OF_LOAD}s" -H "Cookie: $COOKIE" "http://127.0.0.1:$N/export/ranking?format=csv" >"$WORK/wrk.txt" &
WRK=$!
sleep $((SECONDS_OF_LOAD / 2))
as_pg "$PG_BIN/pg_ctl" -D "$WORK/standby" -m immediate -w stop >/dev/null
KILLED=$(date +%s)
echo "standby killed at $(date -u +%T)"
wait $WRK
cat "$WORK/wrk.txt"
LOG=$WORK/nginx/access.log
echo "-- answers by status and instance (nginx access log; 499 = wrk closing its connections at the end):"
awk '{ print $2, $3 }' "$LOG" | sort | uniq -c
echo "-- errors (5xx) by second, relative to the standby's death:"
awk -v k="$KILLED" '$2 ~ /^5/ { printf "%+ds\n", int($1) - k }' "$LOG" | sort | uniq -c
SERVED=$(awk '$2 ~ /^2/' "$LOG" | wc -l)
ERRORS=$(awk '$2 ~ /^5/' "$LOG" | wc -l)
LATE=$(awk -v k="$KILLED" '$2 ~ /^5/ && $1 > k + 2' "$LOG" | wc -l)
echo "requests served: $SERVED, 5xx answers: $ERRORS (of them later than 2 s after the standby's death: $LATE)"
code=$(curl -s -o /dev/null -w '%{http_code}' -H "Cookie: $COOKIE" "http://127.0.0.1:$N/export/ranking?format=csv")
echo "a read after the standby's death: $code"
[ "$LATE" = 0 ] && [ "$code" = 200 ]
