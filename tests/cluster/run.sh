#!/usr/bin/env bash
# Issue 16 on one machine, all on loopback: a PostgreSQL primary with a synchronous streaming standby
# (pg_basebackup -R with a replication slot; synchronous_commit = remote_apply), two dashboard instances on the
# multi-host --db, and nginx (deploy/nginx) in front. Checks that a session signed in through nginx works on both
# instances and that one browser stays on one instance; then, under a bounded read load (wrk) and a stream of uploads
# through nginx:
#   1. kills the standby (-m immediate): reads fall back to the primary; the "monitor" (this script, as
#      pg_auto_failover's would) drops synchronous_standby_names after 1 s so writes go on; the standby is restarted,
#      catches up from its slot, and synchronous commit is restored;
#   2. kills the primary (-m immediate) and promotes the standby 2 s later: the dashboards find the new primary
#      without a restart;
# and prints requests served, errors by second, time to recover, and whether every acknowledged upload is in the marts
# of the new primary. Exits 1 if an acknowledged upload is lost, a read fails later than 2 s after the standby's death
# (before the primary's), reads or uploads do not recover within 30 s of the promotion, or a read at the end fails.
#
#   tests/cluster/run.sh     # exit 0 passed, 1 failed, 77 a tool is missing; BUDGETPERF_CLUSTER_SECONDS=60 (load duration), BUDGETPERF_CONFIGURATION=Debug|Release
#
# Needs: PostgreSQL 15 binaries (/usr/lib/postgresql/15/bin), nginx, wrk, curl, python3; runs the servers as the
# postgres user when started as root. Everything it starts is stopped on exit, its folder under /tmp deleted (logs
# and figures are kept in /tmp/budgetperf-cluster-last/).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
ROOT=$PWD
PG_BIN=${BUDGETPERF_PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)}
CONFIG=${BUDGETPERF_CONFIGURATION:-Debug}
LOAD=${BUDGETPERF_CLUSTER_SECONDS:-60}
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
source tests/cluster/lib.sh

for tool in "$PG_BIN/initdb" nginx wrk curl python3; do
    command -v "$tool" >/dev/null || { echo "tests/cluster/run.sh: $tool is missing (apt-get install postgresql nginx wrk curl python3)" >&2; exit 77; }
done

