#!/usr/bin/env bash
# Re-vendors the chart dependencies after a change to the library or a service chart, so that
# `helm lint`/`helm template` work from a fresh clone without `helm dependency build` or network:
# each service chart (and the library's unit-test fixture) gets charts/cartwheel-lib-<v>.tgz, the
# umbrella gets every service chart. charts/test/vendoring.test.ts fails while they are stale.
# Uses $HELM, else the helm from `make chart-tools`, else helm on PATH.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
tools_env="${CARTWHEEL_CACHE:-$HOME/.cache/cartwheel}/tools.env"
[[ -z "${HELM:-}" && -f "$tools_env" ]] && source "$tools_env"
helm="${HELM:-helm}"
for chart in gateway user product inventory order notification ai cartwheel-lib/test-chart cartwheel; do
  "$helm" dependency build "$chart" >/dev/null
  echo "vendored $chart"
done
