{{/* Names and labels shared by the templates. */}}
{{- define "k8s-mcp-server.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "k8s-mcp-server.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "k8s-mcp-server.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "k8s-mcp-server.selectorLabels" -}}
app.kubernetes.io/name: {{ include "k8s-mcp-server.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "k8s-mcp-server.labels" -}}
helm.sh/chart: {{ include "k8s-mcp-server.chart" . }}
{{ include "k8s-mcp-server.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{- define "k8s-mcp-server.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "k8s-mcp-server.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/* The settings file: the user's config with the listening address the chart owns. */}}
{{- define "k8s-mcp-server.configYaml" -}}
{{- $listen := dict "listen" (dict "host" "0.0.0.0" "port" (int .Values.service.port)) }}
{{- $jobs := dict "jobs" (dict "drain_timeout_seconds" (int .Values.drainTimeoutSeconds)) }}
{{- /* The gateway refuses Host names other than localhost, IP literals and http.allowed_hosts
     (DNS rebinding): the Service's names are added to whatever the values list. */}}
{{- $svc := include "k8s-mcp-server.fullname" . }}
{{- $ns := .Release.Namespace }}
{{- $names := list $svc (printf "%s.%s" $svc $ns) (printf "%s.%s.svc" $svc $ns) (printf "%s.%s.svc.cluster.local" $svc $ns) }}
{{- $hosts := concat $names (dig "http" "allowed_hosts" (list) .Values.config) | uniq }}
{{- $http := dict "http" (dict "allowed_hosts" $hosts) }}
{{- toYaml (mergeOverwrite (deepCopy .Values.config) $listen $jobs $http) }}
{{- end }}
