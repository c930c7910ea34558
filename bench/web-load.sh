#!/usr/bin/env bash
# The web load run of docs/benchmarks.md ("Web"): loopback only, bounded in time, on SQLite and on a throwaway PostgreSQL.
# Usage: bench/web-load.sh [concurrency] [seconds]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
dotnet build bench/Custodes.LoadTest -c Release --nologo -v quiet -clp:ErrorsOnly
for provider in sqlite postgres; do
  dotnet bench/Custodes.LoadTest/bin/Release/net10.0/Custodes.LoadTest.dll --provider "$provider" --concurrency "${1:-32}" --seconds "${2:-15}"
done
