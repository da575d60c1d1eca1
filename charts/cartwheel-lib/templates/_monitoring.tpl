{{/*
ServiceMonitor scraping /metrics on the http port, when global.monitoring.enabled and
serviceMonitor.enabled; labels from global.monitoring.labels (e.g. release: kube-prometheus-stack).
The `service` target label is the service's short name (app.kubernetes.io/name: order, not the
Kubernetes Service name cartwheel-order), and the series' own `service` label is kept
(honorLabels): dashboards and alert rules select by it (charts/cartwheel/dashboards/README.md).
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
      honorLabels: true
      relabelings:
        - sourceLabels: [__meta_kubernetes_service_label_app_kubernetes_io_name]
          targetLabel: service
          action: replace
{{- end }}
{{- end -}}
