#!/usr/bin/env bash
# Writes docs/openapi.json and docs/openapi.internal.json, generated from the route table and the request and view
# types (a test fails when the committed files differ from what the code generates).
set -euo pipefail
cd "$(dirname "$0")/.."
# dotnet run starts the program in the project's folder: give it an absolute path.
dotnet run --project tests/Interflow.TestServer -- --write-openapi "$PWD/docs"
