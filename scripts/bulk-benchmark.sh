#!/usr/bin/env bash
# The bulk benchmarks from a clean clone: the sustained benchmark (three consecutive 10,000-recipient jobs on a
# 1,000/s channel, one live webhook receiver and two dead ones subscribed to every event), on the test server and on
# the Functions app in the Functions host (INTERFLOW_FUNCTIONS_HOST, as in .ci/run), each on an Azurite of its own;
# the same on an unpaced channel (the system's own capacity, test server); and the black-box run
# (scripts/bulk-load.mjs: one 10,000-recipient job on a 1,000/s channel through HTTP on the standalone server).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/benchmark-setup.sh

dotnet run -c Release --no-build --project tests/Interflow.Benchmarks -- bulk 10000 3 1000 2
dotnet run -c Release --no-build --project tests/Interflow.Benchmarks -- bulk 10000 3 0 2
rm -rf .artifacts/azurite-bench-data
start_azurite 10200 10201 10202 .artifacts/azurite-bench.log --location .artifacts/azurite-bench-data
export INTERFLOW_TEST_STORAGE=$AZURITE_CONNECTION

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
