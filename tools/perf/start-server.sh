#!/usr/bin/env bash
# Starts a Release Voltgate for load runs on 127.0.0.1 (web :5000, OCPP privateauth :8180), creates the Basic Auth
# password "LoadGenSecret123" and one template station, and sets the tenant's unknown-station policy to
# AdmitAsAccepted. usage: start-server.sh DATADIR [extra server args...]; prints the server's PID.
# PostgreSQL: pass --Voltgate:Database:Provider=Postgres --ConnectionStrings:Voltgate=...
# start-server.sh --restart DATADIR [same args]: stops the server of DATADIR and starts it again on the same data
# (no setup), as after an outage: the stations seeded meanwhile are then in the database when it starts.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
restart=false
if [ "${1:-}" = --restart ]; then restart=true; shift; fi
d=$1; shift
if $restart; then
  old=$(cat "$d/pid"); kill "$old"; while kill -0 "$old" 2>/dev/null; do sleep 0.2; done
else
  rm -rf "$d"; mkdir -p "$d"
fi
dotnet "$root/src/Voltgate.Server/bin/Release/net10.0/Voltgate.Server.dll" --Voltgate:DataDirectory="$d" \
  --Voltgate:Web:Url=http://127.0.0.1:5000 --Voltgate:Bootstrap:AdminPassword=AdminPassword123 \
  --Voltgate:Ocpp:Endpoints:default:Variant=privateauth --Voltgate:Ocpp:Endpoints:default:Url=http://127.0.0.1:8180 \
  --Voltgate:Ocpp:Endpoints:default:AllowedNetworks:0=127.0.0.0/8 --Logging:LogLevel:Default=Warning "$@" \
  >> "$d/server.log" 2>&1 &
echo $! > "$d/pid"
for _ in $(seq 1 150); do curl -s -o /dev/null http://127.0.0.1:5000/health/live && break; sleep 0.2; done
if $restart; then cat "$d/pid"; exit 0; fi
api=http://127.0.0.1:5000/api/v1
tok=$(curl -s -X POST $api/auth/token -H 'content-type: application/json' \
  -d '{"tenant":"default","username":"admin","password":"AdminPassword123"}' | python3 -c 'import sys,json;print(json.load(sys.stdin)["accessToken"])')
h=(-H "authorization: Bearer $tok" -H 'content-type: application/json')
curl -sf -o /dev/null -X POST $api/ocpp-security/basic-auth-passwords "${h[@]}" -d '{"label":"lg","password":"LoadGenSecret123","isHex":false}'
curl -sf -o /dev/null -X PUT $api/ocpp-security/settings "${h[@]}" -d '{"unknownStationPolicy":"AdmitAsAccepted"}'
curl -sf -o /dev/null -X POST $api/stations "${h[@]}" -d '{"identity":"TEMPLATE"}'
cat "$d/pid"
