#!/usr/bin/env bash
# Sets up and runs every test: installs what the tests need when it is missing (PostgreSQL, Chromium,
# Go with golang.org/x/mod, Python's cryptography/jsonschema, poppler, zbar for QR codes), builds, runs each test project,
# and ends with one line summing them all: "N passed, N failed, N skipped".
# Each test project starts its own throwaway PostgreSQL cluster on 127.0.0.1 (random port, temp dir).
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

need=()
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need+=(postgresql)
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v go >/dev/null 2>&1 || need+=(golang-go)
[[ -d /usr/share/gocode/src/golang.org/x/mod/sumdb ]] || need+=(golang-golang-x-mod-dev)
command -v pdftotext >/dev/null 2>&1 || need+=(poppler-utils)
command -v zbarimg >/dev/null 2>&1 || need+=(zbar-tools)
/usr/bin/python3 -c 'import cryptography' >/dev/null 2>&1 || need+=(python3-cryptography)
/usr/bin/python3 -c 'import jsonschema, regex' >/dev/null 2>&1 || need+=(python3-jsonschema python3-regex)
if ((${#need[@]})); then
  echo "installing: ${need[*]}" >&2
  if [[ $(id -u) -eq 0 ]]; then
    apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >&2 || { echo "could not install ${need[*]}" >&2; exit 3; }
  else
    sudo apt-get update -qq >&2 && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >&2 || { echo "could not install ${need[*]}" >&2; exit 3; }
  fi
fi

# The browser tests inject axe-core (pinned in tests/Custodes.Browser.Tests/package-lock.json; test-only, MPL-2.0, never shipped).
if [[ ! -f tests/Custodes.Browser.Tests/node_modules/axe-core/axe.min.js ]]; then
  command -v npm >/dev/null 2>&1 || { echo "npm is missing: the browser tests need it to fetch axe-core (apt-get install -y npm)" >&2; exit 3; }
  (cd tests/Custodes.Browser.Tests && npm ci --no-audit --no-fund >&2) || { echo "npm ci failed in tests/Custodes.Browser.Tests" >&2; exit 3; }
fi

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
dotnet build Custodes.slnx -c Release --nologo -v quiet -clp:ErrorsOnly || { echo "0 passed, 1 failed"; exit 1; }

results="$(mktemp -d)"
# Each test process starts its own PostgreSQL cluster under this run's directory (tests/Custodes.Testing/PostgresServer).
export CUSTODES_PG_ROOT="$(mktemp -d /tmp/custodes-pg-run.XXXXXX)"
chmod 755 "$CUSTODES_PG_ROOT"
trap 'rm -rf "$results"' EXIT
passed=0 failed=0 skipped=0 status=0
for project in tests/*/*.csproj; do
  name="$(basename "$project" .csproj)"
  [[ "$name" == "Custodes.Testing" ]] && continue   # shared test support, not a test project
  echo "== $name" >&2
  dotnet test "$project" -c Release --no-build --nologo --logger "trx;LogFileName=$name.trx" --results-directory "$results" 2>&1 \
    | grep -Ev '^\s*$|^Test run for|^A total of|^Results File' | tail -n 80
  rc=${PIPESTATUS[0]}
  trx="$results/$name.trx"
  counters="$(grep -o '<Counters [^>]*>' "$trx" 2>/dev/null | head -1)"
  if [[ -z "$counters" ]]; then
    echo "$name: the test run produced no results (exit $rc)" >&2
    failed=$((failed + 1)); status=1; continue
  fi
  count() { local v; v=$(grep -o " $1=\"[0-9]*\"" <<<"$counters" | grep -o '[0-9]\+'); echo "${v:-0}"; }
  total=$(count total); executed=$(count executed); p=$(count passed); f=$(count failed)
  f=$((f + $(count error) + $(count timeout) + $(count aborted)))
  passed=$((passed + p)); failed=$((failed + f)); skipped=$((skipped + total - executed))
  [[ $rc -ne 0 || $f -ne 0 ]] && status=1
done

# A test host killed mid-run cannot stop its PostgreSQL cluster; stop any this run left behind (and only those).
pkill -f "postgres -D $CUSTODES_PG_ROOT/" 2>/dev/null || true
rm -rf "$CUSTODES_PG_ROOT" 2>/dev/null || true

echo "$passed passed, $failed failed, $skipped skipped"
exit $status
