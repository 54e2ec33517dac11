#!/usr/bin/env bash
# Builds and lints every Bicep file under infra/ with the Bicep CLI from NuGet (Azure.Bicep.CommandLine.linux-x64,
# restored through infra/tools/BicepCli.csproj). Any diagnostic, warning or error, fails the run.
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet restore infra/tools/BicepCli.csproj --nologo -v q >/dev/null
bicep=$(dotnet msbuild infra/tools/BicepCli.csproj -getProperty:BicepPath -nologo)
[ -x "$bicep" ] || { echo "Bicep CLI not found at $bicep" >&2; exit 1; }
echo "$("$bicep" --version)"
diagnostics=$(mktemp)
status=0
for file in $(find infra \( -name '*.bicep' -o -name '*.bicepparam' \) | sort); do
  case $file in
    *.bicepparam) build=build-params ;;
    *) build=build ;;
  esac
  "$bicep" "$build" "$file" --stdout >/dev/null 2>>"$diagnostics" || status=1
  "$bicep" lint "$file" >>"$diagnostics" 2>&1 || status=1
  echo "  built and linted $file"
done
if [ -s "$diagnostics" ]; then
  cat "$diagnostics" >&2
  status=1
fi
rm -f "$diagnostics"
exit $status
