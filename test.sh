#!/usr/bin/env bash
# Runs every test of the solution: unit, functional (real Kestrel hosts on 127.0.0.1) and, as later
# issues add them, system tests. Needs the .NET 10 SDK and openssl on PATH.
# The last line sums all runs as "N passed, N failed[, N skipped]".
set -uo pipefail
cd "$(dirname "$0")"

if ! command -v openssl >/dev/null 2>&1; then
  echo "test.sh: openssl is required for the interoperability tests (Debian: apt-get install -y openssl)" >&2
  exit 2
fi

log=$(mktemp)
trap 'rm -f "$log"' EXIT

echo "== build (Release, warnings as errors)"
if ! dotnet build ExchangeGateway.sln -c Release -warnaserror -nologo -v quiet; then
  echo "test.sh: build failed" >&2
  echo "0 passed, 1 failed"
  exit 1
fi

echo "== unit and functional tests"
# --blame-hang-timeout turns a hung test into a failure with a dump instead of a stalled run.
dotnet test ExchangeGateway.sln -c Release --no-build --nologo \
  --blame-hang-timeout 5m 2>&1 | tee "$log"
rc=${PIPESTATUS[0]}

sum() { grep -Eo "$1: +[0-9]+" "$log" | awk '{s += $2} END {print s + 0}'; }
passed=$(sum Passed)
failed=$(sum Failed)
skipped=$(sum Skipped)
if [ "$rc" -ne 0 ] && [ "$failed" -eq 0 ]; then
  # A test host that crashed prints no summary; count it so the total never reads green.
  failed=1
fi

if [ "$skipped" -gt 0 ]; then
  echo "$passed passed, $failed failed, $skipped skipped"
else
  echo "$passed passed, $failed failed"
fi
exit "$rc"
