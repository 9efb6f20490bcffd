#!/usr/bin/env bash
# PostgreSQL twin of seed-stations.py. usage: seed-stations-postgres.sh PORT PREFIX COUNT
set -euo pipefail
port=$1; prefix=$2; count=$3
cols=$(psql -h 127.0.0.1 -p "$port" -U postgres -Atc "select string_agg(quote_ident(column_name), ',' order by ordinal_position) from information_schema.columns where table_name='Stations' and column_name not in ('Id','Identity')")
psql -h 127.0.0.1 -p "$port" -U postgres -qc "insert into \"Stations\" (\"Id\",\"Identity\",$cols) select gen_random_uuid(), '$prefix' || lpad(i::text, 5, '0'), $cols from \"Stations\", generate_series(1,$count) i where \"Identity\"='TEMPLATE' on conflict do nothing"
echo "$prefix: $count stations"
