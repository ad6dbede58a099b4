# The load and failover phase of tests/cluster/run.sh (sourced after the set-up): wrk reads and the upload client
# through nginx; the standby killed, degraded, restarted; the primary killed and the standby promoted; then the figures.

echo "== ${LOAD}s of reads (wrk -t2 -c4 on /export/ranking?format=csv) and uploads (one every 3 s, each followed to 已生效) through nginx"
: >"$WORK/nginx/access.log"; : >"$WORK/events.txt"
event load-started
wrk -t2 -c4 -d"${LOAD}s" --timeout 30s -H "Cookie: $COOKIE" "http://127.0.0.1:$NGINX_PORT/export/ranking?format=csv" >"$WORK/wrk.txt" &
WRK=$!
upload_loop "$UPLOAD_JAR" "$YEAR" "$DEPT" 1 &
UPLOADS=$!
sleep_until() { local t; t=$(awk -v s="$(at load-started)" -v f="$1" -v l="$LOAD" 'BEGIN { d = s + f * l; printf "%.3f", d }'); while awk -v t="$t" -v n="$(now)" 'BEGIN { exit !(n < t) }'; do sleep 0.2; done; }

sleep_until 0.15
event standby-killed   # the time the kill is ordered (the log's answers are compared with it)
as_pg "$PG_BIN/pg_ctl" -D "$WORK/standby" -m immediate -w stop >/dev/null
sleep 1
# the failover monitor's part (pg_auto_failover does this itself): without a standby, commit locally
psql_at "$P1" -c "ALTER SYSTEM SET synchronous_standby_names = ''" -c "SELECT pg_reload_conf()" >/dev/null
event sync-commit-off

sleep_until 0.30
as_pg "$PG_BIN/pg_ctl" -D "$WORK/standby" -l "$WORK/standby.log" -o "-p $P2 $OPTS" -w start >/dev/null
event standby-restarted
wait_replayed "$P1" 30 || { echo "the restarted standby did not catch up"; exit 1; }
psql_at "$P1" -c "ALTER SYSTEM SET synchronous_standby_names = '*'" -c "SELECT pg_reload_conf()" >/dev/null
event sync-commit-on

sleep_until 0.65
ACK_BEFORE=$(awk '$5 == "visible"' "$WORK/uploads.txt" | wc -l)
event primary-killed
as_pg "$PG_BIN/pg_ctl" -D "$WORK/primary" -m immediate -w stop >/dev/null
sleep 2
as_pg "$PG_BIN/pg_ctl" -D "$WORK/standby" -w promote >/dev/null
event standby-promoted
echo "the new primary 127.0.0.1:$P2 in recovery: $(psql_at "$P2" -c 'SELECT pg_is_in_recovery()')"

wait $WRK
touch "$WORK/stop-uploads"
wait $UPLOADS
event load-ended

echo "== figures"
cat "$WORK/wrk.txt"
LOG=$WORK/nginx/access.log
echo "-- reads (GET) by status and instance (nginx access log; 499 = wrk closing its connections at the end):"
awk '$3 == "GET" { print $2, $6, $7 }' "$LOG" | sort | uniq -c
echo "-- events (seconds after the load started):"
awk -v s="$(at load-started)" '{ printf "  %6.1f s  %s\n", $1 - s, $2 }' "$WORK/events.txt"
echo "-- read errors (5xx) by second, relative to the standby's death:"
read_errors_by_second standby-killed
echo "-- read errors (5xx) by second, relative to the primary's death:"
read_errors_by_second primary-killed
SERVED=$(awk '$3 == "GET" && $2 ~ /^2/' "$LOG" | wc -l)
STANDBY_PHASE=$(awk -v a="$(at standby-killed)" -v b="$(at primary-killed)" '$3 == "GET" && $1 >= a && $1 < b' "$LOG" | wc -l)
STANDBY_LATE=$(awk -v a="$(at standby-killed)" -v b="$(at primary-killed)" '$3 == "GET" && $2 ~ /^5/ && $1 > a + 2 && $1 < b' "$LOG" | wc -l)
STANDBY_OK=$(awk -v a="$(at standby-killed)" -v b="$(at standby-restarted)" '$3 == "GET" && $2 ~ /^2/ && $1 >= a && $1 < b' "$LOG" | wc -l)
FIRST_READ=$(awk -v p="$(at standby-promoted)" '$3 == "GET" && $2 ~ /^2/ && $1 - $4 >= p { print $1; exit }' "$LOG")
echo "requests served (2xx reads): $SERVED; reads answered between the standby's and the primary's death: $STANDBY_PHASE, of them 5xx later than 2 s after the standby's death: $STANDBY_LATE; 2xx while the standby was down: $STANDBY_OK"

