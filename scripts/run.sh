#!/usr/bin/env bash
# The one run command: the Functions app with Azurite (from npm) and the embedded SQLite store, on the first of
#   1. func start, where Azure Functions Core Tools are installed or can be installed;
#   2. the Functions host named by INTERFLOW_FUNCTIONS_HOST (the interface of shared/tools/functions-host/run.sh,
#      which is picked up by itself where it sits beside the repository, as on the build machines);
#   3. the standalone server: the same routes, pipeline, stores and queues on Kestrel, but not the Functions runtime.
# It says which it chose and why, and once the app answers prints one block: base URL, the bootstrap keys (the first
# start of a store only), the docs page and a curl line that works as pasted. Ctrl+C stops everything it started.
# The store (.data/) and Azurite's data (.azurite/) are kept, so a second run has the same accounts and keys.
#
# Settings (environment): INTERFLOW_PORT (7071), INTERFLOW_AZURITE_PORT (10000: blob; queue and table take the next
# two), INTERFLOW_STORAGE (a storage connection string to use instead of starting Azurite), INTERFLOW_FUNCTIONS_HOST.
set -uo pipefail
set -m # each process started here leads a process group of its own, so that a stop reaches its children too
cd "$(dirname "$0")/.."
root=$PWD
port=${INTERFLOW_PORT:-7071}
azurite_port=${INTERFLOW_AZURITE_PORT:-10000}
run=$root/.artifacts/run
mkdir -p "$run" "$root/.data"
say() { printf 'run.sh: %s\n' "$*"; }
die() { printf 'run.sh: %s\n' "$*" >&2; exit 1; }
listening() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# Ports first: nothing is installed, built or started for a run that cannot listen.
if listening "$port"; then
  die "port $port is in use by another program: stop it, or run on another port, e.g. INTERFLOW_PORT=$((port + 1)) bash scripts/run.sh"
fi
reuse_azurite=""
if [ -z "${INTERFLOW_STORAGE:-}" ]; then
  for p in "$azurite_port" $((azurite_port + 1)) $((azurite_port + 2)); do
    listening "$p" || continue
    if curl -s -m 3 -D - -o /dev/null "http://127.0.0.1:$((azurite_port + 1))/devstoreaccount1?comp=list" 2>/dev/null | grep -qi '^server: azurite'; then
      reuse_azurite=yes
      break
    fi
    die "port $p is in use by another program (Azurite takes $azurite_port-$((azurite_port + 2))): stop it, or move Azurite, e.g. INTERFLOW_AZURITE_PORT=$((azurite_port + 10)) bash scripts/run.sh"
  done
fi

# Which runtime, and why.
func_bin=$(command -v func || true)
[ -z "$func_bin" ] && [ -x .tools/node_modules/.bin/func ] && .tools/node_modules/.bin/func --version >/dev/null 2>&1 && func_bin=$root/.tools/node_modules/.bin/func
why_not_func="Core Tools are not installed"
if [ -z "$func_bin" ]; then
  # Their npm package downloads the Functions host from this CDN when it installs: where it cannot be reached the
  # install can only fail (after a minute), so it is not tried.
  if curl -s -m 5 -o /dev/null https://cdn.functions.azure.com/public/ 2>/dev/null; then
    if [ "$(node -p 'process.versions.node.split(".")[0]')" -lt 22 ]; then
      say "note: Node $(node --version) found; Core Tools 4.14+ need Node 22 or later, so npm picks an older 4.x"
    fi
    say "installing Azure Functions Core Tools (npm azure-functions-core-tools@4) into .tools/ ..."
    if npm install --prefix .tools --no-audit --no-fund --loglevel=error azure-functions-core-tools@4 >"$run/core-tools-install.log" 2>&1 \
        && .tools/node_modules/.bin/func --version >/dev/null 2>&1; then
      func_bin=$root/.tools/node_modules/.bin/func
    else
      why_not_func="Core Tools could not be installed (log: .artifacts/run/core-tools-install.log)"
    fi
  else
    why_not_func="Core Tools are not installed, and their download site (cdn.functions.azure.com) is unreachable"
  fi
