{{/*
The umbrella's helpers; names shared with the services come from cartwheel-lib.names.*.
*/}}

{{/*
The platform's services, in DESIGN §3 order.
Usage: {{ range (include "cartwheel.services" . | fromJsonArray) }}
*/}}
{{- define "cartwheel.services" -}}
{{- list "gateway" "user" "product" "inventory" "order" "notification" "ai" | toJson -}}
{{- end -}}

{{/*
The values of one service chart (its defaults coalesced with the umbrella's block) as JSON, with
"enabled" resolved; {} for a service that is turned off.
Usage: {{ $svc := include "cartwheel.service" (dict "root" . "name" "order") | fromJson }}
*/}}
{{- define "cartwheel.service" -}}
{{- $values := index .root.Values .name | default dict -}}
{{- if ne (toString $values.enabled) "false" -}}
{{- toJson $values -}}
{{- else -}}
{}
{{- end -}}
{{- end -}}

{{/*
Labels of an infrastructure object of the release (name = the component).
Usage: {{- include "cartwheel.labels" (dict "root" . "name" "redis") | nindent 4 }}
*/}}
{{- define "cartwheel.labels" -}}
app.kubernetes.io/name: {{ .name }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/part-of: cartwheel
app.kubernetes.io/managed-by: {{ .root.Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .root.Chart.Name .root.Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end -}}

{{/*
Labels of monitors and rules: the release's, plus global.monitoring.labels.
Usage: {{- include "cartwheel.monitorLabels" (dict "root" . "name" "kafka") | nindent 4 }}
*/}}
{{- define "cartwheel.monitorLabels" -}}
{{ include "cartwheel.labels" . }}
{{- with .root.Values.global.monitoring.labels }}
{{ toYaml . }}
{{- end }}
{{- end -}}

{{/*
A Secret value that is generated once and then kept: the existing Secret's value (base64) when
the release already has it (lookup; empty under helm template), else the given value encoded.
Usage: password: {{ include "cartwheel.keep" (dict "root" . "secret" "x-admin" "key" "password" "value" (randAlphaNum 24)) }}
*/}}
{{- define "cartwheel.keep" -}}
{{- $existing := lookup "v1" "Secret" .root.Release.Namespace .secret -}}
{{- $data := ($existing).data | default dict -}}
{{- if hasKey $data .key -}}
{{- index $data .key -}}
{{- else -}}
{{- .value | toString | b64enc -}}
{{- end -}}
{{- end -}}

{{/*
Annotations of generated Secrets: survive `helm uninstall` (the data in the PVCs still needs them).
Usage: {{- include "cartwheel.keepAnnotations" . | nindent 4 }}
*/}}
{{- define "cartwheel.keepAnnotations" -}}
helm.sh/resource-policy: keep
{{- end -}}

{{/*
The Kafka topic names of DESIGN §7 (without their .dlq twins).
Usage: {{ range (include "cartwheel.topics" . | fromJsonArray) }}
*/}}
{{- define "cartwheel.topics" -}}
{{- list "users" "products" "inventory" "orders" "ai-notifications" | toJson -}}
{{- end -}}
