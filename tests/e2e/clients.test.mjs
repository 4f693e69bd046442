// End to end with the official MCP TypeScript clients, unchanged:
// SDK v1 (protocol 2025-11-25, session era) and client v2 (2026-07-28,
// stateless era, and its legacy mode), each listing and calling every
// memory tool through the real gateway, compared with the reference
// @modelcontextprotocol/server-memory run over stdio on the same script.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client as ClientV1 } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport as HttpV1 } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { Client as ClientV2, StreamableHTTPClientTransport as HttpV2 } from '@modelcontextprotocol/client';
import { startGateway } from './lib/gateway.mjs';
import { memoryToolNames, runMemoryScript } from './lib/memory_script.mjs';

let gateway;
let reference;
let referenceDir;

before(async () => {
  gateway = await startGateway({ routes: [{ name: 'memory' }, { name: 'memory2', plugin: 'memory2', file: 'memory.so' }] });
  // The reference server, over stdio, on a fresh file.
  const client = new ClientV1({ name: 'reference-run', version: '1' });
  referenceDir = mkdtempSync(join(tmpdir(), 'ref-memory-'));
  await client.connect(new StdioClientTransport({
    command: process.execPath,
    args: [new URL('../node_modules/@modelcontextprotocol/server-memory/dist/index.js', import.meta.url).pathname],
    env: { ...process.env, MEMORY_FILE_PATH: join(referenceDir, 'memory.jsonl') },
    stderr: 'ignore',
  }));
  reference = {
    tools: (await client.listTools()).tools,
    results: await runMemoryScript((name, args) => client.callTool({ name, arguments: args })),
  };
  await client.close();
});

after(async () => {
  rmSync(referenceDir, { recursive: true, force: true });
  const { code } = await gateway.stop();
  assert.equal(code, 0, 'the gateway drains and exits 0 on SIGTERM');
});

function sameTools(tools) {
  assert.deepEqual(tools.map((t) => t.name).sort(), memoryToolNames);
  for (const ours of tools) {
    const theirs = reference.tools.find((t) => t.name === ours.name);
    assert.equal(ours.description, theirs.description, `${ours.name} description`);
    assert.equal(ours.title, theirs.title, `${ours.name} title`);
    assert.deepEqual(ours.annotations, theirs.annotations, `${ours.name} annotations`);
    assert.deepEqual(Object.keys(ours.inputSchema.properties ?? {}).sort(),
      Object.keys(theirs.inputSchema.properties ?? {}).sort(), `${ours.name} argument names`);
    assert.deepEqual(ours.inputSchema.required ?? [], theirs.inputSchema.required ?? [], `${ours.name} required`);
  }
}

test('SDK v1 (2025-11-25) lists and calls every memory tool with the reference results', async () => {
  const client = new ClientV1({ name: 'e2e-v1', version: '1' });
  const transport = new HttpV1(gateway.url('memory'));
  await client.connect(transport);
  assert.equal(transport.protocolVersion ?? '2025-11-25', '2025-11-25');
  sameTools((await client.listTools()).tools);
  const results = await runMemoryScript((name, args) => client.callTool({ name, arguments: args }));
  assert.deepEqual(results, reference.results);
  await transport.terminateSession();
  await client.close();
});

test('client v2 in auto mode speaks 2026-07-28 statelessly with the reference results', async () => {
  const client = new ClientV2({ name: 'e2e-v2', version: '2' }, { versionNegotiation: { mode: 'auto' } });
  await client.connect(new HttpV2(gateway.url('memory2')));
  assert.equal(client.getProtocolEra(), 'modern');
  assert.equal(client.getNegotiatedProtocolVersion(), '2026-07-28');
  sameTools((await client.listTools()).tools);
  const results = await runMemoryScript((name, args) => client.callTool({ name, arguments: args }));
  assert.deepEqual(results, reference.results);
  await client.close();
});

test('client v2 in legacy mode falls back to the session era and still works', async () => {
  const client = new ClientV2({ name: 'e2e-v2-legacy', version: '2' });
  await client.connect(new HttpV2(gateway.url('memory')));
  assert.equal(client.getProtocolEra(), 'legacy');
  const r = await client.callTool({ name: 'read_graph', arguments: {} });
  assert.ok(Array.isArray(r.structuredContent.entities));
  await client.close();
});

test('a tool input error reaches the client as a tool result, not a protocol error', async () => {
  const client = new ClientV1({ name: 'e2e-invalid', version: '1' });
  await client.connect(new HttpV1(gateway.url('memory')));
  const r = await client.callTool({ name: 'create_entities', arguments: { entities: [{ name: 5 }] } });
  assert.equal(r.isError, true);
  assert.match(r.content[0].text, /Invalid arguments for tool create_entities: \/entities\/0/);
  await client.close();
});
