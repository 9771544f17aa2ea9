#!/usr/bin/env bash
# Fetch the JSON Schema of AsyncAPI 3.0.0 that tests/api/test_asyncapi.py checks /asyncapi.json
# against: the file schemas/3.0.0-without-$id.json of the npm package @asyncapi/specs (Apache
# License 2.0, the AsyncAPI Initiative), from the npm registry with npm's own client.
#
#   scripts/asyncapi_schema.sh OUT     writes OUT (nothing to do when it is there already)
set -euo pipefail

VERSION=6.11.1
out="${1:?usage: scripts/asyncapi_schema.sh OUT}"
[ -s "$out" ] && exit 0
command -v npm >/dev/null 2>&1 || {
  echo "asyncapi_schema.sh: error: npm is needed to fetch @asyncapi/specs (apt-get install npm)" >&2
  exit 1
}
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
echo ">> fetching @asyncapi/specs@$VERSION (the AsyncAPI 3.0.0 JSON Schema)" >&2
(cd "$work" && npm pack --silent "@asyncapi/specs@$VERSION" >/dev/null)
tar -xzf "$work"/asyncapi-specs-"$VERSION".tgz -C "$work" 'package/schemas/3.0.0-without-$id.json'
mkdir -p "$(dirname "$out")"
cp "$work/package/schemas/3.0.0-without-\$id.json" "$out"