echo "-- uploads (start end http-of-the-POST project final-state, seconds after the load started):"
sort -n "$WORK/uploads.txt" | awk -v s="$(at load-started)" '{ printf "  %6.1f %6.1f  %s %s %s\n", $1 - s, $2 - s, $3, $4, $5 }'
ACKED=$(awk '$5 == "visible" { print $4 }' "$WORK/uploads.txt" | sort)
ACK_COUNT=$(echo -n "$ACKED" | grep -c . || true)
FIRST_UPLOAD=$(sort -n "$WORK/uploads.txt" | awk -v p="$(at standby-promoted)" '$5 == "visible" && $1 >= p { print $1, $2; exit }')
IN_MARTS=$(psql_at "$P2" -c "SELECT DISTINCT project_code FROM mart_project_deviation WHERE project_code LIKE 'CLU%' ORDER BY 1")
LOST=$(comm -23 <(echo "$ACKED") <(echo "$IN_MARTS") | grep -c . || true)
echo "uploads: $(wc -l <"$WORK/uploads.txt") sent, $ACK_COUNT acknowledged ($ACK_BEFORE before the primary's death), $(echo -n "$IN_MARTS" | grep -c . || true) projects in the new primary's marts; acknowledged but missing from the marts: $LOST"
[ "$LOST" = 0 ] || comm -23 <(echo "$ACKED") <(echo "$IN_MARTS") | sed 's/^/  lost: /'
comm -13 <(echo "$ACKED") <(echo "$IN_MARTS") | grep . | sed 's/^/  in the marts though reported failed (cut off after its commit reached the standby): /' || true

READ_RECOVERY=${FIRST_READ:+$(since standby-promoted "$FIRST_READ")}
UPLOAD_RECOVERY=${FIRST_UPLOAD:+$(since standby-promoted "${FIRST_UPLOAD% *}")}
UPLOAD_DONE=${FIRST_UPLOAD:+$(since standby-promoted "${FIRST_UPLOAD#* }")}
echo "time to recover after the promotion ($(since primary-killed standby-promoted) s after the primary's death): the first read started after it that answered 2xx started at +${READ_RECOVERY:-never} s; the first acknowledged upload started after it started at +${UPLOAD_RECOVERY:-never} s (已生效 at +${UPLOAD_DONE:-never} s: queued, loaded, built and replayed)"
code=$(curl -s -o /dev/null -w '%{http_code}' -H "Cookie: $COOKIE" "http://127.0.0.1:$NGINX_PORT/export/ranking?format=csv")
echo "a read at the end: $code"

ok=1
[ "$LOST" = 0 ] || { echo "FAIL: $LOST acknowledged upload(s) lost"; ok=0; }
[ "$ACK_BEFORE" -gt 0 ] || { echo "FAIL: no upload was acknowledged before the primary's death (nothing to lose: the run proves nothing)"; ok=0; }
[ "$STANDBY_LATE" = 0 ] && [ "$STANDBY_OK" -gt 0 ] || { echo "FAIL: reads were not served throughout the standby's loss"; ok=0; }
[ -n "$FIRST_READ" ] && awk -v r="$READ_RECOVERY" 'BEGIN { exit !(r <= 30) }' || { echo "FAIL: reads did not recover within 30 s of the promotion"; ok=0; }
[ -n "$FIRST_UPLOAD" ] && awk -v r="$UPLOAD_RECOVERY" 'BEGIN { exit !(r <= 30) }' || { echo "FAIL: uploads did not recover within 30 s of the promotion"; ok=0; }
[ "$code" = 200 ] || { echo "FAIL: a read at the end answered $code"; ok=0; }
[ "$ok" = 1 ] && echo "cluster: PASS" || { echo "cluster: FAIL"; exit 1; }
