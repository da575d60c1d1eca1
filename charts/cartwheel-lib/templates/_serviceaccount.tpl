{{/*
The ServiceAccount (token not mounted unless asked), and with rbac.rules a Role and RoleBinding
in the release namespace (the gateway's get/list/watch on Services).
Usage: {{ include "cartwheel-lib.serviceaccount" . }}
*/}}
{{- define "cartwheel-lib.serviceaccount" -}}
{{- if .Values.serviceAccount.create }}
apiVersion: v1
kind: ServiceAccount
metadata:
  name: {{ include "cartwheel-lib.names.serviceAccountName" . }}
  labels:
    {{- include "cartwheel-lib.names.labels" . | nindent 4 }}
  {{- with .Values.serviceAccount.annotations }}
  annotations:
    {{- toYaml . | nindent 4 }}
  {{- end }}
automountServiceAccountToken: {{ .Values.serviceAccount.automountToken }}
{{- end }}
{{- if .Values.rbac.rules }}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata:
  name: {{ include "cartwheel-lib.names.fullname" . }}
  labels:
    {{- include "cartwheel-lib.names.labels" . | nindent 4 }}
rules:
  {{- toYaml .Values.rbac.rules | nindent 2 }}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata:
  name: {{ include "cartwheel-lib.names.fullname" . }}
  labels:
    {{- include "cartwheel-lib.names.labels" . | nindent 4 }}
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: Role
  name: {{ include "cartwheel-lib.names.fullname" . }}
subjects:
  - kind: ServiceAccount
    name: {{ include "cartwheel-lib.names.serviceAccountName" . }}
    namespace: {{ .Release.Namespace }}
{{- end }}
{{- end -}}
