#!/usr/bin/env bash
# The one test command. On a fresh machine it installs what it needs (npm: Azurite; NuGet: every package), starts
# Azurite, builds every project (the Functions app too, with the real Worker Sdk, and its Release build for the host
# tests), runs every test project (the Node, Python and PHP SDK suites too, through tests/Interflow.Sdks.Tests), and
# ends with one line: "N passed, N failed, N skipped", over every test of every suite.
# Host tests run the Release build in the Functions host named by INTERFLOW_FUNCTIONS_HOST (.ci/run sets it where
# the build machines have one), else under Core Tools' func when it is on the PATH; elsewhere they are skipped.
set -uo pipefail
cd "$(dirname "$0")/.."
root=$PWD
artifacts=$root/.artifacts
results=$artifacts/test-results
rm -rf "$results"
mkdir -p "$results"
step() { printf '\n== %s\n' "$*"; }
fail() { echo "$*" >&2; echo "0 passed, 1 failed"; exit 1; }

step "npm packages (Azurite, Cosmos DB stand-in)"
npm ci --no-audit --no-fund --loglevel=error || fail "npm ci failed"

step "Azurite on 127.0.0.1:10100-10102 (a fresh data folder)"
source scripts/azurite.sh
rm -rf "$artifacts/azurite-data"
start_azurite 10100 10101 10102 "$artifacts/azurite.log" --location "$artifacts/azurite-data" || fail "Azurite did not start"
export INTERFLOW_TEST_STORAGE=$AZURITE_CONNECTION

# Unless a real Cosmos DB (or the emulator) is configured, the store contract suite runs against the partial
# stand-in for what it does faithfully; the rest is skipped with the reason printed below.
if [ -z "${INTERFLOW_COSMOS_ENDPOINT:-}" ]; then
  step "Cosmos DB stand-in on 127.0.0.1:10110"
  node scripts/cosmos-standin.js 10110 >"$artifacts/cosmos-standin.log" 2>&1 &
  standin_pid=$!
  trap 'kill "$AZURITE_PID" "$standin_pid" 2>/dev/null' EXIT
  for _ in $(seq 1 60); do
    (exec 3<>/dev/tcp/127.0.0.1/10110) 2>/dev/null && break
    sleep 0.5
  done
  export INTERFLOW_COSMOS_ENDPOINT=https://127.0.0.1:10110
  # The emulator's well-known key: public, and only ever used against loopback.
  export INTERFLOW_COSMOS_KEY="C2y6yDjf5/R+ob0N8A7Cgv30VRDJIWEHLM+4QDU5DE2nQ9nDuVTqobD4b8mGGyPMbIZnqyMsEcaGQy67XIw/Jw=="
  export INTERFLOW_COSMOS_EMULATOR=true INTERFLOW_COSMOS_STANDIN=true
  # Needed by the SDK against the stand-in: plan queries locally, and COUNT through optimistic direct execution.
  export AZURE_COSMOS_USE_QUERY_PLAN_INTEROP_LINUX=true AZURE_COSMOS_OPTIMISTIC_DIRECT_EXECUTION_ENABLED=true
fi

step "Build: every project"
dotnet build Interflow.Functions.sln --nologo -v q -clp:ErrorsOnly || fail "build failed"

step "Build: the Functions app, Release (what the host tests run)"
dotnet build src/Interflow.Functions -c Release --nologo -v q -clp:ErrorsOnly || fail "Functions app Release build failed"
export INTERFLOW_FUNCTIONS_APP=$root/src/Interflow.Functions/bin/Release/net10.0
echo "built: $INTERFLOW_FUNCTIONS_APP ($(node -p 'JSON.parse(require("fs").readFileSync(process.argv[1])).length' "$INTERFLOW_FUNCTIONS_APP/functions.metadata") functions in its functions.metadata)"
if [ -n "${INTERFLOW_FUNCTIONS_HOST:-}" ]; then
  echo "host tests: in $INTERFLOW_FUNCTIONS_HOST"
elif command -v func >/dev/null 2>&1; then
  echo "host tests: under func start ($(command -v func))"
else
  echo "host tests: skipped (no INTERFLOW_FUNCTIONS_HOST, no func on the PATH)"
fi

step "Bicep: build and lint every file (any warning fails)"
bash scripts/bicep.sh || fail "bicep build/lint failed"

# Debian packages, installed only when missing; the package lists are refreshed once, if an install needs it.
sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo"
apt_install() {
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "$@" >>"$artifacts/apt.log" 2>&1 \
    || { $sudo apt-get update -q >>"$artifacts/apt.log" 2>&1 \
         && $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "$@" >>"$artifacts/apt.log" 2>&1; }
}

step "Chromium (Debian package), for the docs page test"
# The docs page is tested in a real browser. Hosted runners ship Google Chrome; elsewhere apt installs chromium.
browser=$(command -v chromium || command -v chromium-browser || command -v google-chrome || command -v google-chrome-stable || true)
if [ -z "$browser" ]; then
  apt_install chromium || fail "could not install chromium with apt-get (log: .artifacts/apt.log)"
  browser=$(command -v chromium)
fi
export INTERFLOW_CHROMIUM=$browser INTERFLOW_TEST_RESULTS=$results
echo "$browser ($("$browser" --version 2>/dev/null | head -1))"

