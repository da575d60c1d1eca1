# Kubernetes targets (issue 10), included from the Makefile: `include k8s/make-targets.mk`.
# Every target runs a script under k8s/scripts/ with the versions pinned in k8s/versions.env;
# k8s/README.md walks through them in order.
.PHONY: kind-up kind-down operators observability dev deploy port-forward

kind-up: ## Create the kind cluster "cartwheel" with a local image registry on localhost:5001
	bash k8s/scripts/kind-up.sh

kind-down: ## Delete the kind cluster and its local registry
	bash k8s/scripts/kind-down.sh

operators: ## Install Strimzi, CloudNativePG, MongoDB (MCK) and Keycloak operators (pinned versions)
	bash k8s/scripts/operators.sh

observability: ## Install kube-prometheus-stack, Loki, Tempo and Alloy (pinned versions)
	bash k8s/scripts/observability.sh

dev: ## Run the platform in kind with live update (tilt up; Ctrl+C leaves it running, tilt down removes it)
	tilt up --context kind-cartwheel

deploy: ## Build and push the images, then helm upgrade --install the umbrella chart with values-dev.yaml
	bash k8s/scripts/deploy.sh

port-forward: ## Forward gateway :8080, Grafana :3000, Mailpit :8025 and Keycloak :8180 to localhost
	bash k8s/scripts/port-forward.sh
