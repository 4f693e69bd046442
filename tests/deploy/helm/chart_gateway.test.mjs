// The rendered ConfigMap and Secret fed to the real gateway binary: the pod's
// files are laid out in a temporary directory (the chart's mount paths
// rewritten to it), the listeners moved to random loopback ports, and the
// gateway must start, answer /readyz and serve a tool call with a token for
// the route's exact audience (public_url + path, as rendered).
// What differs from a pod: paths and ports (no cluster can run here), and
// Redis is off (redis.mode: none) so the test needs no server.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import YAML from 'yaml';
import { SignJWT, exportJWK, generateKeyPair } from 'jose';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { render } from './chart_lib.mjs';

const binary = process.env.MCPGW_BINARY;
const pluginDir = process.env.MCPGW_PLUGIN_DIR;

test('the rendered ConfigMap and Secret start the real gateway, which is ready and serves a tool call', async (t) => {
  assert.ok(binary && pluginDir, 'MCPGW_BINARY and MCPGW_PLUGIN_DIR must be set (ctest sets them)');
  const { privateKey, publicKey } = await generateKeyPair('ES256');
  const jwks = { keys: [{ ...(await exportJWK(publicKey)), alg: 'ES256', kid: 'k1', use: 'sig' }] };
  const out = render({
    replicaCount: 1, autoscaling: { enabled: false }, redis: { mode: 'none' },
    gateway: { publicUrl: 'https://mcp.example.test' },
    secretFiles: { 'jwks.json': JSON.stringify(jwks) },
    auth: { issuers: [{ issuer: 'urn:test-idp', jwks_file: '/etc/mcp-gateway/secrets/jwks.json' }] },
  });

  // The pod's filesystem, in a temporary directory.
  const root = mkdtempSync(path.join(tmpdir(), 'mcpgw-chart-pod-'));
  t.after(() => rmSync(root, { recursive: true, force: true }));
  const at = (p) => path.join(root, p);
  mkdirSync(at('etc/mcp-gateway/secrets'), { recursive: true });
  mkdirSync(at('var/lib/mcp-gateway'), { recursive: true });
  for (const [key, b64] of Object.entries(out.one('Secret').data)) {
    writeFileSync(at(`etc/mcp-gateway/secrets/${key}`), Buffer.from(b64, 'base64'), { mode: 0o440 });
  }
  const relocate = (text) => text.replaceAll('/etc/mcp-gateway/', `${at('etc/mcp-gateway')}/`)
    .replaceAll('/var/lib/mcp-gateway', at('var/lib/mcp-gateway'));
  const cfg = YAML.parse(relocate(out.gatewayYaml()));
  cfg.server.listen = '127.0.0.1:0';
  cfg.metrics.listen = '127.0.0.1:0';
  cfg.admin.listen = '127.0.0.1:0';
  cfg.plugin_dir = pluginDir;
  const configFile = at('gateway.yaml');
  writeFileSync(configFile, YAML.stringify(cfg));

  const child = spawn(binary, ['serve', '--config', configFile], { stdio: ['ignore', 'ignore', 'pipe'] });
  const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  t.after(async () => { child.kill('SIGTERM'); await exited; });
  let log = '';
  const listening = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`not listening within 15 s:\n${log}`)), 15_000);
    child.stderr.on('data', (chunk) => {
      log += chunk;
      const line = log.split('\n').find((l) => l.includes('"listening"'));
      if (line) { clearTimeout(timer); resolve(JSON.parse(line)); }
    });
    child.on('exit', (code) => { clearTimeout(timer); reject(new Error(`gateway exited with ${code}:\n${log}`)); });
  });
  const mcpPort = Number(listening.mcp.split(':').pop());
  const metricsPort = Number(listening.metrics.split(':').pop());

  const ready = await fetch(`http://127.0.0.1:${metricsPort}/readyz`);
  assert.equal(ready.status, 200, await ready.text());
  assert.equal((await fetch(`http://127.0.0.1:${metricsPort}/healthz`)).status, 200);

  const url = new URL(`http://127.0.0.1:${mcpPort}/mcp/memory`);
  assert.equal((await fetch(url, { method: 'POST', body: '{}' })).status, 401, 'no credential, no entry');

  const now = Math.floor(Date.now() / 1000);
  const token = await new SignJWT({ scope: 'memory:read memory:write', jti: 'chart-test' })
    .setProtectedHeader({ alg: 'ES256', kid: 'k1', typ: 'JWT' })
    .setIssuer('urn:test-idp').setSubject('alice').setAudience('https://mcp.example.test/mcp/memory')
    .setIssuedAt(now).setExpirationTime(now + 300).sign(privateKey);
  const client = new Client({ name: 'chart-test', version: '1.0.0' });
  await client.connect(new StreamableHTTPClientTransport(url, {
    requestInit: { headers: { Authorization: `Bearer ${token}` } } }));
  try {
    const created = await client.callTool({ name: 'create_entities',
      arguments: { entities: [{ name: 'helm', entityType: 'tool', observations: ['renders charts'] }] } });
    assert.notEqual(created.isError, true, JSON.stringify(created));
    const graph = await client.callTool({ name: 'read_graph', arguments: {} });
    assert.match(JSON.stringify(graph), /renders charts/);
  } finally {
    await client.close();
  }
});
