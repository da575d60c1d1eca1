{{/*
Defaults of every service chart's values; the service chart's values.yaml (and the umbrella's
`<service>:` block) override them key by key, lists as a whole. charts/cartwheel/values.yaml
documents each field.
Usage: {{ include "cartwheel-lib.defaults" . | fromYaml }}
*/}}
{{- define "cartwheel-lib.defaults" -}}
enabled: true
nameOverride: ""
fullnameOverride: ""
component: service
containerPort: 8080
replicaCount: 1
image:
  registry: ""
  repository: ""
  tag: ""
  digest: ""
  pullPolicy: ""
imagePullSecrets: []
service:
  type: ClusterIP
  port: 80
  routePrefixes: []
  annotations: {}
auth: true
calls: []
callers: []
kafka:
  enabled: false
  produces: []
  consumes: []
postgres:
  enabled: false
  database: ""
mongodb:
  enabled: false
  user: ""
redis:
  enabled: false
smtp:
  enabled: false
serviceClient:
  enabled: false
env: {}
secretEnv: []
extraEnv: []
resources:
  requests:
    cpu: 50m
    memory: 128Mi
  limits:
    memory: 384Mi
probes:
  timeoutSeconds: 3
  startup:
    periodSeconds: 2
    failureThreshold: 60
  liveness:
    periodSeconds: 10
    failureThreshold: 3
  readiness:
    periodSeconds: 5
    failureThreshold: 3
terminationGracePeriodSeconds: 30
preStopSleepSeconds: 5
tmpSizeLimit: 256Mi
podSecurityContext:
  runAsNonRoot: true
  runAsUser: 10001
  runAsGroup: 10001
  fsGroup: 10001
  seccompProfile:
    type: RuntimeDefault
securityContext:
  runAsNonRoot: true
  runAsUser: 10001
  runAsGroup: 10001
  allowPrivilegeEscalation: false
  readOnlyRootFilesystem: true
  privileged: false
  capabilities:
    drop: [ALL]
  seccompProfile:
    type: RuntimeDefault
topologySpread:
  enabled: true
  maxSkew: 1
  whenUnsatisfiable: ScheduleAnyway
podAnnotations: {}
podLabels: {}
nodeSelector: {}
tolerations: []
affinity: {}
serviceAccount:
  create: true
  name: ""
  annotations: {}
  automountToken: false
rbac:
  rules: []
autoscaling:
  enabled: false
  minReplicas: 2
  maxReplicas: 6
  targetCPUUtilizationPercentage: 70
  targetMemoryUtilizationPercentage: null
pdb:
  enabled: false
  minAvailable: null
  maxUnavailable: 1
serviceMonitor:
  enabled: true
  interval: 30s
  scrapeTimeout: 10s
networkPolicy:
  ingressFromAnywhere: false
  extraIngress: []
  extraEgress: []
{{- end -}}
