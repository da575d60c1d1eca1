{{/*
ServiceMonitor scraping /metrics on the http port, when global.monitoring.enabled and
serviceMonitor.enabled; labels from global.monitoring.labels (e.g. release: kube-prometheus-stack).
Usage: {{ include "cartwheel-lib.monitoring.serviceMonitor" . }}
*/}}
{{- define "cartwheel-lib.monitoring.serviceMonitor" -}}
{{- $m := (.Values.global).monitoring | default dict -}}
{{- if and $m.enabled .Values.serviceMonitor.enabled }}
apiVersion: monitoring.coreos.com/v1
kind: ServiceMonitor
metadata:
  name: {{ include "cartwheel-lib.names.fullname" . }}
  labels:
    {{- include "cartwheel-lib.names.labels" . | nindent 4 }}
    {{- with $m.labels }}
    {{- toYaml . | nindent 4 }}
    {{- end }}
spec:
  selector:
    matchLabels:
      {{- include "cartwheel-lib.names.selectorLabels" . | nindent 6 }}
  endpoints:
    - port: http
      path: /metrics
      interval: {{ .Values.serviceMonitor.interval }}
      scrapeTimeout: {{ .Values.serviceMonitor.scrapeTimeout }}
{{- end }}
{{- end -}}
