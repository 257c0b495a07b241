{{/*
The non-secret settings of one service, as environment variables (ConfigMap data). Call with
(dict "root" $ "name" "registry" "svc" $svc). Secrets are in the Deployment's env (deployment.yaml).
*/}}
{{- define "mlops.configData" -}}
{{- $root := .root -}}
{{- $v := $root.Values -}}
{{- $svc := .svc -}}
URLS: {{ printf "http://+:%v" $svc.port | quote }}
MLOPS__LOGGING__JSON: {{ $v.jsonLogs | quote }}
MLOPS__STORAGE__PROVIDER: "Postgres"
MLOPS__BUS__TRANSPORT: "RabbitMq"
MLOPS__BUS__HOST: {{ $v.rabbitmq.host | quote }}
MLOPS__BUS__PORT: {{ $v.rabbitmq.port | quote }}
MLOPS__BUS__VIRTUALHOST: {{ $v.rabbitmq.virtualHost | quote }}
MLOPS__BUS__USERNAME: {{ $v.rabbitmq.username | quote }}
MLOPS__AUTH__MODE: {{ $v.auth.mode | quote }}
{{- if eq $v.auth.mode "ApiKeys" }}
{{- range $i, $key := $svc.apiKeys }}
MLOPS__AUTH__APIKEYS__{{ $i }}__NAME: {{ $key.name | quote }}
MLOPS__AUTH__APIKEYS__{{ $i }}__ROLE: {{ $key.role | quote }}
{{- end }}
{{- else }}
{{- with $v.auth.jwt.authority }}
MLOPS__AUTH__JWT__AUTHORITY: {{ . | quote }}
{{- end }}
{{- with $v.auth.jwt.issuer }}
MLOPS__AUTH__JWT__ISSUER: {{ . | quote }}
{{- end }}
MLOPS__AUTH__JWT__AUDIENCE: {{ $v.auth.jwt.audience | quote }}
MLOPS__AUTH__JWT__ROLECLAIM: {{ $v.auth.jwt.roleClaim | quote }}
MLOPS__AUTH__JWT__NAMECLAIM: {{ $v.auth.jwt.nameClaim | quote }}
{{- end }}
{{- if eq .name "registry" }}
MLOPS__REGISTRY__ARTIFACTSPATH: "/app/data/artifacts"
{{- if $svc.publishLifecycleToKafka }}
MLOPS__REGISTRY__KAFKABOOTSTRAPSERVERS: {{ $v.kafka.bootstrapServers | quote }}
{{- end }}
{{- else if eq .name "monitoring" }}
MLOPS__MONITORING__BOOTSTRAPSERVERS: {{ $v.kafka.bootstrapServers | quote }}
MLOPS__MONITORING__REGISTRYURL: {{ include "mlops.serviceUrl" (dict "root" $root "name" "registry") | quote }}
{{- else if or (eq .name "orchestration") (eq .name "training") }}
{{- $section := upper .name }}
MLOPS__{{ $section }}__REGISTRYURL: {{ include "mlops.serviceUrl" (dict "root" $root "name" "registry") | quote }}
MLOPS__{{ $section }}__MONITORINGURL: {{ include "mlops.serviceUrl" (dict "root" $root "name" "monitoring") | quote }}
{{- else if eq .name "notifications" }}
{{- range $i, $hook := $v.alerts.webhooks }}
MLOPS__ALERTS__WEBHOOKS__{{ $i }}__URL: {{ $hook.url | quote }}
{{- with $hook.name }}
MLOPS__ALERTS__WEBHOOKS__{{ $i }}__NAME: {{ . | quote }}
{{- end }}
{{- range $j, $kind := $hook.kinds }}
MLOPS__ALERTS__WEBHOOKS__{{ $i }}__KINDS__{{ $j }}: {{ $kind | quote }}
{{- end }}
{{- end }}
{{- end }}
{{- range $key, $value := $svc.config }}
{{ $key }}: {{ $value | toString | quote }}
{{- end }}
{{- end -}}
