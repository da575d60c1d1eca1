{{/*
The Service (port 80 → http). With service.routePrefixes it carries the gateway's discovery
contract: label app.kubernetes.io/part-of=cartwheel and annotation cartwheel.dev/route-prefix
(services/gateway/README.md "Route discovery in Kubernetes").
Usage: {{ include "cartwheel-lib.service" . }}
*/}}
{{- define "cartwheel-lib.service" -}}
apiVersion: v1
kind: Service
metadata:
  name: {{ include "cartwheel-lib.names.fullname" . }}
  labels:
    {{- include "cartwheel-lib.names.labels" . | nindent 4 }}
  {{- if or .Values.service.routePrefixes .Values.service.annotations }}
  annotations:
    {{- with .Values.service.routePrefixes }}
    cartwheel.dev/route-prefix: {{ join "," . | quote }}
    cartwheel.dev/route-port: http
    {{- end }}
    {{- with .Values.service.annotations }}
    {{- toYaml . | nindent 4 }}
    {{- end }}
  {{- end }}
spec:
  type: {{ .Values.service.type }}
  selector:
    {{- include "cartwheel-lib.names.selectorLabels" . | nindent 4 }}
  ports:
    - name: http
      port: {{ .Values.service.port }}
      targetPort: http
      protocol: TCP
{{- end -}}
