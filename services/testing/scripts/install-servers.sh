#!/usr/bin/env bash
# Installs the real servers the integration tests run against, from the package registries this
# machine reaches: PostgreSQL, Redis, Chromium and Prometheus (Debian), Apache Kafka and Keycloak (Maven Central) and
# FerretDB (Go module, built here). Downloads and builds are cached outside the work tree, keyed by the
# pinned version, so a second run takes seconds. Safe to run again.
set -euo pipefail

here=$(cd "$(dirname "$0")/.." && pwd)
cache=${CARTWHEEL_CACHE:-$HOME/.cache/cartwheel}
KAFKA_VERSION=${KAFKA_VERSION:-4.2.1}
FERRETDB_VERSION=v1.24.2
KEYCLOAK_VERSION=26.4.7
mkdir -p "$cache"

log() { printf '[install-servers] %s\n' "$*"; }

apt_install() {
  local missing=()
  for bin_pkg in "$@"; do
    local bin=${bin_pkg%%:*} pkg=${bin_pkg##*:}
    [ -x "$bin" ] || missing+=("$pkg")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    log "apt-get install ${missing[*]}"
    local sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
  fi
}

pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)
# Chromium drives the storefront's browser tests; Prometheus (with promtool) checks dashboards and alerts.
apt_install "${pg_bin:-/nonexistent}/initdb:postgresql" /usr/bin/redis-server:redis-server \
  /usr/bin/chromium:chromium /usr/bin/promtool:prometheus

pom_hash=$(sha256sum "$here/kafka/pom.xml" | cut -c1-8)
kafka_dir="$cache/kafka-$KAFKA_VERSION-$pom_hash"
if [ ! -f "$kafka_dir/.complete" ]; then
  log "resolving Kafka $KAFKA_VERSION from Maven Central"
  rm -rf "$kafka_dir" && mkdir -p "$kafka_dir"
  sed "s/KAFKA_VERSION/$KAFKA_VERSION/" "$here/kafka/pom.xml" > "$kafka_dir/pom.xml"
  mvn -q -B -f "$kafka_dir/pom.xml" \
    org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy-dependencies \
    -DincludeScope=runtime -DoutputDirectory="$kafka_dir/lib"
  touch "$kafka_dir/.complete"
fi

ferret_dir="$cache/ferretdb-$FERRETDB_VERSION"
if [ ! -x "$ferret_dir/ferretdb-test" ]; then
  log "building FerretDB $FERRETDB_VERSION (a few minutes the first time)"
  mkdir -p "$ferret_dir/src"
  cp "$here/ferretdb/main.go" "$here/ferretdb/go.mod" "$here/ferretdb/go.sum" "$ferret_dir/src/"
  (cd "$ferret_dir/src" && GOTOOLCHAIN=local CGO_ENABLED=0 go build -trimpath -o "$ferret_dir/ferretdb-test" .)
fi

# Keycloak from Maven Central: the quarkus distribution tarball, unpacked once per version. The
# dependency plugin is named explicitly because Maven 3.8's default one is too old for `copy`.
keycloak_dir="$cache/keycloak-$KEYCLOAK_VERSION"
if [ ! -f "$keycloak_dir/.complete" ]; then
  log "fetching Keycloak $KEYCLOAK_VERSION from Maven Central"
  rm -rf "$keycloak_dir" && mkdir -p "$keycloak_dir"
  mvn -q -B org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy \
    -Dartifact="org.keycloak:keycloak-quarkus-dist:$KEYCLOAK_VERSION:tar.gz" \
    -DoutputDirectory="$keycloak_dir"
  tar -xzf "$keycloak_dir/keycloak-quarkus-dist-$KEYCLOAK_VERSION.tar.gz" -C "$keycloak_dir" --strip-components=1
  rm -f "$keycloak_dir/keycloak-quarkus-dist-$KEYCLOAK_VERSION.tar.gz"
  touch "$keycloak_dir/.complete"
fi

# The test harness reads these paths instead of guessing them.
cat > "$cache/servers.env" <<ENV
CARTWHEEL_PG_BIN=$pg_bin
CARTWHEEL_KAFKA_LIB=$kafka_dir/lib
CARTWHEEL_FERRETDB_BIN=$ferret_dir/ferretdb-test
CARTWHEEL_REDIS_BIN=/usr/bin/redis-server
CARTWHEEL_KEYCLOAK_HOME=$keycloak_dir
CARTWHEEL_CHROMIUM_BIN=/usr/bin/chromium
CARTWHEEL_PROMETHEUS_BIN=/usr/bin/prometheus
CARTWHEEL_PROMTOOL_BIN=/usr/bin/promtool
ENV
log "ready: $(tr '\n' ' ' < "$cache/servers.env")"
