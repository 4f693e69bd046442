// The Helm chart (helm/mcp-gateway): lint, render with the default values and
// with variants, validate every object against the Kubernetes API schemas, and
// hold the security, probe, port, label and NetworkPolicy rules. Every rendered
// gateway.yaml goes through the real gateway's check-config.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { chartDir, checkConfig, helm, render, renderError, validateAll } from './chart_lib.mjs';

const production = YAML.parse(readFileSync(new URL('./values-production.yaml', import.meta.url), 'utf8'));

const variants = {
  default: {},
  production,
  'bundled Redis with persistence, HPA off': {
    autoscaling: { enabled: false }, replicaCount: 3,
    redis: { mode: 'bundled', bundled: { persistence: { enabled: true, size: '2Gi' } } },
  },
  'external Redis with existingSecret': {
    existingSecret: 'gw-secrets',
    redis: { mode: 'external', url: 'redis://redis.db.svc:6379/1', egress: { port: 6379 } },
  },
  'single replica, no Redis, PVC, no admin, no NetworkPolicy': {
    replicaCount: 1, autoscaling: { enabled: false }, podDisruptionBudget: { enabled: false },
    redis: { mode: 'none' }, persistence: { enabled: true }, admin: { enabled: false },
    networkPolicy: { enabled: false }, serviceAccount: { create: false },
  },
  'ServiceMonitor on, secret files from values': {
    serviceMonitor: { enabled: true },
    secretFiles: { 'hs-secret': 'x'.repeat(40) },
    auth: { issuers: [{ issuer: 'urn:ci', secret_file: '/etc/mcp-gateway/secrets/hs-secret', algorithm: 'HS256' }] },
  },
};

test('helm lint passes on the chart with its default values', () => {
  const r = helm(['lint', '--strict', chartDir]);
  assert.equal(r.status, 0, r.stdout + r.stderr);
  assert.match(r.stdout, /1 chart\(s\) linted, 0 chart\(s\) failed/);
});

test('helm lint passes with the production-like values', () => {
  const r = helm(['lint', '--strict', chartDir, '-f', new URL('./values-production.yaml', import.meta.url).pathname]);
  assert.equal(r.status, 0, r.stdout + r.stderr);
});

for (const [name, values] of Object.entries(variants)) {
  test(`renders valid Kubernetes objects and a gateway.yaml that check-config accepts: ${name}`, async () => {
    const out = render(values);
    await validateAll(out.docs);
    for (const doc of out.docs) {
      const labels = doc.metadata.labels ?? {};
      for (const key of ['app.kubernetes.io/name', 'app.kubernetes.io/instance', 'app.kubernetes.io/version',
        'app.kubernetes.io/managed-by', 'app.kubernetes.io/component', 'helm.sh/chart']) {
        assert.ok(labels[key], `${doc.kind}/${doc.metadata.name} lacks label ${key}`);
      }
    }
    const check = checkConfig(out.gatewayYaml());
    assert.ok(check.ok, `check-config refused the rendered gateway.yaml:\n${check.output}\n${out.gatewayYaml()}`);
  });
}

test('the gateway pod is hardened: non-root, read-only root, no capabilities, seccomp, resources', () => {
  const pod = render({}).one('Deployment').spec.template.spec;
  assert.equal(pod.securityContext.runAsNonRoot, true);
  assert.equal(pod.securityContext.seccompProfile.type, 'RuntimeDefault');
  assert.equal(pod.automountServiceAccountToken, false);
  const [c] = pod.containers;
  assert.equal(c.securityContext.allowPrivilegeEscalation, false);
  assert.equal(c.securityContext.readOnlyRootFilesystem, true);
  assert.equal(c.securityContext.runAsNonRoot, true);
  assert.deepEqual(c.securityContext.capabilities.drop, ['ALL']);
  assert.equal(c.securityContext.seccompProfile.type, 'RuntimeDefault');
  assert.ok(c.resources.requests.cpu && c.resources.requests.memory && c.resources.limits.memory);
  // The only writable places are volumes: data_dir and /tmp.
  const writable = c.volumeMounts.filter((m) => !m.readOnly).map((m) => m.mountPath).sort();
  assert.deepEqual(writable, ['/tmp', '/var/lib/mcp-gateway']);
  const secrets = pod.volumes.find((v) => v.name === 'secrets').secret;
  assert.equal(secrets.defaultMode, 0o440);
});

