#!/usr/bin/env bash
# The one test command: installs what the tests need on a fresh Debian machine, starts a throw-away
# PostgreSQL and a throw-away Redis on 127.0.0.1, runs every .NET test project (SQLite always, PostgreSQL via
# VOLTGATE_TEST_POSTGRES, cluster tests via VOLTGATE_TEST_REDIS) and the Node interop suite, and ends with
# "N passed, N failed".
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
work=$(mktemp -d /tmp/voltgate-test.XXXXXX)
results="$work/results"
mkdir -p "$results"
log() { printf '[test.sh] %s\n' "$*" >&2; }

# --- 1. system packages --------------------------------------------------------------------------
need=()
[ -x /usr/lib/postgresql/15/bin/initdb ] || ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need+=(postgresql)
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v redis-server >/dev/null 2>&1 || need+=(redis-server)
command -v openssl >/dev/null 2>&1 || need+=(openssl)
if [ ${#need[@]} -gt 0 ]; then
  log "installing ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null && apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null \
    || { log "apt-get install ${need[*]} failed"; exit 1; }
fi

# --- 2. PostgreSQL: a throw-away cluster on a free port --------------------------------------------
pgbin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n1)
free_port() { python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1]);s.close()'; }
pgport=$(free_port)
pgdata="$work/pg"
mkdir -p "$pgdata"
chown postgres:postgres "$pgdata" "$work"
chmod 755 "$work"
su postgres -c "$pgbin/initdb -D $pgdata -A trust -U postgres >/dev/null" || { log "initdb failed"; exit 1; }
su postgres -c "$pgbin/pg_ctl -D $pgdata -l $pgdata/log -w -o '-p $pgport -c listen_addresses=127.0.0.1 -c max_connections=300 -c fsync=off' start >/dev/null" \
  || { log "PostgreSQL did not start"; cat "$pgdata/log" >&2; exit 1; }
cleanup() {
  su postgres -c "$pgbin/pg_ctl -D $pgdata -m immediate stop >/dev/null 2>&1" || true
  [ -s "$work/redis.pid" ] && kill "$(cat "$work/redis.pid")" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
export VOLTGATE_TEST_POSTGRES="Host=127.0.0.1;Port=$pgport;Username=postgres;Database=postgres"
export VOLTGATE_TEST_CHROMIUM=$(command -v chromium || true)
log "PostgreSQL on 127.0.0.1:$pgport"

# --- 2b. Redis: a throw-away server for the cluster tests (no persistence) ---------------------------
# The fault tests start and stop private redis-server processes of their own; this one is shared and stays up.
redisport=$(free_port)
redis-server --daemonize yes --bind 127.0.0.1 --port "$redisport" --save '' --appendonly no \
  --pidfile "$work/redis.pid" --logfile "$work/redis.log" || { log "Redis did not start"; exit 1; }
for _ in $(seq 1 50); do redis-cli -p "$redisport" ping 2>/dev/null | grep -q PONG && break; sleep 0.1; done
redis-cli -p "$redisport" ping 2>/dev/null | grep -q PONG || { log "Redis does not answer"; cat "$work/redis.log" >&2; exit 1; }
export VOLTGATE_TEST_REDIS="127.0.0.1:$redisport"
log "Redis on 127.0.0.1:$redisport"

# --- 3. .NET tests -----------------------------------------------------------------------------------
dotnet build Voltgate.slnx -c Release -nologo -clp:ErrorsOnly -p:UseSharedCompilation=true || { log "build failed"; echo "0 passed, 1 failed"; exit 1; }
dotnet_rc=0
for proj in tests/Voltgate.*.Tests/*.csproj; do
  name=$(basename "$proj" .csproj)
  log "dotnet test $name"
  dotnet test "$proj" -c Release --no-build -nologo \
    --logger "trx;LogFileName=$results/$name.trx" --logger "console;verbosity=minimal" || dotnet_rc=1
done

# --- 4. interop tests (Node, independent clients) ------------------------------------------------------
interop_pass=0; interop_fail=0
if [ -f tests/interop/package.json ]; then
  (cd tests/interop && npm ci --no-audit --no-fund --loglevel=error) || { log "npm ci failed"; interop_fail=1; }
  if [ "$interop_fail" = 0 ]; then
    dotnet publish src/Voltgate.Server -c Release -o "$work/server" -nologo -clp:ErrorsOnly >/dev/null \
      || { log "publish failed"; interop_fail=1; }
  fi
  if [ "$interop_fail" = 0 ]; then
    export VOLTGATE_SERVER_DLL="$work/server/Voltgate.Server.dll"
    (cd tests/interop && node --test --test-reporter=spec --test-reporter-destination=stdout \
       --test-reporter=tap --test-reporter-destination="$results/interop.tap" --test-concurrency=1 ) || true
    interop_pass=$(grep -cE '^ *ok [0-9]+' "$results/interop.tap" 2>/dev/null || true)
    interop_fail=$(grep -cE '^ *not ok [0-9]+' "$results/interop.tap" 2>/dev/null || true)
    # node's TAP nests subtests; count only leaves via its summary lines instead.
    p=$(grep -E '^# pass ' "$results/interop.tap" | tail -n1 | awk '{print $3}')
    f=$(grep -E '^# fail ' "$results/interop.tap" | tail -n1 | awk '{print $3}')
    c=$(grep -E '^# cancelled ' "$results/interop.tap" | tail -n1 | awk '{print $3}')
    [ -n "$p" ] && interop_pass=$p
    [ -n "$f" ] && interop_fail=$((f + ${c:-0}))   # a cancelled test (e.g. a hook failed) did not pass
    if [ -z "$p" ]; then log "interop: no TAP summary (node --test crashed?)"; interop_fail=$((interop_fail + 1)); fi
  fi
fi

# --- 5. summary -------------------------------------------------------------------------------------------
read -r dn_pass dn_fail < <(python3 - "$results" <<'PY'
import sys, glob, xml.etree.ElementTree as ET
p = f = 0
for path in glob.glob(sys.argv[1] + "/*.trx"):
    c = ET.parse(path).getroot().find(".//{*}ResultSummary/{*}Counters")
    if c is not None:
        p += int(c.get("passed", 0)); f += int(c.get("failed", 0)) + int(c.get("error", 0)) + int(c.get("timeout", 0))
print(p, f)
PY
)
passed=$((dn_pass + interop_pass))
failed=$((dn_fail + interop_fail))
[ "$dotnet_rc" != 0 ] && [ "$dn_fail" = 0 ] && failed=$((failed + 1))
log ".NET: $dn_pass passed, $dn_fail failed; interop: $interop_pass passed, $interop_fail failed"
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
