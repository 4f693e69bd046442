// The gateway's /metrics against Prometheus's own tools, and the rules and
// dashboard in deploy/ against the gateway's /metrics:
//   - a live scrape after real traffic (2xx, 401, 403, 429, an unknown
//     tool and method) passes `promtool check metrics` with no lint finding;
//   - no label name or value carries a subject, credential or session, and
//     client-chosen strings do not become label values;
//   - every metric and recording-rule name that the rules file and the
//     Grafana dashboard mention exists (so renaming a metric breaks this);
//   - a real `prometheus` scrapes the gateway with the rules loaded: the
//     request counter and the recording rules answer through the HTTP API,
//     every rule evaluates without error and every dashboard query parses.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const { MCPGW_BINARY: binary, MCPGW_PLUGIN_DIR: pluginDir, MCPGW_PROMTOOL: promtool,
  MCPGW_PROMETHEUS: prometheusBinary, MCPGW_DEPLOY_DIR: deployDir } = process.env;
for (const [name, value] of Object.entries({ MCPGW_BINARY: binary, MCPGW_PLUGIN_DIR: pluginDir, MCPGW_DEPLOY_DIR: deployDir })) {
  if (!value) throw new Error(`${name} must be set (ctest sets it)`);
}
for (const [name, value] of Object.entries({ MCPGW_PROMTOOL: promtool, MCPGW_PROMETHEUS: prometheusBinary })) {
  if (!value || value.endsWith('NOTFOUND')) {
    throw new Error(`${name} not found: install Debian's prometheus package (scripts/install-deps.sh)`);
  }
}
const RULES = join(deployDir, 'prometheus', 'mcp-gateway.rules.yml');
const DASHBOARD = join(deployDir, 'grafana', 'mcp-gateway.dashboard.json');

// Names the rules or dashboard may use although a scrape of this test's
// gateway does not show them, each with what it takes to appear.
const APPEAR_LATER = {
  mcpgw_rate_limit_store_transitions_total: 'the limiter store switched between Redis and its fallback (needs Redis)',
  mcpgw_grpc_calls_total: 'a call on the gRPC front door (tests/integration/grpc_test.cpp checks it)',
  mcpgw_grpc_call_duration_seconds_bucket: 'a call on the gRPC front door',
};
// Names the rules and dashboard use that the gateway does not export yet
// (issue 6 item 3). Remove a name once the gateway exports it.
const NOT_YET_EXPORTED = {};
// Every label name the gateway may use: each has a bounded set of values.
const LABEL_NAMES = new Set(['route', 'method', 'tool', 'outcome', 'plugin', 'operation', 'reason', 'result', 'kind',
  'policy', 'state', 'version', 'le', 'code']);

const SUBJECT = `metrics-subject-${randomBytes(4).toString('hex')}`;
const API_KEY = `mcpgw_${randomBytes(32).toString('base64url')}`;
const WRONG_KEY = `mcpgw_${randomBytes(32).toString('base64url')}`;
const BAD_TOKEN = `eyJhbGciOiJIUzI1NiJ9.${Buffer.from(JSON.stringify({ sub: SUBJECT })).toString('base64url')}.${randomBytes(32).toString('base64url')}`;
const ODD_TOOL = `no_such_tool_${randomBytes(6).toString('hex')}`;
// no hex digit, so that only the cardinality test reports it
const ODD_METHOD = `custom/${[...randomBytes(8)].map((b) => 'ghijklmnopqrstuvwxyz'[b % 20]).join('')}`;
const PUBLIC_URL = 'http://127.0.0.1:1';
const sha256Hex = (text) => createHash('sha256').update(text).digest('hex');

let work;
let gateway;
let metricsText;
let session;  // the test client's MCP session
const secrets = [];  // strings that must never appear in /metrics

// ------------------------------------------------------------------ helpers

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

