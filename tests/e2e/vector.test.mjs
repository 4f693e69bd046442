// The vector plugin end to end: the real gateway binary loading vector.so,
// the official SDK v1 client (which checks structuredContent against each
// tool's outputSchema), bearer tokens of two tenants minted with npm jose,
// and a gateway restart on the same data directory.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { startGateway } from './lib/gateway.mjs';
import { HS_ISSUER, createTrust, joseToken, now } from './lib/trust.mjs';

const PUBLIC_URL = 'https://gw.test';
const ROUTE = {
  name: 'vector',
  scopes: {
    list: [], read: [], call: [],
    tools: { query: ['vector:read'], list_collections: ['vector:read'], get_documents: ['vector:read'], '*': ['vector:write'] },
  },
};

let dir;
let trust;
let gateway;

async function start() {
  gateway = await startGateway({
    dir,
    routes: [ROUTE],
    server: `  public_url: ${PUBLIC_URL}\n`,
    auth: { clock_skew_s: 60, max_token_lifetime_s: 86400, max_token_bytes: 8192, issuers: trust.issuers },
  });
}

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'mcpgw-e2e-vector-'));
  trust = await createTrust(dir);
  await start();
});

after(async () => {
  await gateway?.stop();
  rmSync(dir, { recursive: true, force: true });
});

// A client of the vector route acting for `tenant` (the token's sub).
async function clientFor(tenant, scope = 'vector:read vector:write') {
  const t = now();
  const token = await joseToken({
    alg: 'HS256', key: trust.signingKey('HS256'),
    claims: { iss: HS_ISSUER, sub: tenant, aud: `${PUBLIC_URL}/mcp/vector`, iat: t, exp: t + 600, jti: randomUUID(), scope },
  });
  const client = new Client({ name: `e2e-vector-${tenant}`, version: '1' });
  await client.connect(new StreamableHTTPClientTransport(gateway.url('vector'),
    { requestInit: { headers: { Authorization: `Bearer ${token}` } } }));
  return client;
}

const call = (client, name, args) => client.callTool({ name, arguments: args });

test('lists seven tools with schemas and truthful annotations', async () => {
  const client = await clientFor('alice');
  const { tools } = await client.listTools();
  const byName = Object.fromEntries(tools.map((t) => [t.name, t]));
  assert.deepEqual(Object.keys(byName).sort(), ['create_collection', 'delete_collection', 'delete_documents',
    'get_documents', 'list_collections', 'query', 'upsert_documents']);
  assert.equal(byName.query.annotations.readOnlyHint, true);
  assert.equal(byName.list_collections.annotations.readOnlyHint, true);
  assert.equal(byName.upsert_documents.annotations.idempotentHint, true);
  assert.equal(byName.delete_documents.annotations.destructiveHint, true);
  for (const tool of tools) assert.equal(tool.outputSchema.type, 'object', tool.name);
  await client.close();
});

test('stores, finds and keeps documents per tenant across a gateway restart', async () => {
  const alice = await clientFor('alice');
  const bob = await clientFor('bob');
  for (const [client, who] of [[alice, 'alice'], [bob, 'bob']]) {
    const created = await call(client, 'create_collection', { name: 'notes' });
    assert.equal(created.isError, undefined, JSON.stringify(created));
    const upserted = await call(client, 'upsert_documents', { collection: 'notes', documents: [
      { id: 'a', text: `${who} likes green tea in the morning`, metadata: { kind: 'drink' } },
      { id: 'b', text: `${who} repairs bicycles on weekends`, metadata: { kind: 'hobby' } },
    ] });
    assert.deepEqual(upserted.structuredContent, { collection: 'notes', upserted: 2, created: 2, replaced: 0 });
  }
  const found = await call(alice, 'query', { collection: 'notes', text: 'bicycle repair', top_k: 1 });
  assert.equal(found.structuredContent.results[0].id, 'b');
  assert.equal(found.structuredContent.results[0].text, 'alice repairs bicycles on weekends');
  assert.deepEqual(JSON.parse(found.content[0].text), found.structuredContent);
  const filtered = await call(bob, 'query', { collection: 'notes', text: 'bicycle repair', filter: { kind: 'drink' } });
  assert.deepEqual(filtered.structuredContent.results.map((r) => r.text), ['bob likes green tea in the morning']);
  // The gateway validates arguments against the inputSchema before the plugin sees them.
  const invalid = await call(alice, 'query', { collection: 'notes', text: 'x', top_k: 0 });
  assert.equal(invalid.isError, true);
  assert.match(invalid.content[0].text, /top_k: must be >= 1/);
  const bad = await call(alice, 'query', { collection: 'nope', text: 'tea' });
  assert.equal(bad.isError, true);
  assert.match(bad.content[0].text, /no collection named "nope"/);
  await call(bob, 'delete_collection', { name: 'notes' });
  await alice.close();
  await bob.close();

  const { code } = await gateway.stop();
  assert.equal(code, 0);
  await start();
  const again = await clientFor('alice');
  const kept = await call(again, 'get_documents', { collection: 'notes', ids: ['a', 'b'] });
  assert.deepEqual(kept.structuredContent.documents.map((d) => d.text),
    ['alice likes green tea in the morning', 'alice repairs bicycles on weekends']);
  await again.close();
  const bobAgain = await clientFor('bob');
  const listed = await call(bobAgain, 'list_collections', {});
  assert.deepEqual(listed.structuredContent.collections, []);
  await bobAgain.close();
});

test('a token without the write scope may query but not upsert', async () => {
  const reader = await clientFor('alice', 'vector:read');
  const found = await call(reader, 'query', { collection: 'notes', text: 'tea' });
  assert.equal(found.isError, undefined);
  await assert.rejects(call(reader, 'upsert_documents', { collection: 'notes', documents: [{ id: 'c', text: 'x1' }] }));
  await reader.close();
});
