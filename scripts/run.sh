#!/usr/bin/env bash
# The one run command: the Functions app under `func start`, with Azurite (from npm) for the host's storage and
# the embedded SQLite store. The first start on an empty store prints a bootstrap account's API keys, once.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
mkdir -p .artifacts

npm ci --no-audit --no-fund --loglevel=error

# The Worker Sdk builds a generated extensions project targeting net8.0; hosts with only .NET 10 have been reported
# to time out at start (azure-functions-core-tools #5138).
if ! dotnet --list-runtimes 2>/dev/null | grep -q '^Microsoft.NETCore.App 8\.'; then
  echo "note: the .NET 8 runtime is not installed. The Functions Worker Sdk builds a net8.0 extensions project, and" >&2
  echo "      hosts with only .NET 10 have timed out at start: install .NET 8 beside 10 if func start hangs." >&2
fi

if ! command -v func >/dev/null 2>&1 && [ ! -x .tools/node_modules/.bin/func ]; then
  node_major=$(node -p 'process.versions.node.split(".")[0]')
  if [ "$node_major" -lt 22 ]; then
    echo "note: Node $(node --version) found; Azure Functions Core Tools 4.14+ need Node 22 or later, so npm will pick an older 4.x." >&2
  fi
  echo "Installing Azure Functions Core Tools (npm package azure-functions-core-tools@4) into .tools/ ..."
  if ! npm install --prefix .tools --no-audit --no-fund --loglevel=error azure-functions-core-tools@4 \
      || [ ! -x .tools/node_modules/.bin/func ] || ! .tools/node_modules/.bin/func --version >/dev/null 2>&1; then
    cat >&2 <<'MSG'

Azure Functions Core Tools could not be installed: its npm package downloads the Functions host from Microsoft's
CDN during installation, which this machine cannot reach. Install Core Tools another way
(https://learn.microsoft.com/azure/azure-functions/functions-run-local) and run this script again, or, to call the
API on this machine without Core Tools, start the test server (same routes, same pipeline, not a production host):

    dotnet run --project tests/Interflow.TestServer

MSG
    exit 1
  fi
fi
func_bin=$(command -v func || echo "$root/.tools/node_modules/.bin/func")

if [ ! -f src/Interflow.Functions/local.settings.json ]; then
  cp local.settings.sample.json src/Interflow.Functions/local.settings.json
  echo "Created src/Interflow.Functions/local.settings.json from local.settings.sample.json."
fi

source scripts/azurite.sh
start_azurite 10000 10001 10002 .artifacts/azurite-run.log --location .azurite
echo "Azurite running on 127.0.0.1:10000-10002 (data in .azurite/)."

cd src/Interflow.Functions
"$func_bin" start