fi
functions_host=${INTERFLOW_FUNCTIONS_HOST:-}
host_named="INTERFLOW_FUNCTIONS_HOST"
if [ -z "$functions_host" ] && [ -x "$root/../shared/tools/functions-host/run.sh" ]; then
  functions_host=$(cd "$root/../shared/tools/functions-host" && pwd)/run.sh
  host_named="found beside the repository"
fi
if [ -n "$func_bin" ]; then
  runtime=func
  say "running the Functions app under func start ($func_bin, Core Tools $("$func_bin" --version 2>/dev/null))"
  if ! dotnet --list-runtimes 2>/dev/null | grep -q '^Microsoft.NETCore.App 8\.'; then
    # The Worker Sdk builds a generated extensions project targeting net8.0; hosts with only .NET 10 have been
    # reported to time out at start (azure-functions-core-tools #5138).
    say "note: the .NET 8 runtime is not installed; if func start hangs, install it beside .NET 10"
  fi
elif [ -n "$functions_host" ]; then
  runtime=host
  say "running the Functions app in the Functions host $functions_host ($host_named): $why_not_func"
else
  runtime=server
  say "running the standalone server: $why_not_func, and no INTERFLOW_FUNCTIONS_HOST names a Functions host"
  say "warning: it serves the same routes through the same pipeline, stores and queues, but it is not the Functions runtime (install Core Tools for that)"
fi

# Stops what this script started, on Ctrl+C, SIGTERM, a closed terminal, or any exit.
app_pid="" azurite_pid=""
stop() {
  trap - INT TERM EXIT
  for pid in $app_pid $azurite_pid; do
    kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null
  done
  for pid in $app_pid $azurite_pid; do
    for _ in $(seq 1 30); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    kill -KILL -- "-$pid" 2>/dev/null
  done
  [ -n "${1:-}" ] && say "stopped"
  exit "${2:-0}"
}
trap 'stop stopped 130' INT
trap 'stop stopped 143' TERM HUP
trap 'stop "" $?' EXIT

# Azurite, unless one is running on its ports already or INTERFLOW_STORAGE names another storage.
if [ -n "${INTERFLOW_STORAGE:-}" ]; then
  storage=$INTERFLOW_STORAGE
  queue_endpoint=$(printf '%s' "$storage" | tr ';' '\n' | sed -n 's/^QueueEndpoint=//p')
  [ "$storage" = "UseDevelopmentStorage=true" ] && queue_endpoint=http://127.0.0.1:10001/devstoreaccount1
  queue_host=$(printf '%s' "$queue_endpoint" | sed -E 's#^[a-z]+://([^/:]+).*#\1#')
  queue_port=$(printf '%s' "$queue_endpoint" | sed -nE 's#^[a-z]+://[^/:]+:([0-9]+).*#\1#p')
  [ -z "$queue_port" ] && { case "$queue_endpoint" in https:*) queue_port=443 ;; *) queue_port=80 ;; esac; }
  if [ -z "$queue_endpoint" ] || ! (exec 3<>"/dev/tcp/$queue_host/$queue_port") 2>/dev/null; then
    die "cannot reach the queue storage at ${queue_endpoint:-(no QueueEndpoint in it)} named by INTERFLOW_STORAGE: start it, or unset INTERFLOW_STORAGE to let run.sh start Azurite"
  fi
  say "storage: $queue_endpoint (INTERFLOW_STORAGE)"
