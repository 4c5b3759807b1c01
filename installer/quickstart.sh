#!/usr/bin/env bash
# Starts a whole local ExchangeGateway federation on 127.0.0.1: the dev trust services (CA, OCSP, TSA),
# a Central Server (instance DEV), two security servers and a sample echo provider (REST, and SOAP with a WSDL), registered with each
# other through real signed management requests. Needs only the .NET 10 SDK.
#
#   installer/quickstart.sh              start it, print the URLs and a curl example, run until Ctrl-C
#   installer/quickstart.sh --smoke      start it, check one REST and one SOAP exchange end to end, stop; exit 0 or 1
#   installer/quickstart.sh --headless   start it, print "READY <federation.json>", run until stdin closes
#
# State goes to .xgw/quickstart/ in the repository root, wiped and recreated on every run.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v dotnet >/dev/null 2>&1; then
  echo "quickstart.sh: the .NET 10 SDK is required (dotnet is not on PATH); see https://dot.net" >&2
  exit 2
fi

export DOTNET_NOLOGO=1
export DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
log=$(mktemp)
trap 'rm -f "$log"' EXIT

# The Quickstart project references the Central Server, security server and trust services projects
# (without copying them), so this one build produces every host the federation runs.
echo "== build (Release; the first build takes a minute or two)"
if ! dotnet build installer/ExchangeGateway.Quickstart -c Release -nologo -v quiet -clp:ErrorsOnly >"$log" 2>&1; then
  # Errors only, each once; the full output follows if that leaves nothing.
  errors=$(grep -E ': (error|warning) ' "$log" | sed -E 's/ \[[^]]*\]$//' | sort -u || true)
  if [ -n "$errors" ]; then echo "$errors" >&2; else cat "$log" >&2; fi
  echo "quickstart.sh: the build failed; nothing was started" >&2
  exit 1
fi
rm -f "$log"
trap - EXIT

# exec: the quickstart gets Ctrl-C and SIGTERM itself and stops every child it started.
exec dotnet installer/ExchangeGateway.Quickstart/bin/Release/net10.0/ExchangeGateway.Quickstart.dll "$@"
