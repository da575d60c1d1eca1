{{/*
Image reference: [registry/]repository:tag[@digest]. The tag falls back to global.image.tag, then
to the chart's appVersion; "latest" is refused, so a release always names a build.
Usage: image: {{ include "cartwheel-lib.image.ref" . }}
*/}}
{{- define "cartwheel-lib.image.ref" -}}
{{- $global := (.Values.global).image | default dict -}}
{{- $registry := default (default "" $global.registry) .Values.image.registry -}}
{{- $repository := required (printf "%s: image.repository is required" .Chart.Name) .Values.image.repository -}}
{{- $ref := ternary (printf "%s/%s" $registry $repository) $repository (ne $registry "") -}}
{{- $ref = printf "%s:%s" $ref (include "cartwheel-lib.image.tag" .) -}}
{{- if .Values.image.digest -}}{{- $ref = printf "%s@%s" $ref .Values.image.digest -}}{{- end -}}
{{- $ref -}}
{{- end -}}

{{/*
The image tag in force (never "latest").
Usage: {{ include "cartwheel-lib.image.tag" . }}
*/}}
{{- define "cartwheel-lib.image.tag" -}}
{{- $global := (.Values.global).image | default dict -}}
{{- $tag := toString (default (default .Chart.AppVersion $global.tag) .Values.image.tag) -}}
{{- if eq $tag "latest" -}}
{{- fail (printf "%s: image tag \"latest\" is not allowed; name a build (image.tag or global.image.tag)" .Chart.Name) -}}
{{- end -}}
{{- $tag -}}
{{- end -}}

{{/*
Pull policy: image.pullPolicy, else global.image.pullPolicy, else IfNotPresent.
Usage: imagePullPolicy: {{ include "cartwheel-lib.image.pullPolicy" . }}
*/}}
{{- define "cartwheel-lib.image.pullPolicy" -}}
{{- default (default "IfNotPresent" ((.Values.global).image).pullPolicy) .Values.image.pullPolicy -}}
{{- end -}}
