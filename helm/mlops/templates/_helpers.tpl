{{/* The release's base name: "<release>-mlops", or the release name when it already says mlops. */}}
{{- define "mlops.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 50 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 50 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{/* A service's object name, e.g. mlops-registry. Call with (dict "root" $ "name" "registry"). */}}
{{- define "mlops.serviceName" -}}
{{- printf "%s-%s" (include "mlops.fullname" .root) .name | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "mlops.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
app.kubernetes.io/part-of: mlops
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end -}}

{{/* Labels of one service's objects. Call with (dict "root" $ "name" "registry"). */}}
{{- define "mlops.serviceLabels" -}}
{{ include "mlops.labels" .root }}
app.kubernetes.io/name: {{ printf "mlops-%s" .name }}
app.kubernetes.io/component: {{ .name }}
{{- end -}}

{{/* Selector labels of one service. Call with (dict "root" $ "name" "registry"). */}}
{{- define "mlops.selectorLabels" -}}
app.kubernetes.io/name: {{ printf "mlops-%s" .name }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
{{- end -}}

{{/* A service's image: [registry/]repository:tag, the tag from the service, image.tag or the appVersion. */}}
{{- define "mlops.image" -}}
{{- $tag := .svc.image.tag | default .root.Values.image.tag | default .root.Chart.AppVersion -}}
{{- if eq (toString $tag) "latest" -}}
{{- fail (printf "services.%s: the image tag must name a version, not latest" .name) -}}
{{- end -}}
{{- $repository := .svc.image.repository -}}
{{- with .root.Values.image.registry -}}
{{- $repository = printf "%s/%s" (trimSuffix "/" .) $repository -}}
{{- end -}}
{{- printf "%s:%s" $repository (toString $tag) -}}
{{- end -}}

{{- define "mlops.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- .Values.serviceAccount.name | default (include "mlops.fullname" .) -}}
{{- else -}}
{{- .Values.serviceAccount.name | default "default" -}}
{{- end -}}
{{- end -}}

{{/* The monitor's maximum replica count: its own, at most kafka.partitions. */}}
{{- define "mlops.monitoringMaxReplicas" -}}
{{- min (int .Values.services.monitoring.autoscaling.maxReplicas) (int .Values.kafka.partitions) -}}
{{- end -}}

{{/* A URL of another service inside the cluster. Call with (dict "root" $ "name" "registry"). */}}
{{- define "mlops.serviceUrl" -}}
{{- $svc := index .root.Values.services .name -}}
{{- printf "http://%s:%v" (include "mlops.serviceName" .) $svc.port -}}
{{- end -}}