function startGateway(config) {
  const child = spawn(binary, ['serve', '-c', config], { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  const ready = new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`gateway not ready in 20 s:\n${log}`)), 20_000);
    child.stderr.on('data', (chunk) => {
      log += chunk;
      const line = log.split('\n').find((l) => l.includes('"listening"'));
      if (line) {
        clearTimeout(timer);
        resolve(JSON.parse(line));
      }
    });
    child.on('exit', (code) => reject(new Error(`gateway exited with ${code}:\n${log}`)));
  });
  const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  return ready.then((event) => ({
    mcp: event.mcp,
    metrics: event.metrics,
    log: () => log,
    async stop() {
      child.kill('SIGTERM');
      return exited;
    },
  }));
}

async function rpc(headers, body, session) {
  const response = await fetch(`http://${gateway.mcp}/mcp/example`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      ...(session ? { 'mcp-session-id': session, 'mcp-protocol-version': '2025-06-18' } : {}),
      ...headers,
    },
    body: JSON.stringify({ jsonrpc: '2.0', ...body }),
  });
  const text = await response.text();
  return { status: response.status, session: response.headers.get('mcp-session-id'), text };
}

function promtoolRun(args, input) {
  return spawnSync(promtool, args, { input, encoding: 'utf8' });
}

// Parses the text exposition: family names from # TYPE lines, and every
// sample's name and labels.
function parseExposition(text) {
  const families = new Set();
  const samples = [];
  for (const line of text.split('\n')) {
    if (line.startsWith('# TYPE ')) families.add(line.split(' ')[2]);
    if (!line || line.startsWith('#')) continue;
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)/.exec(line);
    assert.ok(m, `unparsable sample line: ${line}`);
    const labels = {};
    for (const [, k, v] of (m[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) labels[k] = v;
    samples.push({ name: m[1], labels, value: m[3] });
  }
  return { families, samples };
}

// Metric names (mcpgw_*) and recording-rule names (level:mcpgw_*:op) in text.
function namesIn(text) {
  const rules = new Set(text.match(/\b[a-z_]+:mcpgw_[a-z0-9_]+:[a-z0-9_]+\b/g) ?? []);
  const metrics = new Set(text.match(/(?<![:\w])mcpgw_[a-z0-9_]+\b(?!:)/g) ?? []);
  return { rules, metrics };
}

function dashboardQueries() {
  const dashboard = JSON.parse(readFileSync(DASHBOARD, 'utf8'));
  const queries = [];
  const walk = (panels) => {
    for (const p of panels ?? []) {
      for (const t of p.targets ?? []) queries.push({ where: `panel "${p.title}" ${t.refId}`, expr: t.expr });
      walk(p.panels);
    }
  };
  walk(dashboard.panels);
  for (const v of dashboard.templating?.list ?? []) {
    if (v.type === 'query') queries.push({ where: `variable ${v.name}`, expr: v.query?.query ?? v.query });
  }
  return { dashboard, queries };
}

// ------------------------------------------------------------------ setup

before(async () => {
  work = mkdtempSync(join(tmpdir(), 'mcpgw-prometheus-'));
  writeFileSync(join(work, 'hs.secret'), randomBytes(32).toString('base64'));
  const config = join(work, 'gateway.yaml');
  writeFileSync(config, `server:
  listen: 127.0.0.1:0
  data_dir: ${join(work, 'data')}
  public_url: ${PUBLIC_URL}
metrics:
  listen: 127.0.0.1:0
audit: {file: ${join(work, 'audit.log')}}
auth:
  issuers: [{issuer: "urn:metrics-test", secret_file: ${join(work, 'hs.secret')}, algorithm: HS256}]
  api_keys:
    - {name: ${SUBJECT}, sha256: "${sha256Hex(API_KEY)}", audiences: ["${PUBLIC_URL}/mcp/example"], scopes: ["example:read"]}
rate_limits:
  near_limit_percent: 50
  policies:
    - {name: per-subject, by: [subject], limit: 8, window_s: 600}
plugin_dir: ${pluginDir}
plugins:
  - {name: example, file: example.so}
routes:
  - name: example
    path: /mcp/example
    plugin: example
    scopes: {list: ["example:read"], read: ["example:read"], call: [], tools: {echo: ["example:read"], "*": ["example:write"]}}
`);
  gateway = await startGateway(config);

  const key = { 'x-api-key': API_KEY };
  const init = await rpc(key, { id: 1, method: 'initialize',
    params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'metrics-test', version: '1' } } });
  assert.equal(init.status, 200, init.text);
  session = init.session;
  assert.ok(session, 'initialize answers with a session id');
  secrets.push(API_KEY, WRONG_KEY, BAD_TOKEN, sha256Hex(API_KEY), sha256Hex(API_KEY).slice(0, 12), SUBJECT, session);
  await rpc(key, { method: 'notifications/initialized' }, session);

  const statuses = [];
  const call = async (headers, body) => statuses.push((await rpc(headers, body, session)).status);
  await call(key, { id: 2, method: 'tools/list' });
  await call(key, { id: 3, method: 'tools/call', params: { name: 'echo', arguments: { text: 'hi' } } });
  await call(key, { id: 4, method: 'tools/call', params: { name: 'divide', arguments: { a: 1, b: 0 } } });  // 403: scope
  await call(key, { id: 5, method: 'tools/call', params: { name: ODD_TOOL, arguments: {} } });
  await call(key, { id: 6, method: ODD_METHOD, params: {} });
  await call({ 'x-api-key': WRONG_KEY }, { id: 7, method: 'tools/list' });  // 401 unknown_api_key
  await call({ authorization: `Bearer ${BAD_TOKEN}` }, { id: 8, method: 'tools/list' });  // 401
  await call({}, { id: 9, method: 'tools/list' });  // 401 no_credentials
  for (let id = 10; id < 20; ++id) await call(key, { id, method: 'tools/list' });  // near the limit, then 429
  assert.ok(statuses.includes(401), `a 401 among ${statuses}`);
  assert.ok(statuses.includes(403), `a 403 among ${statuses}`);
  assert.ok(statuses.includes(429), `a 429 among ${statuses}`);

  const scrape = await fetch(`http://${gateway.metrics}/metrics`);
  assert.equal(scrape.status, 200);
  metricsText = await scrape.text();
});

