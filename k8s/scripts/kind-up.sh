#!/usr/bin/env bash
# make kind-up: the local registry (localhost:5001) and the kind cluster wired to it. Idempotent.
source "$(dirname "$0")/lib.sh"
need docker kind kubectl

have="$(kind version 2>/dev/null | awk '{print $2}' | sed 's/^v//')"
[[ "${have}" == "${KIND_VERSION}" ]] || echo "warning: kind ${have} found, Cartwheel is tested with ${KIND_VERSION}" >&2

if [[ "$(docker inspect -f '{{.State.Running}}' "${KIND_REGISTRY_NAME}" 2>/dev/null || true)" != 'true' ]]; then
  say "registry ${KIND_REGISTRY_NAME} on 127.0.0.1:${KIND_REGISTRY_PORT}"
  docker run -d --restart=always -p "127.0.0.1:${KIND_REGISTRY_PORT}:5000" --network bridge \
    --name "${KIND_REGISTRY_NAME}" "${KIND_REGISTRY_IMAGE}"
fi

if ! kind get clusters 2>/dev/null | grep -qx "${KIND_CLUSTER_NAME}"; then
  say "kind cluster ${KIND_CLUSTER_NAME}"
  kind create cluster --name "${KIND_CLUSTER_NAME}" --config "${ROOT}/k8s/kind/cluster.yaml" --wait 120s
fi

# Inside the nodes localhost is the node itself: send localhost:5001 to the registry container.
registry_dir="/etc/containerd/certs.d/localhost:${KIND_REGISTRY_PORT}"
for node in $(kind get nodes --name "${KIND_CLUSTER_NAME}"); do
  docker exec "${node}" mkdir -p "${registry_dir}"
  printf '[host."http://%s:5000"]\n' "${KIND_REGISTRY_NAME}" | docker exec -i "${node}" cp /dev/stdin "${registry_dir}/hosts.toml"
done

if [[ "$(docker inspect -f='{{json .NetworkSettings.Networks.kind}}' "${KIND_REGISTRY_NAME}")" == 'null' ]]; then
  docker network connect kind "${KIND_REGISTRY_NAME}"
fi

# Advertise the registry (KEP-1755): Tilt and Skaffold read this ConfigMap and push there.
kc apply -f - <<YAML
apiVersion: v1
kind: ConfigMap
metadata:
  name: local-registry-hosting
  namespace: kube-public
data:
  localRegistryHosting.v1: |
    host: "localhost:${KIND_REGISTRY_PORT}"
    help: "https://kind.sigs.k8s.io/docs/user/local-registry/"
YAML
ensure_namespace "${CARTWHEEL_NAMESPACE}"
say "kind cluster ${KIND_CLUSTER_NAME} is up (context ${KUBE_CONTEXT}); next: make operators"
