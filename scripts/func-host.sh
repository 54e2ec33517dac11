#!/usr/bin/env bash
# The interface of shared/tools/functions-host/run.sh on top of Azure Functions Core Tools, so that the host tests
# (tests/Interflow.TestServer/FunctionsHost.cs) run under `func start` where Core Tools are installed.
#
# Usage: func-host.sh APP_DIR [--port N] [--settings FILE] [--master-key KEY] [--state DIR]
#   APP_DIR is the app's build output; the settings file becomes its local.settings.json, as func start reads it.
#   Core Tools check function keys only with --enableAuth; the master key reaches the host through file-based secrets.
# Not run on the build machines here (Core Tools cannot be installed there); the GitHub workflow runs it.
set -euo pipefail
app="" port=7071 settings="" master="" state=""
while [ $# -gt 0 ]; do
  case "$1" in
    --port) port=$2; shift 2 ;;
    --settings) settings=$2; shift 2 ;;
    --master-key) master=$2; shift 2 ;;
    --state) state=$2; shift 2 ;;
    *) [ -z "$app" ] && app=$1 || { echo "unexpected argument: $1" >&2; exit 2; }; shift ;;
  esac
done
[ -n "$app" ] && [ -f "$app/functions.metadata" ] || { echo "usage: func-host.sh APP_DIR ... (APP_DIR must hold functions.metadata)" >&2; exit 2; }
state=${state:-$(mktemp -d)}
master=${master:-$(head -c 32 /dev/urandom | base64 | tr -d '/+=' | head -c 40)}
mkdir -p "$state/secrets"
cat >"$state/secrets/host.json" <<JSON
{"masterKey":{"name":"master","value":"$master","encrypted":false},"functionKeys":[],"systemKeys":[],"hostName":"127.0.0.1:$port","source":"runtime","decryptionKeyId":""}
JSON
[ -n "$settings" ] && cp "$settings" "$app/local.settings.json"
cd "$app"
export AzureWebJobsSecretStorageType=files FUNCTIONS_SECRETS_PATH="$state/secrets"
exec func start --port "$port" --enableAuth