after(async () => {
  const stopped = await gateway?.stop();
  if (work) rmSync(work, { recursive: true, force: true });
  if (stopped) assert.equal(stopped.code, 0, 'the gateway exits 0 on SIGTERM');
});

// ------------------------------------------------------------------ tests

test('a live scrape after traffic passes promtool check metrics without a lint finding', () => {
  const result = promtoolRun(['check', 'metrics'], metricsText);
  assert.equal(result.status, 0, `promtool check metrics exited ${result.status}:\n${result.stdout}${result.stderr}`);
  assert.equal(result.stdout.trim(), '', 'no lint finding');
  assert.equal(result.stderr.trim(), '', 'no error');
});

test('the traffic shows up under the documented names and labels', () => {
  const { samples } = parseExposition(metricsText);
  const has = (name, labels) => samples.some((s) => s.name === name &&
    Object.entries(labels).every(([k, v]) => s.labels[k] === v));
  assert.ok(has('mcpgw_requests_total', { route: 'example', method: 'tools/call', tool: 'echo', outcome: 'ok' }));
  assert.ok(has('mcpgw_requests_total', { route: 'example', outcome: 'rate_limited' }));
  assert.ok(has('mcpgw_authorization_denials_total', { route: 'example', method: 'tools/call', tool: 'divide' }));
  assert.ok(has('mcpgw_authentications_total', { method: 'api_key', outcome: 'unknown_api_key' }));
  assert.ok(has('mcpgw_authentications_total', { method: 'none', outcome: 'no_credentials' }));
  assert.ok(has('mcpgw_rejected_requests_total', { reason: 'unauthenticated' }));
  assert.ok(has('mcpgw_rate_limit_decisions_total', { policy: 'per-subject', outcome: 'denied' }));
  assert.ok(has('mcpgw_rate_limit_near_limit_total', { policy: 'per-subject' }));
  assert.ok(has('mcpgw_request_duration_seconds_bucket', { route: 'example', le: '+Inf' }));
});

