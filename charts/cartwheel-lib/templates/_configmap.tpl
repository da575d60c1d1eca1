{{/*
The ConfigMap of plain settings the container reads with envFrom.
Usage: {{ include "cartwheel-lib.configmap" . }}
*/}}
{{- define "cartwheel-lib.configmap" -}}
apiVersion: v1
kind: ConfigMap
metadata:
  name: {{ include "cartwheel-lib.names.fullname" . }}
  labels:
    {{- include "cartwheel-lib.names.labels" . | nindent 4 }}
data:
  {{- include "cartwheel-lib.env.config" . | trim | nindent 2 }}
{{- end -}}
