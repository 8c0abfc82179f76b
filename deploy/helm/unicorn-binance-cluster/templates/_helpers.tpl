{{/* This chart's name (Chart.yaml `name`), spelled out: the NATS chart evaluates "ubc.secretName"
in its own context, where .Chart is NATS's. */}}
{{- define "ubc.chartName" -}}
unicorn-binance-cluster
{{- end -}}

{{/* Name of the release's objects: <release>-<chart>, cut to 63 characters. */}}
{{- define "ubc.fullname" -}}
{{- printf "%s-%s" .Release.Name (include "ubc.chartName" .) | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* Labels every object carries. */}}
{{- define "ubc.labels" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end -}}

{{/* The existing Secret to use (empty: the chart creates one). */}}
{{- define "ubc.existingSecret" -}}
{{- dig "unicornBinanceCluster" "existingSecret" "" .Values.global -}}
{{- end -}}

{{/* The Secret the pods read: global.unicornBinanceCluster.existingSecret, or the one the chart
creates. Used in this chart's context and, through `$tplYaml` in values.yaml `nats.container.env`,
in the NATS chart's (which sees the same release and `global`, not this chart's other values), so
routers, nodes and the NATS servers always name the same Secret. */}}
{{- define "ubc.secretName" -}}
{{- if include "ubc.existingSecret" . -}}
{{- include "ubc.existingSecret" . -}}
{{- else -}}
{{- printf "%s-secrets" (include "ubc.fullname" .) -}}
{{- end -}}
{{- end -}}

{{/* The NATS URL: the bundled chart's service or an existing server. */}}
{{- define "ubc.natsUrl" -}}
{{- if .Values.nats.enabled -}}
{{- printf "nats://%s-nats:4222" .Release.Name -}}
{{- else -}}
{{- required "nats.url is required when nats.enabled is false" .Values.nats.url -}}
{{- end -}}
{{- end -}}

{{/* The container image. */}}
{{- define "ubc.image" -}}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) -}}
{{- end -}}

{{/* Environment shared by routers and nodes: secrets from the Secret, never inline. */}}
{{- define "ubc.env" -}}
- name: UBC_NATS_URL
  value: {{ include "ubc.natsUrl" . | quote }}
- name: UBC_API_TOKEN
  valueFrom:
    secretKeyRef:
      name: {{ include "ubc.secretName" . }}
      key: api-token
- name: UBC_CLUSTER_SECRET
  valueFrom:
    secretKeyRef:
      name: {{ include "ubc.secretName" . }}
      key: cluster-secret
- name: UBC_NATS_TOKEN
  valueFrom:
    secretKeyRef:
      name: {{ include "ubc.secretName" . }}
      key: nats-token
{{- end -}}

{{/* Readiness and liveness probes on the role's port. */}}
{{- define "ubc.probes" -}}
readinessProbe:
  httpGet:
    path: /readyz
    port: http
  initialDelaySeconds: {{ .root.Values.probes.readinessInitialDelaySeconds }}
  periodSeconds: {{ .root.Values.probes.periodSeconds }}
  failureThreshold: {{ .root.Values.probes.failureThreshold }}
livenessProbe:
  httpGet:
    path: /healthz
    port: http
  initialDelaySeconds: {{ .root.Values.probes.livenessInitialDelaySeconds }}
  periodSeconds: {{ .root.Values.probes.periodSeconds }}
  failureThreshold: {{ .root.Values.probes.failureThreshold }}
{{- end -}}
