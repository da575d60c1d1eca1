{{/*
Everything a Cartwheel service renders, in one call from the service chart's only template. The
chart's values are laid over cartwheel-lib.defaults first.
Usage: {{ include "cartwheel-lib.all" . }}
*/}}
{{- define "cartwheel-lib.all" -}}
{{- $values := mustMergeOverwrite (include "cartwheel-lib.defaults" . | fromYaml) (deepCopy .Values) -}}
{{- $ctx := dict "Values" $values "Release" .Release "Chart" .Chart "Capabilities" .Capabilities "Template" .Template "Files" .Files -}}
{{- if $values.enabled }}
{{- $docs := list
  (include "cartwheel-lib.serviceaccount" $ctx)
  (include "cartwheel-lib.configmap" $ctx)
  (include "cartwheel-lib.service" $ctx)
  (include "cartwheel-lib.deployment" $ctx)
  (include "cartwheel-lib.autoscaling.hpa" $ctx)
  (include "cartwheel-lib.autoscaling.pdb" $ctx)
  (include "cartwheel-lib.monitoring.serviceMonitor" $ctx)
  (include "cartwheel-lib.networkpolicy" $ctx) -}}
{{- range $docs }}
{{- if trim . }}
---
{{ trim . }}
{{- end }}
{{- end }}
{{- end }}
{{- end -}}
