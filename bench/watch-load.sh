#!/usr/bin/env bash
# The watch ingestion run of docs/benchmarks.md ("Watch"): loopback only, bounded in time, on SQLite and on a throwaway PostgreSQL.
# Usage: bench/watch-load.sh [workers] [seconds]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
dotnet build bench/Custodes.LoadTest -c Release --nologo -v quiet -clp:ErrorsOnly
for provider in sqlite postgres; do
  dotnet bench/Custodes.LoadTest/bin/Release/net10.0/Custodes.LoadTest.dll --watch --provider "$provider" --concurrency "${1:-4}" --seconds "${2:-15}"
done
