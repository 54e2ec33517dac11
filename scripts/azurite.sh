# Sourced by run.sh and test.sh: starts Azurite (from node_modules) on loopback and stops it when the script exits.
# Usage: start_azurite BLOB_PORT QUEUE_PORT TABLE_PORT LOG_FILE [extra azurite options]
start_azurite() {
  local blob=$1 queue=$2 table=$3 log=$4
  shift 4
  node_modules/.bin/azurite --silent --skipApiVersionCheck --disableTelemetry --loose \
    --blobHost 127.0.0.1 --queueHost 127.0.0.1 --tableHost 127.0.0.1 \
    --blobPort "$blob" --queuePort "$queue" --tablePort "$table" "$@" >"$log" 2>&1 &
  AZURITE_PID=$!
  trap 'kill "$AZURITE_PID" 2>/dev/null' EXIT
  for _ in $(seq 1 60); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$queue") 2>/dev/null; then
      AZURITE_CONNECTION="DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;BlobEndpoint=http://127.0.0.1:$blob/devstoreaccount1;QueueEndpoint=http://127.0.0.1:$queue/devstoreaccount1;TableEndpoint=http://127.0.0.1:$table/devstoreaccount1;"
      export AZURITE_CONNECTION
      return 0
    fi
    sleep 0.5
  done
  echo "Azurite did not start; its log:" >&2
  cat "$log" >&2
  return 1
}
