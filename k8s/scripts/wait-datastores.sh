#!/usr/bin/env bash
# Waits until the operators report the platform's datastores ready: Kafka, the Postgres
# clusters, the MongoDB replica set and Keycloak (whichever the chart rendered). Used by Tilt's
# `datastores-ready` resource and usable after `make deploy`. WAIT_TIMEOUT defaults to 15m.
source "$(dirname "$0")/lib.sh"
need kubectl
ns="${CARTWHEEL_NAMESPACE}"
timeout="${WAIT_TIMEOUT:-15m}"

wait_for() { # wait_for <resource> <condition>
  if [[ -n "$(kc -n "${ns}" get "$1" -o name 2>/dev/null)" ]]; then
    say "waiting for $1 (${2})"
    kc -n "${ns}" wait "$1" --all --for="$2" --timeout "${timeout}"
  fi
}

wait_for kafkas.kafka.strimzi.io condition=Ready
wait_for clusters.postgresql.cnpg.io condition=Ready
wait_for mongodbcommunity.mongodbcommunity.mongodb.com jsonpath='{.status.phase}'=Running
wait_for keycloaks.k8s.keycloak.org condition=Ready
wait_for keycloakrealmimports.k8s.keycloak.org condition=Done
say "datastores ready in ${ns}"
