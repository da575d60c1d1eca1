{{/*
The service's NetworkPolicy (global.networkPolicy.enabled). With the umbrella's default deny it
opens only the flows of DESIGN §3:
  ingress  from the gateway when the service is routed (service.routePrefixes), from the services
           in `callers`, from anywhere when networkPolicy.ingressFromAnywhere (the gateway), and
           from the monitoring namespace on the http port (scrapes);
  egress   DNS; the services in `calls` (their http port); its own datastores (Kafka brokers,
           its PostgreSQL cluster, MongoDB, Redis); SMTP (Mailpit or port 25/465/587); Keycloak when it verifies tokens; the OTLP
           collector's namespace; plus networkPolicy.extraEgress (rendered with tpl).
Usage: {{ include "cartwheel-lib.networkpolicy" . }}
*/}}
{{- define "cartwheel-lib.networkpolicy" -}}
{{- $g := .Values.global | default dict -}}
{{- if ($g.networkPolicy).enabled }}
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: {{ include "cartwheel-lib.names.fullname" . }}
  labels:
    {{- include "cartwheel-lib.names.labels" . | nindent 4 }}
spec:
  podSelector:
    matchLabels:
      {{- include "cartwheel-lib.names.selectorLabels" . | nindent 6 }}
  policyTypes: [Ingress, Egress]
  ingress:
    {{- if .Values.networkPolicy.ingressFromAnywhere }}
    - ports:
        - port: http
    {{- else }}
    {{- $callers := .Values.callers | default list }}
    {{- if .Values.service.routePrefixes }}{{- $callers = prepend $callers "gateway" | uniq }}{{- end }}
    {{- if $callers }}
    - from:
        {{- range $callers }}
        - podSelector:
            matchLabels:
              {{- include "cartwheel-lib.names.peerLabels" (dict "root" $ "service" .) | nindent 14 }}
        {{- end }}
      ports:
        - port: http
    {{- end }}
    {{- end }}
    {{- with ($g.monitoring).namespace }}
    - from:
        - namespaceSelector:
            matchLabels:
              kubernetes.io/metadata.name: {{ . }}
      ports:
        - port: http
    {{- end }}
    {{- with .Values.networkPolicy.extraIngress }}
    {{- tpl (toYaml .) $ | nindent 4 }}
    {{- end }}
  egress:
    - ports:
        - { port: 53, protocol: UDP }
        - { port: 53, protocol: TCP }
    {{- if .Values.calls }}
    - to:
        {{- range .Values.calls }}
        - podSelector:
            matchLabels:
              {{- include "cartwheel-lib.names.peerLabels" (dict "root" $ "service" .) | nindent 14 }}
        {{- end }}
      ports:
        - port: http
    {{- end }}
    {{- if .Values.kafka.enabled }}
    - to:
        - podSelector:
            matchLabels:
              strimzi.io/cluster: {{ include "cartwheel-lib.names.kafkaCluster" . }}
              strimzi.io/kind: Kafka
      ports:
        - port: {{ default 9092 ($g.kafka).port }}
    {{- end }}
    {{- if .Values.postgres.enabled }}
    - to:
        - podSelector:
            matchLabels:
              cnpg.io/cluster: {{ include "cartwheel-lib.names.postgresCluster" . }}
      ports:
        - port: 5432
    {{- end }}
    {{- if .Values.mongodb.enabled }}
    - to:
        - podSelector:
            matchLabels:
              app: {{ include "cartwheel-lib.names.mongodb" . }}-svc
      ports:
        - port: 27017
    {{- end }}
    {{- if .Values.redis.enabled }}
    - to:
        - podSelector:
            matchLabels:
              {{- include "cartwheel-lib.names.peerLabels" (dict "root" . "service" "redis") | nindent 14 }}
      ports:
        - port: 6379
    {{- end }}
    {{- if and .Values.smtp.enabled ($g.mailpit).enabled }}
    - to:
        - podSelector:
            matchLabels:
              {{- include "cartwheel-lib.names.peerLabels" (dict "root" . "service" "mailpit") | nindent 14 }}
      ports:
        - port: 1025
    {{- else if .Values.smtp.enabled }}
    - ports:
        - port: 25
        - port: 465
        - port: 587
    {{- end }}
    {{- if and .Values.auth ($g.keycloak).enabled }}
    - to:
        - podSelector:
            matchLabels:
              app: keycloak
              app.kubernetes.io/instance: {{ include "cartwheel-lib.names.keycloak" . }}
      ports:
        - port: 8080
    {{- end }}
    {{- if and ($g.otel).endpoint ($g.otel).namespace }}
    - to:
        - namespaceSelector:
            matchLabels:
              kubernetes.io/metadata.name: {{ $g.otel.namespace }}
      ports:
        - port: {{ default 4318 $g.otel.port }}
    {{- end }}
    {{- with .Values.networkPolicy.extraEgress }}
    {{- tpl (toYaml .) $ | nindent 4 }}
    {{- end }}
{{- end }}
{{- end -}}
