#!/usr/bin/env bash
# Issue 16, item 5: runs sql/bench/partitioning.postgres.sql on a throwaway PostgreSQL (127.0.0.1, free port, deleted at
# the end) and prints psql's timings: load, a county page query and a province rollup, retiring a year — on a plain
# table and on one partitioned by fiscal year, at the demo's province scale (≈3M indicator rows a year).
#
#   tests/cluster/partition-bench.sh [YEARS=3] [ROWS_PER_YEAR=3000000]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
YEARS=${1:-3}; PER_YEAR=${2:-3000000}
PG_BIN=${BUDGETPERF_PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)}
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
WORK=$(mktemp -d /tmp/budgetperf-partition.XXXXXX); chmod 755 "$WORK"
[ "$(id -u)" = 0 ] && chown postgres:postgres "$WORK"
trap 'as_pg "$PG_BIN/pg_ctl" -D "$WORK/data" -m immediate -w stop >/dev/null 2>&1; rm -rf "$WORK"' EXIT
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')
as_pg "$PG_BIN/initdb" -D "$WORK/data" -U postgres --auth=trust -E UTF8 --no-locale --no-sync --no-instructions >/dev/null
as_pg "$PG_BIN/pg_ctl" -D "$WORK/data" -l "$WORK/server.log" -o "-p $PORT -c listen_addresses=127.0.0.1 -k $WORK -c shared_buffers=256MB -c max_wal_size=4GB" -w start >/dev/null
echo "PostgreSQL $("$PG_BIN/postgres" --version | awk '{ print $3 }'), $YEARS years × $PER_YEAR rows; load average $(cut -d' ' -f1-3 /proc/loadavg), $(nproc) cores"
as_pg "$PG_BIN/psql" -h 127.0.0.1 -p "$PORT" -U postgres -X -q -At -v years="$YEARS" -v per_year="$PER_YEAR" -f sql/bench/partitioning.postgres.sql
