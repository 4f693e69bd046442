// The official MCP conformance suite (@modelcontextprotocol/conformance,
// pinned in tests/package.json) against the real gateway serving the
// conformance fixture plugin, for one protocol version given in
// MCPGW_SPEC_VERSION. Every applicable scenario runs (--suite all); the
// only failures allowed are the ones listed, each with its reason, in
// conformance-baseline.yml, and a listed check that passes fails the run.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { startGateway } from './lib/gateway.mjs';

const specVersion = process.env.MCPGW_SPEC_VERSION;
const here = fileURLToPath(new URL('.', import.meta.url));
const cli = fileURLToPath(new URL('../node_modules/@modelcontextprotocol/conformance/dist/index.js', import.meta.url));

test(`conformance suite, protocol ${specVersion}`, { timeout: 15 * 60_000 }, async () => {
  const gateway = await startGateway({
    routes: [{ name: 'conformance', workers: 16 }],
    // Close long POST streams quickly so the SSE polling scenario sees a
    // priming event, a retry hint and a resumable stream.
    server: '  sessions:\n    poll_after_ms: 100\n    sse_retry_ms: 200\n',
  });
  try {
    const run = spawnSync(process.execPath, [cli, 'server',
      '--url', `http://localhost:${gateway.port}/mcp/conformance`,
      '--spec-version', specVersion, '--suite', 'all',
      '--expected-failures', `${here}/conformance-baseline.yml`], { encoding: 'utf8', timeout: 14 * 60_000 });
    process.stdout.write(run.stdout);
    process.stderr.write(run.stderr);
    assert.equal(run.status, 0, `conformance suite failed for ${specVersion} (see the summary above)`);
  } finally {
    const { code } = await gateway.stop();
    assert.equal(code, 0);
  }
});
