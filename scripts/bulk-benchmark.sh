#!/usr/bin/env bash
# The bulk benchmarks from a clean clone, each on a fresh Azurite (npm): the sustained in-process benchmark (three
# consecutive 10,000-recipient jobs on a 1,000/s channel with a webhook subscribed to every event); the same on an
# unpaced channel (the system's own capacity); and the black-box run (scripts/bulk-load.mjs: one 10,000-recipient job
# on a 1,000/s channel through HTTP on the standalone server).
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p .artifacts
npm ci --no-audit --no-fund --loglevel=error
source scripts/azurite.sh
dotnet build tests/Interflow.Benchmarks -c Release --nologo -v q -clp:ErrorsOnly
dotnet build tests/Interflow.TestServer -c Release --nologo -v q -clp:ErrorsOnly

# A fresh emulator per run: Azurite keeps everything in one process and slows down as it fills.
fresh_azurite() {
  [ -n "${AZURITE_PID:-}" ] && kill "$AZURITE_PID" 2>/dev/null && wait "$AZURITE_PID" 2>/dev/null || true
  start_azurite 10200 10201 10202 .artifacts/azurite-bench.log --inMemoryPersistence
  export INTERFLOW_TEST_STORAGE=$AZURITE_CONNECTION
}

fresh_azurite
dotnet run -c Release --no-build --project tests/Interflow.Benchmarks -- bulk 10000 3 1000
fresh_azurite
dotnet run -c Release --no-build --project tests/Interflow.Benchmarks -- bulk 10000 3 0
fresh_azurite

echo
echo "Black-box: the standalone test server (Release) and scripts/bulk-load.mjs, on the same Azurite"
rm -f .artifacts/bulk-load.db*
dotnet tests/Interflow.TestServer/bin/Release/net10.0/Interflow.TestServer.dll --port 0 --db .artifacts/bulk-load.db >.artifacts/bulk-load-server.log 2>&1 &
server=$!
trap 'kill "$server" 2>/dev/null; kill "$AZURITE_PID" 2>/dev/null' EXIT
for _ in $(seq 1 60); do
  base=$(grep -o 'listening on http://[0-9.:]*' .artifacts/bulk-load-server.log | head -1 | sed 's/listening on //' || true)
  key=$(grep -o 'ifk_live_[A-Za-z0-9]*' .artifacts/bulk-load-server.log | head -1 || true)
  [ -n "$base" ] && [ -n "$key" ] && break
  sleep 0.5
done
node scripts/bulk-load.mjs --base "$base" --key "$key" --recipients 10000 --rate 1000
