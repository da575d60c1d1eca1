#!/usr/bin/env bash
# make operators: Strimzi, CloudNativePG, the MongoDB controllers (MCK) and the Keycloak operator,
# at the versions pinned in k8s/versions.env, with the values in k8s/operators/. Idempotent; each
# install waits until its operator is ready (a CR applied earlier fails on the webhook).
# `operators.sh <name>...` installs only those (strimzi cnpg mongodb keycloak): Tilt uses that.
source "$(dirname "$0")/lib.sh"
need kubectl helm

strimzi() {
  helm_release strimzi "${STRIMZI_NAMESPACE}" "${STRIMZI_CHART}" "${STRIMZI_VERSION}" k8s/operators/strimzi-values.yaml
  # helm upgrade never updates CRDs (K8S-REFERENCE): re-apply the chart's CRDs on every run.
  helm show crds "${STRIMZI_CHART}" --version "${STRIMZI_VERSION}" | kc apply --server-side --force-conflicts -f - >/dev/null
}

cnpg() {
  helm_release cnpg "${CNPG_NAMESPACE}" "${CNPG_CHART}" "${CNPG_VERSION}" k8s/operators/cloudnative-pg-values.yaml \
    --repo "${CNPG_REPO}"
}

mongodb() {
  # The operator creates the database ServiceAccount and Roles in the namespace it watches.
  ensure_namespace "${CARTWHEEL_NAMESPACE}"
  helm_release mongodb-kubernetes "${MCK_NAMESPACE}" "${MCK_CHART}" "${MCK_VERSION}" k8s/operators/mongodb-kubernetes-values.yaml \
    --repo "${MCK_REPO}" --set "operator.watchNamespace=${CARTWHEEL_NAMESPACE}"
}

keycloak() {
  # No official chart: the release's CRDs (26.7 adds the OIDC and SAML client CRDs; without them
  # the operator crash-loops) and its operator manifest, in the platform's namespace.
  local base="${KEYCLOAK_RESOURCES}/${KEYCLOAK_VERSION}/kubernetes" crd
  say "keycloak operator ${KEYCLOAK_VERSION} in ${CARTWHEEL_NAMESPACE}"
  ensure_namespace "${CARTWHEEL_NAMESPACE}"
  for crd in keycloaks keycloakrealmimports keycloakoidcclients keycloaksamlclients; do
    kc apply --server-side --force-conflicts -f "${base}/${crd}.k8s.keycloak.org-v1.yml" >/dev/null
  done
  kc -n "${CARTWHEEL_NAMESPACE}" apply -f "${base}/kubernetes.yml" >/dev/null
  kc -n "${CARTWHEEL_NAMESPACE}" patch deployment keycloak-operator --type strategic \
    --patch-file "${ROOT}/k8s/operators/keycloak-operator-patch.yaml" >/dev/null
  kc -n "${CARTWHEEL_NAMESPACE}" rollout status deployment/keycloak-operator --timeout 5m
}

run_each "strimzi cnpg mongodb keycloak" "$@"
say "operators ready: ${*:-all}; next: make observability"
