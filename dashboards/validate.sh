#!/usr/bin/env bash
# Validates every Grafana dashboard in this folder against the JSON Schema of Grafana's own dashboard type:
# @grafana/schema ships the TypeScript types (dist/types/raw/dashboard/x/types.gen.d.ts, type Dashboard),
# ts-json-schema-generator turns them into a JSON Schema once, and Ajv checks each dashboard with it.
#
#   bash dashboards/validate.sh [dashboard.json ...]     (default: dashboards/*.json)
#
# The npm packages go into a cache folder (default .cache/dashboard-schema at the repository root, gitignored;
# MLOPS_DASHBOARD_SCHEMA_CACHE overrides it), installed again only when a pinned version below changes.
# Needs node and npm (Debian's nodejs) and the npm registry. Exit 0: every dashboard is valid; 1: at least one is
# not (each error printed with its file and JSON path); 2: the tools could not be installed.
set -euo pipefail

GRAFANA_SCHEMA=13.2.3
GENERATOR=2.9.0
AJV=8.20.0
AJV_FORMATS=3.0.1

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
cache=${MLOPS_DASHBOARD_SCHEMA_CACHE:-$root/.cache/dashboard-schema}
stamp="@grafana/schema@$GRAFANA_SCHEMA ts-json-schema-generator@$GENERATOR ajv@$AJV ajv-formats@$AJV_FORMATS"

die() { printf 'validate.sh: %s\n' "$*" >&2; exit 2; }
command -v node >/dev/null || die "node is not installed (Debian package nodejs)"
command -v npm >/dev/null || die "npm is not installed (Debian package npm)"

if [ $# -eq 0 ]; then
  set -- "$here"/*.json
fi

mkdir -p "$(dirname "$cache")"
# One installer at a time (tests and people may run this at once); readers wait for it.
exec 9>"$cache.lock"
flock 9

schema="$cache/dashboard.schema.json"
if [ ! -f "$cache/stamp" ] || [ "$(cat "$cache/stamp")" != "$stamp" ] || [ ! -f "$schema" ]; then
  printf 'validate.sh: installing %s into %s\n' "$stamp" "$cache" >&2
  rm -rf "$cache" "$cache.tmp"
  mkdir -p "$cache.tmp"
  printf '{"private": true}\n' > "$cache.tmp/package.json"
  # ts-json-schema-generator declares node >= 22 but runs on Debian's node 20; --loglevel=error hides that warning.
  npm install --prefix "$cache.tmp" --no-save --no-package-lock --no-audit --no-fund --loglevel=error \
    "@grafana/schema@$GRAFANA_SCHEMA" "ts-json-schema-generator@$GENERATOR" "ajv@$AJV" "ajv-formats@$AJV_FORMATS" >&2 \
    || die "npm install failed"
  types="$cache.tmp/node_modules/@grafana/schema/dist/types/raw/dashboard/x/types.gen.d.ts"
  [ -f "$types" ] || die "@grafana/schema@$GRAFANA_SCHEMA has no $types"
  node "$cache.tmp/node_modules/ts-json-schema-generator/bin/ts-json-schema-generator.js" \
    --path "$types" --type Dashboard --no-type-check --out "$cache.tmp/dashboard.schema.json" >&2 \
    || die "ts-json-schema-generator failed on $types"
  printf '%s\n' "$stamp" > "$cache.tmp/stamp"
  mv "$cache.tmp" "$cache"
fi

node - "$cache" "$@" <<'JS'
const [cache, ...files] = process.argv.slice(2);
const fs = require("fs");
const path = require("path");
const load = require("module").createRequire(path.join(cache, "package.json"));
const Ajv = load("ajv").default;
const addFormats = load("ajv-formats").default;
const ajv = new Ajv({ allErrors: true, strict: false });
addFormats(ajv);
const schema = JSON.parse(fs.readFileSync(path.join(cache, "dashboard.schema.json"), "utf8"));
const validate = ajv.compile(schema);
const validatePanel = ajv.compile({ ...schema, $ref: "#/definitions/Panel" });
const validateRow = ajv.compile({ ...schema, $ref: "#/definitions/RowPanel" });
let failed = 0;
for (const file of files) {
  const name = path.relative(process.cwd(), file);
  let dashboard;
  try {
    dashboard = JSON.parse(fs.readFileSync(file, "utf8"));
  } catch (e) {
    console.log(`${name}: not JSON: ${e.message}`);
    failed++;
    continue;
  }
  if (validate(dashboard)) {
    console.log(`${name}: valid`);
    continue;
  }
  failed++;
  // A broken panel fails both branches of "Panel | RowPanel": report it against the branch its type names.
  const errors = validate.errors.filter(e => !/^\/panels\/\d+/.test(e.instancePath));
  const broken = new Set(validate.errors.map(e => /^\/panels\/(\d+)/.exec(e.instancePath)).filter(m => m).map(m => Number(m[1])));
  for (const i of broken) {
    const panel = dashboard.panels[i];
    const check = panel && panel.type === "row" ? validateRow : validatePanel;
    check(panel);
    for (const e of check.errors || []) errors.push({ ...e, instancePath: `/panels/${i}${e.instancePath}` });
  }
  const lines = errors.map(e =>
    `${name}: ${e.instancePath || "/"} ${e.message}${e.params && e.params.additionalProperty ? ` '${e.params.additionalProperty}'` : ""}`);
  for (const line of new Set(lines)) console.log(line);
}
console.log(`${files.length - failed} of ${files.length} dashboards valid`);
process.exit(failed === 0 ? 0 : 1);
JS