test('no label names a subject, credential or session, and no label value carries one', () => {
  const { samples } = parseExposition(metricsText);
  for (const s of samples) {
    for (const [name, value] of Object.entries(s.labels)) {
      assert.ok(LABEL_NAMES.has(name), `${s.name}: label ${name} is not one of the bounded label names`);
      for (const secret of secrets) {
        assert.ok(!value.includes(secret), `${s.name}{${name}} carries a subject, credential or session id`);
      }
      assert.doesNotMatch(value, /^eyJ|[A-Za-z0-9_-]{32,}|[0-9a-f]{12,}/, `${s.name}{${name}="${value}"} looks like a token`);
    }
  }
  assert.ok(!metricsText.includes(SUBJECT), 'the subject is nowhere in /metrics');
  assert.ok(!metricsText.includes(API_KEY), 'the API key is nowhere in /metrics');
});

test('client-chosen tool names and methods do not become label values', () => {
  for (const chosen of [ODD_TOOL, ODD_METHOD]) {
    const lines = metricsText.split('\n').filter((l) => l.includes(chosen.split('/').pop()));
    assert.deepEqual(lines, [], `the client-chosen ${chosen} is a label value (unbounded cardinality):\n${lines.join('\n')}`);
  }
});

test('every metric and recording rule the rules file mentions exists', () => {
  const { families, samples } = parseExposition(metricsText);
  const exported = new Set([...families, ...samples.map((s) => s.name)]);
  const rulesText = readFileSync(RULES, 'utf8');
  const recorded = new Set([...rulesText.matchAll(/^\s*- record: (\S+)/gm)].map((m) => m[1]));
  const { rules, metrics } = namesIn(rulesText);
  assert.ok(metrics.size > 10, 'the rules mention the gateway metrics');
  for (const name of rules) assert.ok(recorded.has(name), `the rules use ${name}, which no rule records`);
  for (const name of metrics) {
    assert.ok(exported.has(name) || name in APPEAR_LATER || name in NOT_YET_EXPORTED,
      `the rules use ${name}, which the gateway does not export (renamed?)`);
  }
  for (const name of Object.keys(NOT_YET_EXPORTED)) {
    assert.ok(!exported.has(name), `${name} is exported now: move it out of NOT_YET_EXPORTED`);
    test.diagnostic?.(`not exported yet: ${name} (${NOT_YET_EXPORTED[name]})`);
  }
});

test('the dashboard is valid JSON whose every query uses existing metrics and recording rules', () => {
  const { families, samples } = parseExposition(metricsText);
  const exported = new Set([...families, ...samples.map((s) => s.name)]);
  const recorded = new Set([...readFileSync(RULES, 'utf8').matchAll(/^\s*- record: (\S+)/gm)].map((m) => m[1]));
  const { dashboard, queries } = dashboardQueries();
  assert.equal(dashboard.uid, 'mcp-gateway');
  assert.ok(dashboard.title);
  const variables = dashboard.templating.list.map((v) => v.name);
  for (const v of ['datasource', 'job', 'route']) assert.ok(variables.includes(v), `variable ${v}`);
  const ids = new Set();
  for (const p of dashboard.panels) {
    assert.ok(!ids.has(p.id), `panel id ${p.id} is unique`);
    ids.add(p.id);
  }
  assert.ok(queries.length > 20);
  for (const { where, expr } of queries) {
    assert.ok(expr && expr.trim(), `${where} has a query`);
    const { rules, metrics } = namesIn(expr);
    assert.ok(rules.size + metrics.size > 0, `${where} uses a gateway metric`);
    for (const name of rules) assert.ok(recorded.has(name), `${where} uses ${name}, which no rule records`);
    for (const name of metrics) {
      assert.ok(exported.has(name) || name in APPEAR_LATER || name in NOT_YET_EXPORTED,
        `${where} uses ${name}, which the gateway does not export (renamed?)`);
    }
  }
  const titles = dashboard.panels.map((p) => p.title.toLowerCase()).join(' | ');
  for (const topic of ['request', 'error', 'latency', 'authentication', 'scope', 'rate', 'redis', 'revocation',
    'plugin', 'session', 'sse']) {
    assert.ok(titles.includes(topic), `a panel about ${topic}`);
  }
});

