#!/usr/bin/env bash
# Creates the objects of a YAML stream on stdin in CARTWHEEL_NAMESPACE unless they exist already;
# existing ones are left exactly as they are. Tilt renders the chart with `helm template`, where
# the chart's `lookup` of the Secrets it generated once (signing key, passwords) finds nothing:
# applying them on every Tiltfile run would replace the keys and passwords each time.
source "$(dirname "$0")/lib.sh"
need kubectl
ns="${CARTWHEEL_NAMESPACE}"
ensure_namespace "${ns}"
if output="$(kc -n "${ns}" create -f - 2>&1)"; then
  printf '%s\n' "${output}"
  exit 0
fi
# kubectl creates what it can and reports each existing object as AlreadyExists; anything else fails.
failures="$(printf '%s\n' "${output}" | grep -v -e 'AlreadyExists' -e ' created$' || true)"
printf '%s\n' "${output}" | grep -e ' created$' || true
if [[ -n "${failures}" ]]; then
  printf '%s\n' "${failures}" >&2
  exit 1
fi
