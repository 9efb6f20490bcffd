#!/usr/bin/env bash
# A throw-away PostgreSQL cluster for load runs (as scripts/test.sh starts one, but with fsync and
# synchronous_commit left on). usage: start-postgres.sh DIR PORT; stop: pg_ctl -D DIR/pg -m fast stop as postgres.
set -euo pipefail
dir=$1; port=$2
pgbin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n1)
rm -rf "$dir"; mkdir -p "$dir/pg"; chown -R postgres:postgres "$dir"; chmod 755 "$dir"
su postgres -c "$pgbin/initdb -D $dir/pg -A trust -U postgres >/dev/null"
su postgres -c "$pgbin/pg_ctl -D $dir/pg -l $dir/pg/log -w -o '-p $port -c listen_addresses=127.0.0.1 -c max_connections=300 -c shared_buffers=512MB' start >/dev/null"
echo "Host=127.0.0.1;Port=$port;Username=postgres;Database=postgres"