test('the bundled Redis pod is hardened as well and is reachable only from the gateway', () => {
  const out = render({ redis: { mode: 'bundled' } });
  const pod = out.one('StatefulSet', '-redis').spec.template.spec;
  assert.equal(pod.securityContext.runAsNonRoot, true);
  const [c] = pod.containers;
  assert.equal(c.securityContext.readOnlyRootFilesystem, true);
  assert.deepEqual(c.securityContext.capabilities.drop, ['ALL']);
  assert.deepEqual(c.args.slice(2, 9), ['--user', 'default', 'off', '--user', 'mcp-gateway', 'on', '>$(REDIS_PASSWORD)']);
  assert.ok(!c.args.includes('--requirepass'), 'no password for the default user: it is off');
  assert.equal(c.env[0].valueFrom.secretKeyRef.key, 'redis-password');
  const np = out.one('NetworkPolicy', '-redis').spec;
  assert.deepEqual(np.policyTypes, ['Ingress', 'Egress']);
  assert.deepEqual(np.egress, []);
  assert.equal(np.ingress.length, 1);
  assert.equal(np.ingress[0].from[0].podSelector.matchLabels['app.kubernetes.io/component'], 'gateway');
  assert.match(out.gatewayYaml(), /url: redis:\/\/gw-mcp-gateway-redis:6379\/0/);
  assert.match(out.gatewayYaml(), /password_file: \/etc\/mcp-gateway\/secrets\/redis-password/);
  assert.ok(out.one('Secret').data['redis-password'], 'the chart generates the bundled Redis password');
  assert.match(out.gatewayYaml(), /username: mcp-gateway/);
});

// The rules the chart gives the gateway's user are deploy/redis/mcp-gateway.acl's
// (which a C++ test runs two replicas under), with the configured key prefix.
test('the bundled Redis gives the gateway\'s user exactly the rules of deploy/redis/mcp-gateway.acl', () => {
  const documented = readFileSync(path.join(chartDir, '../../deploy/redis/mcp-gateway.acl'), 'utf8')
    .split('\n').filter((l) => l && !l.startsWith('#')).join(' ').split(/\s+/).filter(Boolean);
  const rulesOf = (values) => {
    const { args } = render(values).one('StatefulSet', '-redis').spec.template.spec.containers[0];
    return args.slice(args.indexOf('>$(REDIS_PASSWORD)') + 1, args.indexOf('--dir'));
  };
  assert.deepEqual(rulesOf({ redis: { mode: 'bundled' } }), documented);
  const prefixed = rulesOf({ redis: { mode: 'bundled', settings: { key_prefix: 'team-a:' } } });
  assert.deepEqual(prefixed, documented.map((r) => r.replace('mcpgw:', 'team-a:')));
  assert.ok(prefixed.includes('~team-a:*') && prefixed.includes('&team-a:revocations'));
});

test('probes: liveness /healthz and readiness /readyz on the metrics port', () => {
  const [c] = render({}).one('Deployment').spec.template.spec.containers;
  assert.deepEqual(c.livenessProbe.httpGet, { path: '/healthz', port: 'metrics' });
  assert.deepEqual(c.readinessProbe.httpGet, { path: '/readyz', port: 'metrics' });
  assert.deepEqual(c.startupProbe.httpGet, { path: '/healthz', port: 'metrics' });
  assert.deepEqual(c.ports.map((p) => [p.name, p.containerPort]), [['http', 8080], ['metrics', 9464]]);
});

test('terminationGracePeriodSeconds covers the preStop sleep, the drain and a margin', () => {
  const pod = render({ drainSeconds: 40, preStopSleepSeconds: 7 }).one('Deployment').spec.template.spec;
  assert.equal(pod.terminationGracePeriodSeconds, 7 + 40 + 5);
  assert.deepEqual(pod.containers[0].lifecycle.preStop, { sleep: { seconds: 7 } });
  const noSleep = render({ preStopSleepSeconds: 0 }).one('Deployment').spec.template.spec;
  assert.equal(noSleep.terminationGracePeriodSeconds, 25 + 5);
  assert.equal(noSleep.containers[0].lifecycle, undefined);
});