else
  if [ ! -x node_modules/.bin/azurite ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    say "installing Azurite (npm ci) ..."
    npm ci --no-audit --no-fund --loglevel=error >"$run/npm.log" 2>&1 \
      || die "npm ci failed, so Azurite is not installed (log: .artifacts/run/npm.log)"
  fi
  storage="DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;BlobEndpoint=http://127.0.0.1:$azurite_port/devstoreaccount1;QueueEndpoint=http://127.0.0.1:$((azurite_port + 1))/devstoreaccount1;TableEndpoint=http://127.0.0.1:$((azurite_port + 2))/devstoreaccount1;"
  if [ -n "$reuse_azurite" ]; then
    say "storage: the Azurite already running on 127.0.0.1:$azurite_port-$((azurite_port + 2)) (left running at the end)"
  else
    node_modules/.bin/azurite --silent --skipApiVersionCheck --disableTelemetry --loose --location "$root/.azurite" \
      --blobHost 127.0.0.1 --queueHost 127.0.0.1 --tableHost 127.0.0.1 \
      --blobPort "$azurite_port" --queuePort $((azurite_port + 1)) --tablePort $((azurite_port + 2)) >"$run/azurite.log" 2>&1 &
    azurite_pid=$!
    for _ in $(seq 1 60); do listening $((azurite_port + 1)) && break; kill -0 "$azurite_pid" 2>/dev/null || break; sleep 0.5; done
    listening $((azurite_port + 1)) \
      || die "Azurite did not start on 127.0.0.1:$((azurite_port + 1)) (log: .artifacts/run/azurite.log)"
    say "storage: Azurite on 127.0.0.1:$azurite_port-$((azurite_port + 2)), data in .azurite/"
  fi
fi

if [ ! -f src/Interflow.Functions/local.settings.json ]; then
  cp local.settings.sample.json src/Interflow.Functions/local.settings.json
  say "created src/Interflow.Functions/local.settings.json from local.settings.sample.json"
fi
[ -s .data/operator-key ] || { head -c 30 /dev/urandom | base64 | tr -d '/+=\n' >.data/operator-key; chmod 600 .data/operator-key; }
operator_key=$(cat .data/operator-key)
# For every runtime (the environment wins over local.settings.json): one store, one storage, one operator key.
export Interflow__SqlitePath=$root/.data/interflow.db AzureWebJobsStorage=$storage Interflow__AdminKey=$operator_key

# The app prints the bootstrap keys once, on the first start of a store: they go to this terminal, never to the log.
fresh_store=""; [ -s .data/interflow.db ] || fresh_store=yes
keys=$(mktemp "$run/keys.XXXXXX")
chmod 600 "$keys"
redact() {
  # The operator key reaches the filter in its environment: a command line is readable by every user of the machine.
  INTERFLOW_OPERATOR_KEY=$operator_key node -e '
    const fs = require("fs");
    const [keys, operator] = [process.argv[1], process.env.INTERFLOW_OPERATOR_KEY];
    require("readline").createInterface({ input: process.stdin }).on("line", line => {
      line = line.replace(/ifk_(live|test)_[A-Za-z0-9]+/g, (key, environment) => {
        fs.appendFileSync(keys, key + "\n");
        return `ifk_${environment}_… (printed once by scripts/run.sh)`;
      }).replace(/\/console\/sign-in\?token=[A-Za-z0-9_-]+/g, path => {
        fs.appendFileSync(keys, path + "\n");
        return "/console/sign-in?token=… (printed by scripts/run.sh)";
      }).split(operator).join("(the operator key in .data/operator-key)");
      process.stdout.write(line + "\n");
    });' "$keys"
}
build_release() {
  say "building $2 (Release) ..."
  dotnet build "$1" -c Release --nologo -v q -clp:ErrorsOnly >"$run/build.log" 2>&1 \
    || { tail -n 30 "$run/build.log" >&2; die "the build failed (log: .artifacts/run/build.log)"; }
}
log=$run/app.log
case $runtime in
  func)
    (cd src/Interflow.Functions && exec "$func_bin" start --port "$port") > >(redact >"$log") 2>&1 &
    app_pid=$!
    ready_within=600 ;;
  host)
    build_release src/Interflow.Functions "the Functions app"
    "$functions_host" src/Interflow.Functions/bin/Release/net10.0 --port "$port" --settings src/Interflow.Functions/local.settings.json \
      --master-key "$operator_key" --state "$run/host-state" > >(redact >"$log") 2>&1 &
    app_pid=$!
    ready_within=300 ;;
  server)
    build_release tests/Interflow.TestServer "the standalone server"
    # The Functions app's settings as environment variables, as func start and the host apply them (the environment wins).
    while IFS= read -r -d '' setting; do export "$setting"; done < <(node -e '
      const values = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8").replace(/^\uFEFF/, "")).Values || {};
      for (const [k, v] of Object.entries(values)) if (!(k in process.env) && v !== null) process.stdout.write(`${k}=${v}\0`);
    ' src/Interflow.Functions/local.settings.json)
    # The Functions app's queue names (no prefix): the same data runs under any of the three.
    INTERFLOW_TEST_STORAGE=$storage dotnet tests/Interflow.TestServer/bin/Release/net10.0/Interflow.TestServer.dll --port "$port" \
      --db "$Interflow__SqlitePath" --queue-prefix "" > >(redact >"$log") 2>&1 &
    app_pid=$!
    ready_within=120 ;;
esac

base=http://localhost:$port
say "waiting for the app to answer on $base (log: .artifacts/run/app.log) ..."
for _ in $(seq 1 $((ready_within * 2))); do
  [ "$(curl -s -m 2 -o /dev/null -w '%{http_code}' "$base/v1/openapi.json")" = 200 ] && break
  if ! kill -0 "$app_pid" 2>/dev/null; then
    sleep 0.5
    printf 'run.sh: the app stopped before it answered; the end of its log:\n' >&2
    tail -n 20 "$log" | grep -v '^\s*$' | sed 's/^/  /' >&2
    rm -f "$keys"
    exit 1
  fi
  sleep 0.5
done
[ "$(curl -s -m 2 -o /dev/null -w '%{http_code}' "$base/v1/openapi.json")" = 200 ] \
  || { rm -f "$keys"; die "the app did not answer within $ready_within s (log: .artifacts/run/app.log)"; }
# A new store's keys, and every start's console sign-in link, were printed before the app listened; a host relays its
# worker's lines with a delay.
for _ in $(seq 1 30); do { [ -z "$fresh_store" ] || grep -q '^ifk_test_' "$keys"; } && grep -q '^/console/sign-in' "$keys" && break; sleep 0.5; done
live_key=$(grep -m1 '^ifk_live_' "$keys")
test_key=$(grep -m1 '^ifk_test_' "$keys")
sign_in=$(grep -m1 '^/console/sign-in' "$keys")
rm -f "$keys"

case $runtime in
  func) running="under func start" ;;
  host) running="in the Functions host" ;;
  server) running="on the standalone server (not the Functions runtime)" ;;
