#!/usr/bin/env bash
# make kind-down: delete the kind cluster and the local registry (and everything in them).
source "$(dirname "$0")/lib.sh"
need docker kind
kind delete cluster --name "${KIND_CLUSTER_NAME}"
if docker inspect "${KIND_REGISTRY_NAME}" >/dev/null 2>&1; then
  docker rm -f "${KIND_REGISTRY_NAME}" >/dev/null
  say "removed registry ${KIND_REGISTRY_NAME}"
fi
