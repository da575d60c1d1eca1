#!/usr/bin/env bash
# make deploy: build the seven images, push them to the kind registry and install the umbrella
# chart with the dev values. IMAGE_TAG (default: the git commit) tags the images; set
# SKIP_BUILD=1 to deploy images already pushed. Extra arguments go to helm (e.g. --set ...).
source "$(dirname "$0")/lib.sh"
need docker helm kubectl
registry="localhost:${KIND_REGISTRY_PORT}"
tag="${IMAGE_TAG:-$(git -C "${ROOT}" rev-parse --short HEAD 2>/dev/null || echo dev)}"
services=(gateway user product inventory order notification ai)

if [[ "${SKIP_BUILD:-0}" != 1 ]]; then
  for service in "${services[@]}"; do
    say "image ${registry}/cartwheel-${service}:${tag}"
    docker build --build-arg "SERVICE=${service}" --tag "${registry}/cartwheel-${service}:${tag}" "${ROOT}"
    docker push "${registry}/cartwheel-${service}:${tag}"
  done
fi

say "helm ${CARTWHEEL_RELEASE} (charts/cartwheel) in ${CARTWHEEL_NAMESPACE}"
helm --kube-context "${KUBE_CONTEXT}" upgrade --install "${CARTWHEEL_RELEASE}" "${ROOT}/charts/cartwheel" \
  --namespace "${CARTWHEEL_NAMESPACE}" --create-namespace \
  --values "${ROOT}/charts/cartwheel/values-dev.yaml" \
  --set "global.image.registry=${registry}" --set "global.image.tag=${tag}" \
  --wait --timeout 15m "$@"
say "deployed; next: make port-forward, then the walkthrough (README, \"The seed walkthrough\")"