esac
echo
echo "Interflow is running $running."
echo "  API:      $base/v1"
echo "  docs:     $base/docs"
if [ -n "$test_key" ]; then
  echo "  API keys, shown this once (only their hashes are stored):"
  echo "    production (live): $live_key"
  echo "    sandbox    (test): $test_key"
  echo "  try it (the README's next calls read the key from INTERFLOW_KEY):"
  echo "    export INTERFLOW_KEY=$test_key"
else
  echo "  API keys: printed at this store's first start (only their hashes are stored; rm -rf .data .azurite starts afresh)"
  echo "  try it, with that sandbox key in INTERFLOW_KEY:"
fi
echo "    curl -s $base/v1/customers -H \"Authorization: Bearer \$INTERFLOW_KEY\""
echo "  operator routes (/manage): -H \"x-functions-key: \$(cat .data/operator-key)\""
if [ -n "$sign_in" ]; then
  echo "  console:  $base/console/api-keys (API keys: generate, roll, revoke); sign in once, within 15 minutes:"
  echo "    $base$sign_in"
fi
echo "  log:      .artifacts/run/app.log"
echo "Ctrl+C stops the app${azurite_pid:+ and Azurite}; the store stays in .data/."
wait "$app_pid"
status=$?
say "the app exited ($status); the end of its log:"
tail -n 20 "$log" | sed 's/^/  /'
exit "$status"