test('the Service exposes http and metrics; grpc only once the gRPC front door is enabled', () => {
  const ports = (v) => render(v).one('Service').spec.ports.map((p) => `${p.name}:${p.port}->${p.targetPort}`);
  assert.deepEqual(ports({}), ['http:8080->http', 'metrics:9464->metrics']);
  // The gRPC door is not built yet; enabling it renders its ports (its config section is provisional).
  const out = render({ grpc: { enabled: true } });
  assert.deepEqual(out.one('Service').spec.ports.map((p) => p.name), ['http', 'grpc', 'metrics']);
  assert.ok(out.one('Deployment').spec.template.spec.containers[0].ports.some((p) => p.name === 'grpc' && p.containerPort === 9090));
});

test('the gateway listens on the pod network with auth, the admin API stays on loopback', () => {
  const cfg = YAML.parse(render({}).gatewayYaml());
  assert.equal(cfg.server.listen, '0.0.0.0:8080');
  assert.equal(cfg.metrics.listen, '0.0.0.0:9464');
  assert.equal(cfg.admin.listen, '127.0.0.1:9465');
  assert.ok(cfg.auth.issuers.length > 0);
  assert.equal(cfg.server.data_dir, '/var/lib/mcp-gateway');
  assert.equal(cfg.server.sessions.secret_file, '/etc/mcp-gateway/secrets/session-secret');
  assert.equal(cfg.server.public_url, 'http://gw-mcp-gateway.mcp.svc.cluster.local:8080');
});

test('a configuration change rolls the pods (checksum annotation)', () => {
  const checksum = (v) => render(v).one('Deployment').spec.template.metadata.annotations['checksum/config'];
  const base = checksum({});
  assert.match(base, /^[0-9a-f]{64}$/);
  assert.equal(checksum({}), base);
  assert.notEqual(checksum({ gateway: { logLevel: 'debug' } }), base);
});

test('HPA replaces the replica count; without it the Deployment carries replicaCount', () => {
  const on = render({});
  assert.equal(on.one('Deployment').spec.replicas, undefined);
  const hpa = on.one('HorizontalPodAutoscaler').spec;
  assert.equal(hpa.scaleTargetRef.name, 'gw-mcp-gateway');
  assert.equal(hpa.minReplicas, 2);
  const off = render({ autoscaling: { enabled: false }, replicaCount: 4 });
  assert.equal(off.one('Deployment').spec.replicas, 4);
  assert.equal(off.all('HorizontalPodAutoscaler').length, 0);
  assert.equal(on.one('PodDisruptionBudget').spec.minAvailable, 1);
});

test('NetworkPolicy: ingress only to the served ports; egress to DNS, Redis and the JWKS hosts', () => {
  const np = render(production).one('NetworkPolicy').spec;
  assert.deepEqual(np.policyTypes, ['Ingress', 'Egress']);
  const ingressPorts = np.ingress.flatMap((r) => r.ports.map((p) => p.port)).sort();
  assert.deepEqual(ingressPorts, ['http', 'metrics']);
  assert.equal(np.ingress[0].from[0].namespaceSelector.matchLabels['kubernetes.io/metadata.name'], 'ingress-nginx');
  assert.equal(np.ingress[1].from[0].namespaceSelector.matchLabels['kubernetes.io/metadata.name'], 'monitoring');
  const egress = np.egress.map((r) => ({ ports: r.ports.map((p) => `${p.protocol}/${p.port}`).sort(),
    to: (r.to ?? []).map((t) => t.ipBlock?.cidr ?? Object.keys(t).sort().join('+')) }));
  assert.deepEqual(egress, [
    { ports: ['TCP/53', 'UDP/53'], to: ['namespaceSelector+podSelector'] },
    { ports: ['TCP/6380'], to: ['10.40.0.0/16'] },
    { ports: ['TCP/8443'], to: ['203.0.113.0/24'] },  // the port of the jwks_url
  ]);
  // Without CIDRs, the JWKS rule is open on the https port only; no issuer URL, no such rule.
  const open = render({}).one('NetworkPolicy').spec.egress.at(-1);
  assert.deepEqual(open.ports, [{ port: 443, protocol: 'TCP' }]);
  assert.deepEqual(open.to.map((t) => t.ipBlock.cidr), ['0.0.0.0/0', '::/0']);
  const fileOnly = render({ auth: { issuers: [{ issuer: 'urn:x', jwks_file: '/etc/mcp-gateway/secrets/j' }] } });
  assert.equal(fileOnly.one('NetworkPolicy').spec.egress.length, 2);
});