test('a real prometheus scrapes the gateway, evaluates every rule and answers every dashboard query', async (t) => {
  const port = await freePort();
  const data = join(work, 'prometheus');
  mkdirSync(data);
  const config = join(work, 'prometheus.yml');
  writeFileSync(config, `global: {scrape_interval: 1s, evaluation_interval: 1s}
rule_files: [${JSON.stringify(RULES)}]
scrape_configs:
  - job_name: mcp-gateway
    static_configs: [{targets: ["${gateway.metrics}"]}]
`);
  const child = spawn(prometheusBinary, [`--config.file=${config}`, `--storage.tsdb.path=${data}`,
    `--web.listen-address=127.0.0.1:${port}`, '--log.level=warn'], { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  child.stderr.on('data', (chunk) => { log += chunk; });
  const exited = new Promise((resolve) => child.on('exit', resolve));
  t.after(async () => {
    child.kill('SIGTERM');
    await exited;
  });
  const api = async (path) => {
    const response = await fetch(`http://127.0.0.1:${port}${path}`);
    return { status: response.status, body: await response.json() };
  };
  const query = (expr) => api(`/api/v1/query?query=${encodeURIComponent(expr)}`);
  const eventually = async (what, probe) => {
    const deadline = Date.now() + 30_000;
    for (;;) {
      try {
        const value = await probe();
        if (value) return value;
      } catch { /* not up yet */ }
      assert.ok(Date.now() < deadline, `${what} within 30 s; prometheus log:\n${log}`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  };

  const sample = await eventually('the request counter through the query API', async () => {
    const { body } = await query('sum(mcpgw_requests_total{job="mcp-gateway",route="example",outcome="ok"})');
    return body.data.result[0];
  });
  assert.ok(Number(sample.value[1]) >= 3, `requests counted: ${sample.value[1]}`);
  // Traffic between scrapes, so rates are not 0.
  const key = { 'x-api-key': API_KEY };
  await eventually('a recording rule over two scrapes', async () => {
    await rpc(key, { id: 99, method: 'ping' }, session);
    const { body } = await query('job_route:mcpgw_requests:rate5m{route="example"}');
    return body.data.result.length > 0 && Number(body.data.result[0].value[1]) > 0;
  });
  await eventually('every rule evaluated once without error', async () => {
    const { body } = await api('/api/v1/rules');
    const rules = body.data.groups.flatMap((g) => g.rules);
    for (const r of rules) assert.equal(r.health === 'err', false, `${r.name}: ${r.lastError}`);
    return rules.length > 0 && rules.every((r) => r.health === 'ok');
  });
  const { body: alerts } = await api('/api/v1/alerts');
  const names = alerts.data.alerts.map((a) => a.labels.alertname);
  assert.ok(!names.includes('McpGatewayRedisDown'), 'no Redis alert for a gateway without Redis');

  const { queries } = dashboardQueries();
  for (const { where, expr } of queries) {
    const promql = expr.startsWith('label_values(')
      ? expr.replace(/^label_values\((.*?)(?:,\s*\w+)?\)$/, '$1').replace(/^\s*$/, 'up')
      : expr;
    const concrete = promql.replaceAll('$__rate_interval', '1m').replaceAll('$__range', '5m')
      .replace(/\$\w+/g, '.*');
    const { status, body } = await query(concrete);
    assert.equal(status, 200, `${where}: ${concrete}: ${body.error}`);
    assert.equal(body.status, 'success', `${where}: ${concrete}`);
  }
});
