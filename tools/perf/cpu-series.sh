#!/usr/bin/env bash
# The CPU-per-call series of docs/performance.md §3/§4 in one command, so that two builds (and the bare ocpp-rpc
# server) are measured in one sitting. usage:
#   cpu-series.sh OUTDIR ROOT[=LABEL] [ROOT[=LABEL] ...]
# ROOT is a checkout whose Release build exists (`dotnet build Voltgate.slnx -c Release`); the word `ocpp-rpc`
# instead of a ROOT runs tools/baseline-ocpp-rpc with --strict (needs `npm ci` there). Each server is run at 3,500
# and 5,000 stations per generator (two generators: 14,000 and 20,000 calls/s offered), Heartbeat + MeterValues
# every second, warm-up 30 s, 20 s steady. Prints one line per run: label, offered, answered, p99s, CPU ms per call.
# STATIONS="3500 5000" overrides the per-generator station counts. PROTOCOL=ocpp2.0.1 makes the generators 2.0.1
# stations (a TransactionEvent Started after boot, then TransactionEvent Updated with meter values instead of
# MeterValues); the MV column is then the TransactionEvent p99. The Voltgate server speaks both on the same endpoint.
# SERVER_ARGS="--Voltgate:MessageHistory:Recording=Full" (space-separated) is passed to every Voltgate server started.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out=$1; shift
mkdir -p "$out"
lg="dotnet $here/../Voltgate.LoadGen/bin/Release/net10.0/Voltgate.LoadGen.dll"
counts=${STATIONS:-"3500 5000"}
protocol=${PROTOCOL:-ocpp1.6}

run_generators() { # URL PID N TAG
  local url=$1 pid=$2 n=$3 tag=$4 generators=()
  for p in A B; do
    $lg --url "$url" --stations "$n" --identity-prefix $p --password LoadGenSecret123 --protocol "$protocol" \
      --connect-rate 1000 --warmup 30 --duration 20 --heartbeat-interval 1 --meter-interval 1 \
      --source-addresses "127.0.0.$([ $p = A ] && echo 1 || echo 2)" \
      $([ $p = A ] && echo --pid "$pid") --json "$out/$tag-$p.json" > "$out/$tag-$p.log" &
    generators+=($!)
  done
  wait "${generators[@]}"   # not a bare wait: the ocpp-rpc server is a child too
  python3 - "$out/$tag-A.json" "$out/$tag-B.json" "$tag" "$((n * 4))" <<'PY'
import json, sys
a, b = (json.load(open(p)) for p in sys.argv[1:3])
answers = a["steady"]["answers"] + b["steady"]["answers"]
seconds = a["steady"]["seconds"]
cpu = a["server"]["cpuMs"]
hb = max(x["actions"]["Heartbeat"]["latencyMs"]["p99"] for x in (a, b))
mv = max(x["actions"][k]["latencyMs"]["p99"] for x in (a, b) for k in ("MeterValues", "TransactionEvent"))
errors = sum(sum(x["callErrors"].values()) + x["steady"]["timeouts"] for x in (a, b))
print(f"{sys.argv[3]:<28} offered {sys.argv[4]:>6}/s  answered {answers / seconds:>8.0f}/s  "
      f"p99 HB {hb:>6.1f} ms  MV {mv:>6.1f} ms  server CPU {a['server']['cpuAvgPercent']:>5.1f} %  "
      f"{cpu / answers:.4f} ms/call  errors {errors}")
PY
}

for target in "$@"; do
  root=${target%%=*}
  label=${target#*=}
  [ "$label" = "$target" ] && label=$(basename "$root")
  for n in $counts; do
    tag="$label-$n"
    if [ "$root" = ocpp-rpc ]; then
      (cd "$here/../baseline-ocpp-rpc" && exec node server.mjs --port 8190 --strict) > "$out/$tag-server.log" 2>&1 &
      pid=$!
      sleep 1
      run_generators ws://127.0.0.1:8190/ocpp "$pid" "$n" "$tag"
      kill "$pid"; wait "$pid" 2>/dev/null || true
    else
      data="$out/data-$tag"
      pid=$("$root/tools/perf/start-server.sh" "$data" ${SERVER_ARGS:-} | tail -1)
      for p in A B; do python3 "$root/tools/perf/seed-stations.py" "$data/voltgate.db" TEMPLATE $p "$n" > /dev/null; done
      run_generators ws://127.0.0.1:8180/ocpp "$pid" "$n" "$tag"
      kill "$pid"; while kill -0 "$pid" 2>/dev/null; do sleep 0.2; done
      rm -rf "$data"
    fi
  done
done
