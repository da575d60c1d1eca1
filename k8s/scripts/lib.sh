# shellcheck shell=bash
# Shared by the k8s/scripts/*.sh entry points (sourced, not run): repository root, pinned
# versions from k8s/versions.env, and small helpers.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
set -a
# shellcheck source=../versions.env
source "${ROOT}/k8s/versions.env"
set +a
KUBE_CONTEXT="${KUBE_CONTEXT:-kind-${KIND_CLUSTER_NAME}}"

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }

# need <tool>...: fail early, naming the missing tool and where k8s/README.md says to get it.
need() {
  local tool
  for tool in "$@"; do
    command -v "${tool}" >/dev/null 2>&1 || {
      echo "error: ${tool} is not installed (k8s/README.md, \"Prerequisites\")" >&2
      exit 1
    }
  done
}

kc() { kubectl --context "${KUBE_CONTEXT}" "$@"; }

ensure_namespace() { kc create namespace "$1" --dry-run=client -o yaml | kc apply -f - >/dev/null; }

# helm_release <release> <namespace> <chart> <version> <values file> [extra helm args...]
# Idempotent: upgrade --install with the pinned version, waiting until the release is ready.
helm_release() {
  local release="$1" namespace="$2" chart="$3" version="$4" values="$5"
  shift 5
  say "helm ${release} ${version} (${chart}) in ${namespace}"
  helm --kube-context "${KUBE_CONTEXT}" upgrade --install "${release}" "${chart}" \
    --version "${version}" --namespace "${namespace}" --create-namespace \
    --values "${ROOT}/${values}" --wait --timeout 10m "$@"
}

# run_each "<known names>" [name...]: runs the function of each named component, in order (all
# known ones when none is named); an unknown name is an error.
run_each() {
  local known="$1" name
  shift
  local selected=("$@")
  [[ ${#selected[@]} -gt 0 ]] || read -ra selected <<<"${known}"
  for name in "${selected[@]}"; do
    [[ " ${known} " == *" ${name} "* ]] || { echo "error: unknown component ${name} (${known})" >&2 && exit 2; }
    "${name}"
  done
}
