{{/*
Names and labels (STYLE §14: names cut to 63 characters, selector labels are name + instance only).
*/}}

{{/*
The service's short name: the chart name, or nameOverride.
Usage: {{ include "cartwheel-lib.names.name" . }}
*/}}
{{- define "cartwheel-lib.names.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/*
The objects' name: <release>-<service>, or fullnameOverride.
Usage: {{ include "cartwheel-lib.names.fullname" . }}
*/}}
{{- define "cartwheel-lib.names.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name (include "cartwheel-lib.names.name" .) | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{/*
The name of another release object: <release>-<suffix>, cut to 63 characters.
Usage: {{ include "cartwheel-lib.names.release" (dict "root" . "suffix" "redis") }}
*/}}
{{- define "cartwheel-lib.names.release" -}}
{{- printf "%s-%s" .root.Release.Name .suffix | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/*
Strimzi Kafka cluster name (global.kafka.clusterName, default <release>-kafka).
Usage: {{ include "cartwheel-lib.names.kafkaCluster" . }}
*/}}
{{- define "cartwheel-lib.names.kafkaCluster" -}}
{{- default (include "cartwheel-lib.names.release" (dict "root" . "suffix" "kafka")) ((.Values.global).kafka).clusterName -}}
{{- end -}}

{{/*
The KafkaUser (and its Secret) of a service: <release>-<service>.
Usage: {{ include "cartwheel-lib.names.kafkaUser" (dict "root" . "service" "order") }}
*/}}
{{- define "cartwheel-lib.names.kafkaUser" -}}
{{- include "cartwheel-lib.names.release" (dict "root" .root "suffix" .service) -}}
{{- end -}}

{{/*
CloudNativePG cluster name (global.postgres.clusterName, default <release>-pg).
Usage: {{ include "cartwheel-lib.names.postgresCluster" . }}
*/}}
{{- define "cartwheel-lib.names.postgresCluster" -}}
{{- default (include "cartwheel-lib.names.release" (dict "root" . "suffix" "pg")) ((.Values.global).postgres).clusterName -}}
{{- end -}}

{{/*
The basic-auth Secret of a service's PostgreSQL role: <pg cluster>-<service>.
Usage: {{ include "cartwheel-lib.names.postgresSecret" (dict "root" . "service" "order") }}
*/}}
{{- define "cartwheel-lib.names.postgresSecret" -}}
{{- printf "%s-%s" (include "cartwheel-lib.names.postgresCluster" .root) .service | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/*
MongoDBCommunity name (global.mongodb.name, default <release>-mongodb).
Usage: {{ include "cartwheel-lib.names.mongodb" . }}
*/}}
{{- define "cartwheel-lib.names.mongodb" -}}
{{- default (include "cartwheel-lib.names.release" (dict "root" . "suffix" "mongodb")) ((.Values.global).mongodb).name -}}
{{- end -}}

{{/*
The operator's connection Secret of a MongoDB user: <mdb>-<authdb>-<user>, lower-cased.
Usage: {{ include "cartwheel-lib.names.mongodbUserSecret" (dict "root" . "user" "product") }}
*/}}
{{- define "cartwheel-lib.names.mongodbUserSecret" -}}
{{- printf "%s-admin-%s" (include "cartwheel-lib.names.mongodb" .root) .user | lower | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/*
Keycloak CR name (global.keycloak.name, default <release>-keycloak); its Service is <name>-service.
Usage: {{ include "cartwheel-lib.names.keycloak" . }}
*/}}
{{- define "cartwheel-lib.names.keycloak" -}}
{{- default (include "cartwheel-lib.names.release" (dict "root" . "suffix" "keycloak")) ((.Values.global).keycloak).name -}}
{{- end -}}

{{/*
Common labels.
Usage: {{- include "cartwheel-lib.names.labels" . | nindent 4 }}
*/}}
{{- define "cartwheel-lib.names.labels" -}}
{{ include "cartwheel-lib.names.selectorLabels" . }}
app.kubernetes.io/part-of: cartwheel
app.kubernetes.io/component: {{ default "service" .Values.component }}
app.kubernetes.io/version: {{ include "cartwheel-lib.image.tag" . | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end -}}

{{/*
Selector labels: name and instance only.
Usage: {{- include "cartwheel-lib.names.selectorLabels" . | nindent 6 }}
*/}}
{{- define "cartwheel-lib.names.selectorLabels" -}}
app.kubernetes.io/name: {{ include "cartwheel-lib.names.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{/*
Selector labels of another Cartwheel service of this release (for NetworkPolicy peers).
Usage: {{- include "cartwheel-lib.names.peerLabels" (dict "root" . "service" "user") | nindent 10 }}
*/}}
{{- define "cartwheel-lib.names.peerLabels" -}}
app.kubernetes.io/name: {{ .service }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
{{- end -}}

{{/*
The ServiceAccount the pods run as.
Usage: {{ include "cartwheel-lib.names.serviceAccountName" . }}
*/}}
{{- define "cartwheel-lib.names.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "cartwheel-lib.names.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- default "default" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}
