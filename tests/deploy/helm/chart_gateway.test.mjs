// The rendered ConfigMap and Secret fed to the real gateway binary: the pod's
// files are laid out in a temporary directory (the chart's mount paths
// rewritten to it), the listeners moved to random loopback ports, and the
// gateway must start, answer /readyz and serve a tool call with a token for
// the route's exact audience (public_url + path, as rendered).
// What differs from a pod: paths and ports (no cluster can run here). The
// second test runs the bundled Redis from the StatefulSet's own arguments.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { createServer } from 'node:net';
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

// The pod's filesystem in a temporary directory: the Secret's files, the
// rendered gateway.yaml with its paths moved there and its listeners on
// random loopback ports, `edit` applied to it last.
function layOutPod(t, out, edit = () => {}) {
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
  edit(cfg);
  const configFile = at('gateway.yaml');
  writeFileSync(configFile, YAML.stringify(cfg));
  return { at, configFile };
}

// Starts the real gateway; resolves with its MCP and metrics ports once it logs "listening".
async function startGateway(t, configFile) {
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
  return { mcpPort: Number(listening.mcp.split(':').pop()), metricsPort: Number(listening.metrics.split(':').pop()),
    log: () => log };
}

async function testIdp() {
  const { privateKey, publicKey } = await generateKeyPair('ES256');
  const jwks = { keys: [{ ...(await exportJWK(publicKey)), alg: 'ES256', kid: 'k1', use: 'sig' }] };
  const mint = async (sub, jti) => {
    const now = Math.floor(Date.now() / 1000);
    return new SignJWT({ scope: 'memory:read memory:write', jti })
      .setProtectedHeader({ alg: 'ES256', kid: 'k1', typ: 'JWT' })
      .setIssuer('urn:test-idp').setSubject(sub).setAudience('https://mcp.example.test/mcp/memory')
      .setIssuedAt(now).setExpirationTime(now + 300).sign(privateKey);
  };
  return { jwks, mint };
}

const values = (jwks, more) => ({
  replicaCount: 1, autoscaling: { enabled: false },
  gateway: { publicUrl: 'https://mcp.example.test' },
  secretFiles: { 'jwks.json': JSON.stringify(jwks) },
  auth: { issuers: [{ issuer: 'urn:test-idp', jwks_file: '/etc/mcp-gateway/secrets/jwks.json' }] },
  ...more,
});

async function connect(mcpPort, token) {
  const client = new Client({ name: 'chart-test', version: '1.0.0' });
  await client.connect(new StreamableHTTPClientTransport(new URL(`http://127.0.0.1:${mcpPort}/mcp/memory`), {
    requestInit: { headers: { Authorization: `Bearer ${token}` } } }));
  return client;
}

test('the rendered ConfigMap and Secret start the real gateway, which is ready and serves a tool call', async (t) => {
  assert.ok(binary && pluginDir, 'MCPGW_BINARY and MCPGW_PLUGIN_DIR must be set (ctest sets them)');
  const idp = await testIdp();
  const out = render(values(idp.jwks, { redis: { mode: 'none' } }));
  const { configFile } = layOutPod(t, out);
  const { mcpPort, metricsPort } = await startGateway(t, configFile);

  const ready = await fetch(`http://127.0.0.1:${metricsPort}/readyz`);
  assert.equal(ready.status, 200, await ready.text());
  assert.equal((await fetch(`http://127.0.0.1:${metricsPort}/healthz`)).status, 200);
  const url = new URL(`http://127.0.0.1:${mcpPort}/mcp/memory`);
  assert.equal((await fetch(url, { method: 'POST', body: '{}' })).status, 401, 'no credential, no entry');

  const client = await connect(mcpPort, await idp.mint('alice', 'chart-test'));
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

const freePort = () => new Promise((resolve) => {
  const s = createServer();
  s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)); });
});

// The bundled Redis as its StatefulSet runs it (the same arguments, the
// Secret's password where Kubernetes puts it; only port and directory
// differ, plus an inspecting user for the test), and the rendered gateway
// logged in as the one user the chart gives it: ready (the revocation list
// synced), a tool call counted by the limiter in Redis, and Redis's ACL LOG
// empty, so the rules allowed everything the gateway did.
test('the bundled Redis admits only the gateway\'s user, with no more than the gateway uses', async (t) => {
  assert.ok(binary && pluginDir, 'MCPGW_BINARY and MCPGW_PLUGIN_DIR must be set (ctest sets them)');
  const idp = await testIdp();
  const out = render(values(idp.jwks, { redis: { mode: 'bundled' }, gateway: { publicUrl: 'https://mcp.example.test',
    rateLimits: { policies: [{ name: 'per-subject', by: ['subject'], limit: 100, window_s: 60 }] } } }));
  const container = out.one('StatefulSet', '-redis').spec.template.spec.containers[0];
  const password = Buffer.from(out.one('Secret').data['redis-password'], 'base64').toString();
  const redisPort = await freePort();
  const dir = mkdtempSync(path.join(tmpdir(), 'mcpgw-chart-redis-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const args = container.args.map((a) => a.replaceAll('$(REDIS_PASSWORD)', password));
  args[args.indexOf('--port') + 1] = String(redisPort);
  args[args.indexOf('--dir') + 1] = dir;
  args.push('--bind', '127.0.0.1', '--user', 'inspector', 'on', '>inspect', '~*', '&*', '+@all');
  const redis = spawn(container.command[0], args, { stdio: 'ignore' });
  const redisExited = new Promise((resolve) => redis.on('exit', resolve));
  t.after(async () => { redis.kill('SIGTERM'); await redisExited; });
  const cli = (...words) => spawnSync('redis-cli', ['-p', String(redisPort), '--no-auth-warning', ...words],
    { encoding: 'utf8' }).stdout.trim();
  const inspect = (...words) => cli('--user', 'inspector', '--pass', 'inspect', ...words);
  for (let i = 0; i < 200 && inspect('PING') !== 'PONG'; ++i) await new Promise((r) => setTimeout(r, 25));
  assert.equal(inspect('PING'), 'PONG', 'the bundled Redis did not start with the rendered arguments');
  assert.match(cli('PING'), /NOAUTH|WRONGPASS|NOPERM/, 'the default user is off');
  assert.match(cli('--user', 'mcp-gateway', '--pass', password, 'KEYS', '*'), /NOPERM/, 'the gateway user may not list keys');
  assert.equal(inspect('ACL', 'LOG', 'RESET'), 'OK');  // that refusal, logged: what follows is the gateway's

  const { configFile } = layOutPod(t, out, (cfg) => { cfg.redis.url = `redis://127.0.0.1:${redisPort}/0`; });
  const { mcpPort, metricsPort, log } = await startGateway(t, configFile);
  const ready = await fetch(`http://127.0.0.1:${metricsPort}/readyz`);
  assert.equal(ready.status, 200, `${await ready.text()}\n${log()}`);
  const client = await connect(mcpPort, await idp.mint('bob', 'chart-redis-test'));
  try {
    const graph = await client.callTool({ name: 'read_graph', arguments: {} });
    assert.notEqual(graph.isError, true, JSON.stringify(graph));
  } finally {
    await client.close();
  }
  assert.match(inspect('KEYS', 'mcpgw:rl:per-subject:*'), /mcpgw:rl:per-subject:bob/, 'the limiter counted in Redis');
  const denied = inspect('ACL', 'LOG');
  assert.equal(denied, '', `Redis denied the gateway something:\n${denied}`);
});