WORK=$(mktemp -d /tmp/budgetperf-cluster.XXXXXX)
chmod 755 "$WORK"
[ "$(id -u)" = 0 ] && chown postgres:postgres "$WORK"
PIDS=()
cleanup() {
    set +e
    touch "$WORK/stop-uploads"
    rm -rf /tmp/budgetperf-cluster-last && mkdir -p /tmp/budgetperf-cluster-last
    cp "$WORK"/*.log "$WORK"/*.txt "$WORK"/nginx/*.log /tmp/budgetperf-cluster-last/ 2>/dev/null
    [ -f "$WORK/nginx/nginx.pid" ] && nginx -p "$WORK/nginx" -c "$WORK/nginx/nginx.conf" -s stop 2>/dev/null
    for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; done
    for d in primary standby; do [ -f "$WORK/$d/postmaster.pid" ] && as_pg "$PG_BIN/pg_ctl" -D "$WORK/$d" -m immediate -w stop >/dev/null; done
    rm -rf "$WORK"
}
trap cleanup EXIT

DLL=$ROOT/dashboard/Cli/bin/$CONFIG/net10.0/budgetperf.dll
[ -f "$DLL" ] || dotnet build "$ROOT/dashboard/Cli/BudgetPerf.Cli.csproj" -c "$CONFIG" -v quiet -nologo
budgetperf() { dotnet "$DLL" "$@"; }

echo "== PostgreSQL primary and synchronous streaming standby"
P1=$(free_port); P2=$(free_port)
as_pg "$PG_BIN/initdb" -D "$WORK/primary" -U postgres --auth=trust -E UTF8 --no-locale --no-sync --no-instructions >/dev/null
OPTS="-c listen_addresses=127.0.0.1 -k $WORK -c max_connections=200"
as_pg "$PG_BIN/pg_ctl" -D "$WORK/primary" -l "$WORK/primary.log" -o "-p $P1 $OPTS" -w start >/dev/null
as_pg "$PG_BIN/psql" -h 127.0.0.1 -p "$P1" -U postgres -qc "CREATE DATABASE budgetperf"
# -C -S: a replication slot keeps the WAL a dead standby has not received, so it catches up when it comes back
as_pg "$PG_BIN/pg_basebackup" -h 127.0.0.1 -p "$P1" -U postgres -D "$WORK/standby" -R -X stream --checkpoint=fast -C -S budgetperf_standby
as_pg "$PG_BIN/pg_ctl" -D "$WORK/standby" -l "$WORK/standby.log" -o "-p $P2 $OPTS" -w start >/dev/null
# set after the base backup, so the standby does not inherit it: once promoted it has no standby to wait for
psql_at "$P1" -c "ALTER SYSTEM SET synchronous_standby_names = '*'" -c "ALTER SYSTEM SET synchronous_commit = 'remote_apply'" -c "SELECT pg_reload_conf()" >/dev/null
wait_replayed "$P1" 30 || { echo "the standby did not start streaming"; exit 1; }
echo "primary 127.0.0.1:$P1, standby 127.0.0.1:$P2 (in recovery: $(psql_at "$P2" -c 'SELECT pg_is_in_recovery()'); on the primary: $(psql_at "$P1" -c "SELECT application_name || ' ' || state || ' ' || sync_state FROM pg_stat_replication"), synchronous_commit = $(psql_at "$P1" -c 'SHOW synchronous_commit'))"
export BUDGETPERF_DB="postgres://postgres@127.0.0.1:$P1,127.0.0.1:$P2/budgetperf"

echo "== demo county (1 year) into the warehouse through the primary"
mkdir -p "$WORK/data"
( cd "$WORK/data" && budgetperf demo --years 1 --inbox "$WORK/data/inbox" >/dev/null )
PASSWORD=cluster-Passw0rd
budgetperf user add loadtest --role 领导 --password "$PASSWORD" >/dev/null
budgetperf user add uploader --role 管理员 --password "$PASSWORD" >/dev/null
YEAR=$(psql_at "$P1" -c "SELECT max(fiscal_year) FROM mart_project_deviation")
DEPT=$(psql_at "$P1" -c "SELECT min(department_code) FROM dim_department")

echo "== two dashboard instances and nginx"
A=$(free_port); B=$(free_port); NGINX_PORT=$(free_port)
for port in $A $B; do
    ( cd "$WORK/data" && exec dotnet "$DLL" serve --urls "http://127.0.0.1:$port" ) >"$WORK/dashboard-$port.log" 2>&1 &
    PIDS+=($!)
    for _ in $(seq 120); do curl -fs "http://127.0.0.1:$port/health" >/dev/null && break; sleep 0.5; done
    curl -fs "http://127.0.0.1:$port/health" >/dev/null || { cat "$WORK/dashboard-$port.log"; exit 1; }
done
mkdir -p "$WORK/nginx"
sed "s#@DIR@#$WORK/nginx#g" deploy/nginx/nginx.conf.template >"$WORK/nginx/nginx.conf"
sed -e "s#127.0.0.1:5101#127.0.0.1:$A#" -e "s#127.0.0.1:5102#127.0.0.1:$B#" -e "s#listen 127.0.0.1:8080#listen 127.0.0.1:$NGINX_PORT#" \
    deploy/nginx/budgetperf.conf >"$WORK/nginx/budgetperf.conf"
chmod -R a+rwX "$WORK/nginx"
nginx -p "$WORK/nginx" -c "$WORK/nginx/nginx.conf"
echo "dashboards 127.0.0.1:$A and 127.0.0.1:$B, nginx 127.0.0.1:$NGINX_PORT"

echo "== a session through nginx, then on each instance directly"
sign_in() {   # $1 cookie jar, $2 user
    local token status
    token=$(curl -fs -c "$1" -b "$1" "http://127.0.0.1:$NGINX_PORT/login" | grep -o 'name="__RequestVerificationToken" value="[^"]*"' | sed 's/.*value="//; s/"$//')
    status=$(curl -s -o /dev/null -w '%{http_code}' -c "$1" -b "$1" "http://127.0.0.1:$NGINX_PORT/login" \
        --data-urlencode "_handler=signin" --data-urlencode "__RequestVerificationToken=$token" \
        --data-urlencode "Input.UserName=$2" --data-urlencode "Input.Password=$PASSWORD")
    [ "$status" = 302 ] || { echo "sign-in of $2 through nginx answered $status"; exit 1; }
}
JAR=$WORK/cookies.txt UPLOAD_JAR=$WORK/uploader.txt
sign_in "$JAR" loadtest
sign_in "$UPLOAD_JAR" uploader
COOKIE="budgetperf.auth=$(awk '$6 == "budgetperf.auth" { print $7 }' "$JAR")"
for port in $A $B; do
    code=$(curl -s -o /dev/null -w '%{http_code}' -H "Cookie: $COOKIE" "http://127.0.0.1:$port/export/ranking?format=csv")
    echo "instance :$port with the cookie nginx's sign-in set: $code"
    [ "$code" = 200 ] || exit 1
done
: >"$WORK/nginx/access.log"
for _ in $(seq 10); do curl -fs -o /dev/null -b "$JAR" "http://127.0.0.1:$NGINX_PORT/export/ranking?format=csv"; done
ROUTED=$(awk '{ print $6, $7 }' "$WORK/nginx/access.log" | sort -u)
echo "10 requests of the signed-in browser (bp_route cookie) went to: $ROUTED"
[ "$(echo "$ROUTED" | wc -l)" = 1 ] || { echo "sticky routing failed"; exit 1; }

echo "== one upload through nginx, then at once on the standby (remote_apply: acknowledged means replayed there)"
mkdir -p "$WORK/up"; : >"$WORK/uploads.txt"
upload_one "$UPLOAD_JAR" "$YEAR" "$DEPT" 0 || { echo "the first upload failed: $(cat "$WORK/up/CLU0000.json")"; exit 1; }
ON_STANDBY=$(psql_at "$P2" -c "SELECT count(*) FROM mart_project_deviation WHERE project_code = 'CLU0000'")
echo "CLU0000 acknowledged in $(awk '{ printf "%.1f", $2 - $1 }' "$WORK/uploads.txt") s; rows of it in the standby's mart_project_deviation right after: $ON_STANDBY"
[ "$ON_STANDBY" -gt 0 ] || { echo "an acknowledged upload was not on the standby"; exit 1; }

source tests/cluster/failover.sh
