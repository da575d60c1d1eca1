{{/*
Environment wiring. Plain settings go to the service's ConfigMap (envFrom); credentials come from
the operators' Secrets through secretKeyRef, and URLs that embed them are composed with $(VAR)
references to variables defined before them in the same list.

  Kafka (Strimzi)       KAFKA_BROKERS=<cluster>-kafka-bootstrap:<port>, SASL scram-sha-512,
                        KAFKA_USERNAME=<release>-<service>, KAFKA_PASSWORD ← KafkaUser Secret "password"
  PostgreSQL (CNPG)     <SERVICE>_DATABASE_URL=postgresql://$(DATABASE_USERNAME):$(DATABASE_PASSWORD)@<pg>-rw:5432/<db>,
                        both parts ← the role's basic-auth Secret <pg>-<service> (the cluster's managed role)
  MongoDB (MCK)         MONGO_URL=mongodb://$(MONGO_USERNAME):$(MONGO_PASSWORD)@<mdb>-svc:27017/<db>?replicaSet=…&authSource=admin,
                        both parts ← the operator's connection Secret <mdb>-admin-<user>
  Redis (ours)          REDIS_URL=redis://:$(REDIS_PASSWORD)@<release>-redis:6379 ← Secret <release>-redis "password"
  service client        SERVICE_CLIENT_ID=<service>, SERVICE_CLIENT_SECRET ← Secret <release>-service-clients "<service>"
*/}}

{{/*
The plain settings (ConfigMap data), as YAML. `env` values are rendered with tpl; empty ones are left out.
Usage: {{- include "cartwheel-lib.env.config" . | nindent 2 }}
*/}}
{{- define "cartwheel-lib.env.config" -}}
{{- $g := .Values.global | default dict -}}
{{- $name := include "cartwheel-lib.names.name" . -}}
{{- $env := dict -}}
{{- $_ := set $env "NODE_ENV" "production" -}}
{{- $_ := set $env "LOG_LEVEL" (default "info" $g.logLevel) -}}
{{- $_ := set $env "CARTWHEEL_DATA_DIR" "/tmp/cartwheel" -}}
{{- $_ := set $env (printf "%s_PORT" (upper $name)) (toString .Values.containerPort) -}}
{{- $_ := set $env "SHUTDOWN_TIMEOUT_MS" (toString (include "cartwheel-lib.env.shutdownMs" .)) -}}
{{- with ($g.otel).endpoint }}{{- $_ := set $env "OTEL_EXPORTER_OTLP_ENDPOINT" (tpl . $) -}}{{- end -}}
{{- if .Values.auth }}
{{- $_ := set $env "USER_URL" (printf "http://%s" (include "cartwheel-lib.names.release" (dict "root" . "suffix" "user"))) -}}
{{- $_ := set $env "JWT_ISSUER" (default "http://localhost:8080" $g.publicUrl) -}}
{{- $_ := set $env "JWT_AUDIENCE" (default "cartwheel" $g.jwtAudience) -}}
{{- if ($g.keycloak).enabled }}
{{- $realm := default "cartwheel" $g.keycloak.realm -}}
{{- $_ := set $env "KEYCLOAK_ISSUER" (printf "%s/realms/%s" (trimSuffix "/" $g.keycloak.publicUrl) $realm) -}}
{{- $_ := set $env "KEYCLOAK_JWKS_URL" (printf "http://%s-service:8080/realms/%s/protocol/openid-connect/certs" (include "cartwheel-lib.names.keycloak" .) $realm) -}}
{{- $_ := set $env "KEYCLOAK_AUDIENCE" (default "cartwheel" $g.jwtAudience) -}}
{{- end }}
{{- end }}
{{- range .Values.calls }}
{{- $_ := set $env (printf "%s_URL" (upper .)) (printf "http://%s" (include "cartwheel-lib.names.release" (dict "root" $ "suffix" .))) -}}
{{- end }}
{{- if .Values.kafka.enabled }}
{{- $_ := set $env "KAFKA_BROKERS" (printf "%s-kafka-bootstrap:%v" (include "cartwheel-lib.names.kafkaCluster" .) (default 9092 ($g.kafka).port)) -}}
{{- $_ := set $env "KAFKA_SASL_MECHANISM" "scram-sha-512" -}}
{{- $_ := set $env "KAFKA_USERNAME" (include "cartwheel-lib.names.kafkaUser" (dict "root" . "service" $name)) -}}
{{- end }}
{{- if .Values.serviceClient.enabled }}
{{- $_ := set $env "SERVICE_CLIENT_ID" $name -}}
{{- end }}
{{- range $key, $value := .Values.env }}
{{- $rendered := tpl (toString $value) $ -}}
{{- if ne $rendered "" }}{{- $_ := set $env $key $rendered -}}{{- else }}{{- $_ := unset $env $key -}}{{- end }}
{{- end }}
{{- range $key := keys $env | sortAlpha }}
{{ $key }}: {{ get $env $key | quote }}
{{- end }}
{{- end -}}