step "SDK toolchains (Debian packages): PHP, PHPUnit, Composer; Python's httpx, pytest, venv, setuptools, build, twine"
# tests/Interflow.Sdks.Tests runs the Node, Python and PHP SDK suites, installs each SDK as its README says (Python
# from Debian's packages, as on a machine without the package index) and rehearses each release; none may be skipped.
if ! { command -v php && command -v phpunit && command -v composer && php -m | grep -qx curl && php -m | grep -qx mbstring \
       && /usr/bin/python3 -c "import httpx, pytest, ensurepip, setuptools, build, twine"; } >/dev/null 2>&1; then
  apt_install php-cli php-curl php-mbstring phpunit composer python3-pytest python3-httpx \
      python3-venv python3-setuptools python3-build twine \
    || fail "could not install the SDK toolchains with apt-get (log: .artifacts/apt.log)"
fi
export INTERFLOW_SDKS_REQUIRED=1
echo "$(php --version | head -1); $(phpunit --version | head -1); $(/usr/bin/python3 --version), httpx $(/usr/bin/python3 -c 'import httpx; print(httpx.__version__)'); node $(node --version)"

step "Tests"
status=0
for project in $(dotnet sln Interflow.Functions.sln list | grep -E 'Tests\.csproj$'); do
  name=$(basename "$project" .csproj)
  dotnet test "$project" --no-build --nologo --results-directory "$results" \
    --logger "trx;LogFileName=$name.trx" --logger "console;verbosity=minimal" || status=1
done

step "Smoke: scripts/smoke.mjs against the standalone test server (the workflow runs it against func start)"
smoke_log=$artifacts/smoke-server.log
rm -f "$artifacts"/smoke.db*
dotnet tests/Interflow.TestServer/bin/Debug/net10.0/Interflow.TestServer.dll --port 0 --db "$artifacts/smoke.db" >"$smoke_log" 2>&1 &
smoke_server=$!
smoke_base="" smoke_key=""
for _ in $(seq 1 60); do
  smoke_base=$(grep -o 'listening on http://[0-9.:]*' "$smoke_log" | head -1 | sed 's/listening on //')
  smoke_key=$(grep -o 'ifk_test_[A-Za-z0-9]*' "$smoke_log" | head -1)
  [ -n "$smoke_base" ] && [ -n "$smoke_key" ] && break
  sleep 0.5
done
smoke_passed=0 smoke_failed=1
if [ -n "$smoke_base" ] && [ -n "$smoke_key" ]; then
  node scripts/smoke.mjs --base "$smoke_base" --key "$smoke_key" | tee "$artifacts/smoke.log"
  totals=$(grep -o 'smoke: [0-9]* passed, [0-9]* failed' "$artifacts/smoke.log" | tail -1)
  if [ -n "$totals" ]; then
    smoke_passed=$(echo "$totals" | awk '{print $2}')
    smoke_failed=$(echo "$totals" | awk '{print $4}')
  fi
else
  echo "the standalone test server did not start; its log: $smoke_log"
fi
kill "$smoke_server" 2>/dev/null
for _ in $(seq 1 30); do kill -0 "$smoke_server" 2>/dev/null || break; sleep 0.5; done
if kill -0 "$smoke_server" 2>/dev/null; then
  echo "the standalone test server did not stop within 15 s of SIGTERM"
  kill -9 "$smoke_server" 2>/dev/null
  smoke_failed=$((smoke_failed + 1))
fi

passed=0 failed=0 skipped=0
shopt -s nullglob
trx_files=("$results"/*.trx)
for trx in "${trx_files[@]}"; do
  counters=$(grep -o '<Counters [^>]*>' "$trx")
  count() { echo "$counters" | grep -o " $1=\"[0-9]*\"" | grep -o '[0-9]*' || echo 0; }
  passed=$((passed + $(count passed)))
  failed=$((failed + $(count failed) + $(count error) + $(count timeout) + $(count aborted)))
  skipped=$((skipped + $(count total) - $(count executed)))
done
if [ "$skipped" -gt 0 ]; then
  echo
  echo "Skipped tests and why:"
  awk '/<UnitTestResult / { skipped = /outcome="NotExecuted"/ }
       skipped && /<Message>/ { sub(/.*<Message>/, ""); sub(/<\/Message>.*/, ""); print; skipped = 0 }' "${trx_files[@]}" \
    | sort | uniq -c | sed 's/^/  /'
fi
if [ "${#trx_files[@]}" -eq 0 ] && [ "$failed" -eq 0 ]; then
  failed=1
fi
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then
  failed=1
fi
# The SDK suites' own tests (tests/Interflow.Sdks.Tests wrote their counts: passed failed skipped).
for counts in "$results"/sdk-*.counts; do
  read -r sdk_passed sdk_failed sdk_skipped <"$counts"
  echo "$(basename "$counts" .counts): $sdk_passed passed, $sdk_failed failed, $sdk_skipped skipped"
  passed=$((passed + sdk_passed))
  failed=$((failed + sdk_failed))
  skipped=$((skipped + sdk_skipped))
done
for sdk in node python php; do
  [ -f "$results/sdk-$sdk.counts" ] || { echo "the $sdk SDK suite did not run"; failed=$((failed + 1)); }
done
passed=$((passed + smoke_passed))
failed=$((failed + smoke_failed))
echo
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
