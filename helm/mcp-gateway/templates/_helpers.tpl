{{/* Names, labels and the rendered gateway.yaml. */}}

{{- define "mcp-gateway.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "mcp-gateway.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- $name := default .Chart.Name .Values.nameOverride -}}
{{- if contains $name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{- define "mcp-gateway.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "mcp-gateway.selectorLabels" -}}
app.kubernetes.io/name: {{ include "mcp-gateway.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/component: gateway
{{- end -}}

{{- define "mcp-gateway.labels" -}}
helm.sh/chart: {{ include "mcp-gateway.chart" . }}
{{ include "mcp-gateway.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: mcp-gateway
{{- end -}}

{{- define "mcp-gateway.redis.fullname" -}}
{{- printf "%s-redis" (include "mcp-gateway.fullname" .) | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "mcp-gateway.redis.selectorLabels" -}}
app.kubernetes.io/name: {{ include "mcp-gateway.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/component: redis
{{- end -}}

{{- define "mcp-gateway.redis.labels" -}}
helm.sh/chart: {{ include "mcp-gateway.chart" . }}
{{ include "mcp-gateway.redis.selectorLabels" . }}
app.kubernetes.io/version: {{ .Values.redis.bundled.image.tag | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: mcp-gateway
{{- end -}}

{{- define "mcp-gateway.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "mcp-gateway.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- default "default" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{- define "mcp-gateway.secretName" -}}
{{- default (include "mcp-gateway.fullname" .) .Values.existingSecret -}}
{{- end -}}

{{- define "mcp-gateway.image" -}}
{{- if .Values.image.digest -}}
{{- printf "%s@%s" .Values.image.repository .Values.image.digest -}}
{{- else -}}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) -}}
{{- end -}}
{{- end -}}

{{/* The bundled Redis's rules for the gateway's user: deploy/redis/mcp-gateway.acl
     with the key prefix of redis.settings (a deploy test holds the two equal). */}}
{{- define "mcp-gateway.redis.aclRules" -}}
{{- $p := .Values.redis.settings.key_prefix | default "mcpgw:" -}}
resetkeys ~{{ $p }}* resetchannels &{{ $p }}revocations -@all +ping +role +select +evalsha +script|load +subscribe +mget +incrby +pexpire +hget +hgetall +hset +hdel +publish
{{- end -}}

{{/* Whether the gateway is given a Redis password file. */}}
{{- define "mcp-gateway.redis.hasPassword" -}}
{{- if or (eq .Values.redis.mode "bundled") (and (eq .Values.redis.mode "external") .Values.redis.usePassword) -}}true{{- end -}}
{{- end -}}

{{/* A value kept across upgrades: the existing Secret's key, else the given value, else random. */}}
{{- define "mcp-gateway.persistentSecret" -}}
{{- $ctx := index . 0 -}}{{- $key := index . 1 -}}{{- $given := index . 2 -}}
{{- $existing := lookup "v1" "Secret" $ctx.Release.Namespace (include "mcp-gateway.fullname" $ctx) -}}
{{- if $given -}}
{{- $given | b64enc -}}
{{- else if and $existing (hasKey $existing.data $key) -}}
{{- index $existing.data $key -}}
{{- else -}}
{{- randAlphaNum 48 | b64enc -}}
{{- end -}}
{{- end -}}

{{- define "mcp-gateway.publicUrl" -}}
{{- if .Values.gateway.publicUrl -}}
{{- .Values.gateway.publicUrl | trimSuffix "/" -}}
{{- else -}}
{{- printf "%s://%s.%s.svc.cluster.local:%v" (ternary "https" "http" .Values.tls.enabled) (include "mcp-gateway.fullname" .) .Release.Namespace .Values.service.ports.http -}}
{{- end -}}
{{- end -}}

{{- define "mcp-gateway.listen" -}}
{{- $host := index . 0 -}}{{- $port := index . 1 -}}
{{- if contains ":" $host -}}[{{ $host }}]:{{ $port }}{{- else -}}{{ $host }}:{{ $port }}{{- end -}}
{{- end -}}

{{/* The gateway's configuration file, rendered from the values. */}}
{{- define "mcp-gateway.config" -}}
{{- $v := .Values -}}
{{- $server := dict
      "listen" (include "mcp-gateway.listen" (list $v.gateway.listenHost 8080))
      "public_url" (include "mcp-gateway.publicUrl" .)
      "io_threads" $v.gateway.ioThreads
      "allowed_origins" $v.gateway.allowedOrigins
      "data_dir" "/var/lib/mcp-gateway"
      "page_size" $v.gateway.pageSize
      "drain_s" $v.drainSeconds
      "sessions" (merge (dict "secret_file" "/etc/mcp-gateway/secrets/session-secret") $v.gateway.sessions) -}}
{{- if $v.gateway.limits }}{{- $_ := set $server "limits" $v.gateway.limits -}}{{- end -}}
{{- if $v.tls.enabled -}}
{{- $tls := dict "cert_file" "/etc/mcp-gateway/tls/tls.crt" "key_file" "/etc/mcp-gateway/tls/tls.key"
      "min_version" $v.tls.minVersion "hsts_max_age_s" $v.tls.hstsMaxAgeS "client_certificates" $v.tls.clientCertificates -}}
{{- if ne $v.tls.clientCertificates "none" }}{{- $_ := set $tls "client_ca_file" "/etc/mcp-gateway/tls/ca.crt" -}}{{- end -}}
{{- $_ := set $server "tls" $tls -}}
{{- end -}}
{{- $auth := merge (dict "issuers" $v.auth.issuers "api_keys" $v.auth.apiKeys) (deepCopy $v.auth.settings) -}}
{{- $cfg := dict
      "server" $server
      "metrics" (dict "enabled" true "listen" (include "mcp-gateway.listen" (list $v.gateway.listenHost $v.metrics.port)))
      "log" (dict "level" $v.gateway.logLevel)
      "auth" $auth
      "plugins" $v.plugins
      "routes" $v.routes -}}
{{- if $v.gateway.pluginDir }}{{- $_ := set $cfg "plugin_dir" $v.gateway.pluginDir -}}{{- end -}}
{{- if $v.admin.enabled -}}
{{- $_ := set $cfg "admin" (dict "enabled" true "listen" (printf "127.0.0.1:%v" $v.admin.port) "audience" $v.admin.audience "scope" $v.admin.scope) -}}
{{- else -}}
{{- $_ := set $cfg "admin" (dict "enabled" false) -}}
{{- end -}}
{{- if $v.gateway.audit }}{{- $_ := set $cfg "audit" $v.gateway.audit -}}{{- end -}}
{{- if $v.gateway.rateLimits }}{{- $_ := set $cfg "rate_limits" $v.gateway.rateLimits -}}{{- end -}}
{{- if $v.gateway.revocation }}{{- $_ := set $cfg "revocation" $v.gateway.revocation -}}{{- end -}}
{{- if ne $v.redis.mode "none" -}}
{{- $redis := deepCopy $v.redis.settings -}}
{{- if eq $v.redis.mode "bundled" -}}
{{- $_ := set $redis "url" (printf "redis://%s:%v/0" (include "mcp-gateway.redis.fullname" .) $v.redis.bundled.port) -}}
{{- $_ := set $redis "username" "mcp-gateway" -}}
{{- else -}}
{{- $_ := set $redis "url" (required "redis.url is required when redis.mode is external" $v.redis.url) -}}
{{- if $v.redis.username }}{{- $_ := set $redis "username" $v.redis.username -}}{{- end -}}
{{- if $v.redis.tls }}{{- $_ := set $redis "tls" $v.redis.tls -}}{{- end -}}
{{- end -}}
{{- if include "mcp-gateway.redis.hasPassword" . }}{{- $_ := set $redis "password_file" "/etc/mcp-gateway/secrets/redis-password" -}}{{- end -}}
{{- $_ := set $cfg "redis" $redis -}}
{{- end -}}
{{- if $v.grpc.enabled -}}
{{- /* The gRPC front door (ADR 0018): server.grpc, TLS from server.tls like HTTP. */ -}}
{{- $_ := set (index $cfg "server") "grpc" (dict "enabled" true "listen" (include "mcp-gateway.listen" (list $v.gateway.listenHost $v.grpc.port))) -}}
{{- end -}}
{{- toYaml $cfg -}}
{{- end -}}