{{/*
SHUTDOWN_TIMEOUT_MS: what is left of the grace period after the preStop sleep, less 5 s of margin.
Usage: {{ include "cartwheel-lib.env.shutdownMs" . }}
*/}}
{{- define "cartwheel-lib.env.shutdownMs" -}}
{{- $left := sub (sub (int .Values.terminationGracePeriodSeconds) (int .Values.preStopSleepSeconds)) 5 -}}
{{- if lt $left 1 -}}
{{- fail (printf "%s: terminationGracePeriodSeconds must exceed preStopSleepSeconds by more than 5" .Chart.Name) -}}
{{- end -}}
{{- mul $left 1000 -}}
{{- end -}}

{{/*
One secretKeyRef variable.
Usage: {{- include "cartwheel-lib.env.secretRef" (dict "name" "KAFKA_PASSWORD" "secret" "x" "key" "password") | nindent 12 }}
*/}}
{{- define "cartwheel-lib.env.secretRef" -}}
- name: {{ .name }}
  valueFrom:
    secretKeyRef:
      name: {{ .secret }}
      key: {{ .key | quote }}
      {{- if .optional }}
      optional: true
      {{- end }}
{{- end -}}

{{/*
The container's env list: credentials from Secrets, then URLs composed from them, then secretEnv
(secretName rendered with tpl), then extraEnv as given.
Usage: env: {{- include "cartwheel-lib.env.secrets" . | nindent 12 }}
*/}}
{{- define "cartwheel-lib.env.secrets" -}}
{{- $g := .Values.global | default dict -}}
{{- $name := include "cartwheel-lib.names.name" . -}}
{{- if .Values.kafka.enabled }}
{{ include "cartwheel-lib.env.secretRef" (dict "name" "KAFKA_PASSWORD" "secret" (include "cartwheel-lib.names.kafkaUser" (dict "root" . "service" $name)) "key" "password") }}
{{- end }}
{{- if .Values.postgres.enabled }}
{{- $secret := include "cartwheel-lib.names.postgresSecret" (dict "root" . "service" $name) }}
{{ include "cartwheel-lib.env.secretRef" (dict "name" "DATABASE_USERNAME" "secret" $secret "key" "username") }}
{{ include "cartwheel-lib.env.secretRef" (dict "name" "DATABASE_PASSWORD" "secret" $secret "key" "password") }}
- name: {{ printf "%s_DATABASE_URL" (upper $name) }}
  value: {{ printf "postgresql://$(DATABASE_USERNAME):$(DATABASE_PASSWORD)@%s-rw:5432/%s" (include "cartwheel-lib.names.postgresCluster" .) (required "postgres.database is required" .Values.postgres.database) | quote }}
{{- end }}
{{- if .Values.mongodb.enabled }}
{{- $mdb := include "cartwheel-lib.names.mongodb" . }}
{{- $secret := include "cartwheel-lib.names.mongodbUserSecret" (dict "root" . "user" (default $name .Values.mongodb.user)) }}
{{ include "cartwheel-lib.env.secretRef" (dict "name" "MONGO_USERNAME" "secret" $secret "key" "username") }}
{{ include "cartwheel-lib.env.secretRef" (dict "name" "MONGO_PASSWORD" "secret" $secret "key" "password") }}
- name: MONGO_URL
  value: {{ printf "mongodb://$(MONGO_USERNAME):$(MONGO_PASSWORD)@%s-svc:27017/%s?replicaSet=%s&authSource=admin" $mdb (default "catalog" ($g.mongodb).database) $mdb | quote }}
{{- end }}
{{- if .Values.redis.enabled }}
{{- $redis := include "cartwheel-lib.names.release" (dict "root" . "suffix" "redis") }}
{{ include "cartwheel-lib.env.secretRef" (dict "name" "REDIS_PASSWORD" "secret" $redis "key" "password") }}
- name: REDIS_URL
  value: {{ printf "redis://:$(REDIS_PASSWORD)@%s:6379" $redis | quote }}
{{- end }}
{{- if .Values.serviceClient.enabled }}
{{ include "cartwheel-lib.env.secretRef" (dict "name" "SERVICE_CLIENT_SECRET" "secret" (include "cartwheel-lib.names.release" (dict "root" . "suffix" "service-clients")) "key" $name) }}
{{- end }}
{{- range .Values.secretEnv }}
{{ include "cartwheel-lib.env.secretRef" (dict "name" .name "secret" (tpl .secretName $) "key" .key "optional" .optional) }}
{{- end }}
{{- with .Values.extraEnv }}
{{ toYaml . }}
{{- end }}
{{- end -}}