test('existingSecret: no Secret is rendered and the pod mounts the named one', () => {
  const out = render({ existingSecret: 'gw-secrets', redis: { mode: 'external', url: 'redis://r:6379/0' } });
  assert.equal(out.all('Secret').length, 0);
  const vol = out.one('Deployment').spec.template.spec.volumes.find((v) => v.name === 'secrets');
  assert.equal(vol.secret.secretName, 'gw-secrets');
  const cfg = YAML.parse(out.gatewayYaml());
  assert.deepEqual(cfg.redis, { url: 'redis://r:6379/0', password_file: '/etc/mcp-gateway/secrets/redis-password' });
});

test('an external Redis with a password from values needs the password; the Secret holds it', () => {
  assert.match(renderError({ redis: { mode: 'external', url: 'redis://r:6379/0' } }) ?? '', /redis.password/);
  const out = render({ redis: { mode: 'external', url: 'redis://r:6379/0', password: 'pw' } });
  assert.equal(Buffer.from(out.one('Secret').data['redis-password'], 'base64').toString(), 'pw');
  assert.equal(out.one('Secret').data['session-secret'].length > 0, true);
});

test('ServiceMonitor scrapes the metrics port when enabled', () => {
  assert.equal(render({}).all('ServiceMonitor').length, 0);
  const sm = render({ serviceMonitor: { enabled: true, labels: { release: 'prom' } } }).one('ServiceMonitor');
  assert.equal(sm.metadata.labels.release, 'prom');
  assert.deepEqual(sm.spec.endpoints.map((e) => [e.port, e.path]), [['metrics', '/metrics']]);
});

test('values.schema.json refuses bad values', () => {
  const refusals = [
    [{ replicaCount: 'two' }, /replicaCount/],
    [{ replicas: 2 }, /additional properties 'replicas' not allowed/],
    [{ securityContext: { readOnlyRootFilesystem: false, allowPrivilegeEscalation: false, capabilities: {} } }, /readOnlyRootFilesystem/],
    [{ redis: { mode: 'sentinel' } }, /redis\/mode/],
    [{ routes: [{ name: 'm', path: 'mcp/m', plugin: 'memory' }] }, /routes\/0\/path/],
    [{ auth: { apiKeys: [{ name: 'k', sha256: 'plain-key', audiences: [] }] } }, /sha256/],
    [{ sessionSecret: 'short' }, /sessionSecret/],
    [{ redis: { settings: { key_prefix: 'a*' } } }, /key_prefix/],
    [{ redis: { settings: { key_prefix: '' } } }, /key_prefix/],
    [{ redis: { settings: { key_prefix: 'a b' } } }, /key_prefix/],
  ];
  for (const [values, why] of refusals) {
    const error = renderError(values);
    assert.ok(error, `accepted ${JSON.stringify(values)}`);
    assert.match(error, why);
  }
});

test('NOTES.txt tells how to revoke a token and where the metrics are', () => {
  const r = helm(['install', 'gw', chartDir, '--dry-run=client', '--namespace', 'mcp']);
  assert.equal(r.status, 0, r.stderr);
  const notes = r.stdout.slice(r.stdout.indexOf('NOTES:'));
  assert.match(notes, /kubectl -n mcp exec -i deploy\/gw-mcp-gateway -c gateway --/);
  assert.match(notes, /mcp-gateway admin --config \/etc\/mcp-gateway\/config\/gateway.yaml/);
  assert.match(notes, /revoke --jti/);
  assert.match(notes, /revoke --leaked-token-file leaked.jwt/);
  assert.match(notes, /:9464\/metrics/);
  assert.match(notes, /memory: http:\/\/gw-mcp-gateway.mcp.svc.cluster.local:8080\/mcp\/memory/);
});
