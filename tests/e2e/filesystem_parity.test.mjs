// Parity of the filesystem plugin with the reference server-filesystem: the
// real gateway (filesystem.so on an API-key authenticated route) and the
// reference (over stdio) run the same script on two identical trees, and
// their answers must be equal once the roots' names and the timestamps are
// normalised. The remaining, deliberate differences are in ADR 0015.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { startGateway } from './lib/gateway.mjs';
import { createTrust } from './lib/trust.mjs';
import { plantTree, runFilesystemScript } from './lib/filesystem_script.mjs';

const PUBLIC_URL = 'https://gw.test';
const KEY = `mcpgw_${randomBytes(32).toString('base64url')}`;
const READ_KEY = `mcpgw_${randomBytes(32).toString('base64url')}`;
const READ_TOOLS = ['read_file', 'read_text_file', 'read_media_file', 'read_multiple_files', 'list_directory',
  'list_directory_with_sizes', 'directory_tree', 'search_files', 'get_file_info', 'list_allowed_directories'];
// The shipped scope mapping: reading tools need files:read, the rest files:write.
const scopes = {
  list: ['files:list'], call: ['files:call'],
  tools: { ...Object.fromEntries(READ_TOOLS.map((name) => [name, ['files:read']])), '*': ['files:write'] },
};
const sha256Hex = (text) => createHash('sha256').update(text).digest('hex');

let work;
let gateway;
let reference;

before(async () => {
  work = realpathSync(mkdtempSync(join(tmpdir(), 'mcpgw-fs-parity-')));
  const ours = join(work, 'ours');
  const theirs = join(work, 'theirs');
  for (const dir of [ours, theirs]) {
    plantTree(dir);
  }
  writeFileSync(join(work, 'outside.txt'), 'CANARY');
  // The gateway wants trusted issuers configured; the test authenticates
  // with API keys, as a deployment's bots would.
  const trust = await createTrust(work);
  gateway = await startGateway({
    routes: [
      { name: 'files', file: 'filesystem.so', config: { roots: [{ name: 'ws', path: ours }] }, scopes },
      { name: 'files-ro', plugin: 'files-ro', file: 'filesystem.so', scopes,
        config: { roots: [{ name: 'ws', path: ours }], read_only: true } },
    ],
    server: `  public_url: ${PUBLIC_URL}\n`,
    auth: {
      issuers: trust.issuers,
      api_keys: [
        { name: 'files-bot', sha256: sha256Hex(KEY), audiences: [`${PUBLIC_URL}/mcp/files`, `${PUBLIC_URL}/mcp/files-ro`],
          scopes: ['files:list', 'files:call', 'files:read', 'files:write'] },
        { name: 'reader', sha256: sha256Hex(READ_KEY), audiences: [`${PUBLIC_URL}/mcp/files`],
          scopes: ['files:list', 'files:call', 'files:read'] },
      ],
    },
  });
  const client = new Client({ name: 'reference-run', version: '1' });
  await client.connect(new StdioClientTransport({
    command: process.execPath,
    args: [new URL('../node_modules/@modelcontextprotocol/server-filesystem/dist/index.js', import.meta.url).pathname,
      theirs],
    stderr: 'ignore',
  }));
  reference = {
    tools: (await client.listTools()).tools,
    results: await runFilesystemScript(theirs, theirs, (name, args) => client.callTool({ name, arguments: args })),
  };
  await client.close();
});

after(async () => {
  const stopped = await gateway?.stop();
  if (work) rmSync(work, { recursive: true, force: true });
  assert.equal(stopped?.code, 0, 'the gateway drains and exits 0 on SIGTERM');
});

async function connect(route, key = KEY) {
  const client = new Client({ name: 'fs-parity', version: '1' });
  const transport = new StreamableHTTPClientTransport(gateway.url(route), { requestInit: { headers: { 'x-api-key': key } } });
  await client.connect(transport);
  return client;
}

const withoutDraft = (schema) => {
  const { $schema, ...rest } = schema ?? {};
  return rest;
};

test('the gateway lists the reference tools with the same names, arguments, outputs and annotations', async () => {
  const client = await connect('files');
  const { tools } = await client.listTools();
  assert.deepEqual(tools.map((t) => t.name), reference.tools.map((t) => t.name));
  for (const ours of tools) {
    const theirs = reference.tools.find((t) => t.name === ours.name);
    assert.equal(ours.title, theirs.title, `${ours.name} title`);
    assert.deepEqual(ours.annotations, theirs.annotations, `${ours.name} annotations`);
    assert.deepEqual(withoutDraft(ours.inputSchema), withoutDraft(theirs.inputSchema), `${ours.name} inputSchema`);
    assert.deepEqual(withoutDraft(ours.outputSchema), withoutDraft(theirs.outputSchema), `${ours.name} outputSchema`);
  }
  await client.close();
});

test('the scripted calls answer as the reference does on an identical tree', async () => {
  const client = await connect('files');
  const results = await runFilesystemScript('/ws', '/ws', (name, args) => client.callTool({ name, arguments: args }));
  assert.equal(results.length, reference.results.length);
  for (let i = 0; i < results.length; ++i) {
    assert.deepEqual(results[i], reference.results[i], `step ${i} (${results[i].name})`);
  }
  assert.equal(readFileSync(join(work, 'outside.txt'), 'utf8'), 'CANARY');
  await client.close();
});

test('a read-only route lists no mutating tool and a read-scoped key cannot write', async () => {
  const readOnly = await connect('files-ro');
  const names = (await readOnly.listTools()).tools.map((t) => t.name);
  assert.deepEqual(names, READ_TOOLS);
  await readOnly.close();

  const reader = await connect('files', READ_KEY);
  const read = await reader.callTool({ name: 'list_allowed_directories', arguments: {} });
  assert.equal(read.content[0].text, 'Allowed directories:\n/ws');
  const refused = await reader.callTool({ name: 'write_file', arguments: { path: 'x.txt', content: 'x' } })
    .then((result) => result, (error) => ({ protocolError: error }));
  assert.ok(refused.protocolError || refused.isError, 'a key without files:write cannot call write_file');
  await reader.close();
});

test('errors name the path as the caller wrote it, never the host path', async () => {
  const client = await connect('files');
  for (const path of ['missing/x.txt', '/ws/../../etc/passwd', 'node_modules/pkg/../../../outside.txt']) {
    const result = await client.callTool({ name: 'read_text_file', arguments: { path } });
    assert.equal(result.isError, true, path);
    assert.ok(result.content[0].text.includes(path), result.content[0].text);
    assert.ok(!result.content[0].text.includes(work), `host path leaked: ${result.content[0].text}`);
  }
  await client.close();
});
