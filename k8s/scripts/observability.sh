#!/usr/bin/env bash
# make observability: kube-prometheus-stack (Prometheus, Alertmanager, Grafana), Loki, Tempo and
# Alloy, pinned in k8s/versions.env, values in k8s/observability/. Idempotent.
# `observability.sh <name>...` installs only those (prometheus loki tempo alloy).
source "$(dirname "$0")/lib.sh"
need kubectl helm
ns="${OBSERVABILITY_NAMESPACE}"

prometheus() {
  helm_release kube-prometheus-stack "${ns}" "${KPS_CHART}" "${KPS_VERSION}" k8s/observability/kube-prometheus-stack-values.yaml \
    --repo "${PROMETHEUS_REPO}"
}
loki() { helm_release loki "${ns}" "${LOKI_CHART}" "${LOKI_VERSION}" k8s/observability/loki-values.yaml --repo "${GRAFANA_COMMUNITY_REPO}"; }
tempo() { helm_release tempo "${ns}" "${TEMPO_CHART}" "${TEMPO_VERSION}" k8s/observability/tempo-values.yaml --repo "${GRAFANA_COMMUNITY_REPO}"; }
alloy() { helm_release alloy "${ns}" "${ALLOY_CHART}" "${ALLOY_VERSION}" k8s/observability/alloy-values.yaml --repo "${GRAFANA_REPO}"; }

run_each "prometheus loki tempo alloy" "$@"
say "observability ready: ${*:-all}; Grafana: make port-forward, then http://localhost:3000 (admin / cartwheel)"
