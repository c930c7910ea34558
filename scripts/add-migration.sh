#!/usr/bin/env bash
# Adds an EF Core migration for BOTH providers (SQLite and PostgreSQL): the model is one, the migration sets are two.
# Usage: scripts/add-migration.sh <Name>
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
name="${1:?usage: scripts/add-migration.sh <Name>}"
dotnet tool restore >/dev/null
dotnet ef migrations add "$name" --project src/Custodes.Application --context SqliteCustodesDb --output-dir Database/Migrations/Sqlite
dotnet ef migrations add "$name" --project src/Custodes.Application --context PostgresCustodesDb --output-dir Database/Migrations/Postgres --no-build
