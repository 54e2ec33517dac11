#!/usr/bin/env bash
# The request-cost benchmark from a clean clone: each scenario on the test server (store work counted) and then on
# the Functions app in the Functions host (INTERFLOW_FUNCTIONS_HOST, as in .ci/run), on one Azurite, beside a bare
# Kestrel baseline of the same run. Arguments: seconds per scenario (5), concurrent clients (16).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/benchmark-setup.sh
rm -rf .artifacts/azurite-request-bench-data
start_azurite 10200 10201 10202 .artifacts/azurite-request-bench.log --location .artifacts/azurite-request-bench-data
export INTERFLOW_TEST_STORAGE=$AZURITE_CONNECTION
dotnet run -c Release --no-build --project tests/Interflow.Benchmarks -- "${1:-5}" "${2:-16}"
