#!/usr/bin/env bash
# Adds a migration with the same name to both providers' migration sets.
set -euo pipefail
name=${1:?usage: scripts/add-migration.sh <Name>}
cd "$(dirname "$0")/.."
dotnet tool restore >/dev/null
for p in Sqlite Postgres; do
  dotnet ef migrations add "$name" --project src/Voltgate.Core --startup-project src/Voltgate.Core \
    --context "${p}VoltgateDbContext" --output-dir "Data/Migrations/$p"
done
