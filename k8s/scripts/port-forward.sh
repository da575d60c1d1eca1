#!/usr/bin/env bash
# make port-forward: gateway → localhost:8080, Grafana → 3000, Mailpit → 8025, Keycloak → 8180.
# Runs until Ctrl+C; a forward that drops (pod restarted) is started again.
source "$(dirname "$0")/lib.sh"
need kubectl

# forward <namespace> <service> <local port> <service port>
forward() {
  local ns="$1" svc="$2" local_port="$3" remote_port="$4"
  while true; do
    if kc -n "${ns}" get "svc/${svc}" >/dev/null 2>&1; then
      kc -n "${ns}" port-forward "svc/${svc}" "${local_port}:${remote_port}" >/dev/null 2>&1 || true
    fi
    sleep 2
  done
}

pids=()
trap 'kill "${pids[@]}" 2>/dev/null; exit 0' INT TERM EXIT
forward "${CARTWHEEL_NAMESPACE}" "${CARTWHEEL_RELEASE}-gateway" 8080 80 & pids+=($!)
forward "${OBSERVABILITY_NAMESPACE}" kube-prometheus-stack-grafana 3000 80 & pids+=($!)
forward "${CARTWHEEL_NAMESPACE}" "${CARTWHEEL_RELEASE}-mailpit" 8025 8025 & pids+=($!)
forward "${CARTWHEEL_NAMESPACE}" "${CARTWHEEL_RELEASE}-keycloak-service" 8180 8080 & pids+=($!)
cat <<TEXT
gateway   http://localhost:8080  (API docs: /docs)
grafana   http://localhost:3000  (admin / cartwheel)
mailpit   http://localhost:8025
keycloak  http://localhost:8180  (realm cartwheel)
Ctrl+C stops the forwards.
TEXT
wait
