{{/*
Hardened container securityContext for the chart's own infrastructure pods (Redis, Mailpit,
the helm test), the same rules as cartwheel-lib's service pods.
Usage: securityContext: {{- include "cartwheel.containerSecurity" (dict "uid" 999 "gid" 1000) | nindent 12 }}
*/}}
{{- define "cartwheel.containerSecurity" -}}
runAsNonRoot: true
runAsUser: {{ .uid }}
runAsGroup: {{ .gid }}
allowPrivilegeEscalation: false
readOnlyRootFilesystem: true
privileged: false
capabilities:
  drop: [ALL]
seccompProfile:
  type: RuntimeDefault
{{- end -}}

{{/*
Pod-level securityContext to match.
Usage: securityContext: {{- include "cartwheel.podSecurity" (dict "uid" 999 "gid" 1000) | nindent 8 }}
*/}}
{{- define "cartwheel.podSecurity" -}}
runAsNonRoot: true
runAsUser: {{ .uid }}
runAsGroup: {{ .gid }}
fsGroup: {{ .gid }}
seccompProfile:
  type: RuntimeDefault
{{- end -}}
