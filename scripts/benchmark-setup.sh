# Sourced by the benchmark scripts: npm packages (Azurite), the Release builds of the benchmarks, the test server
# and the Functions app, and the Functions host to run that app in (INTERFLOW_FUNCTIONS_HOST, as in .ci/run).
mkdir -p .artifacts
npm ci --no-audit --no-fund --loglevel=error
source scripts/azurite.sh
dotnet build tests/Interflow.Benchmarks -c Release --nologo -v q -clp:ErrorsOnly
dotnet build tests/Interflow.TestServer -c Release --nologo -v q -clp:ErrorsOnly
dotnet build src/Interflow.Functions -c Release --nologo -v q -clp:ErrorsOnly
export INTERFLOW_FUNCTIONS_APP=$PWD/src/Interflow.Functions/bin/Release/net10.0
if [ -z "${INTERFLOW_FUNCTIONS_HOST:-}" ] && [ -x ../shared/tools/functions-host/run.sh ]; then
  export INTERFLOW_FUNCTIONS_HOST=$PWD/../shared/tools/functions-host/run.sh
fi
