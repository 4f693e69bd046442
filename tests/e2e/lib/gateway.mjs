// Starts the real mcp-gateway binary for an end-to-end test: a fresh
// temporary directory, a generated config, random loopback ports, and
// readiness taken from the gateway's own "listening" log line.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const binary = process.env.MCPGW_BINARY;
export const pluginDir = process.env.MCPGW_PLUGIN_DIR;
if (!binary || !pluginDir) throw new Error('MCPGW_BINARY and MCPGW_PLUGIN_DIR must be set (ctest sets them)');

// Builds a YAML config. `routes` is [{name, plugin, file, config?, workers?,
// scopes?}]; `auth` and `audit`, when given, are those sections as objects
// (they and a route's scopes are written as JSON, which YAML reads as flow
// style).
export function configYaml({ dataDir, routes, server = '', auth, audit }) {
  const plugins = routes
    .map((r) => `  - name: ${r.plugin ?? r.name}\n    file: ${r.file ?? `${r.name}.so`}\n` +
      (r.workers ? `    workers: ${r.workers}\n` : '') +
      (r.config ? `    config: ${JSON.stringify(r.config)}\n` : ''))
    .join('');
  const routeYaml = routes
    .map((r) => `  - name: ${r.name}\n    path: /mcp/${r.name}\n    plugin: ${r.plugin ?? r.name}\n` +
      (r.scopes ? `    scopes: ${JSON.stringify(r.scopes)}\n` : ''))
    .join('');
  return `server:\n  listen: 127.0.0.1:0\n  data_dir: ${dataDir}\n${server}` +
    `metrics:\n  listen: 127.0.0.1:0\n${auth ? `auth: ${JSON.stringify(auth)}\n` : ''}` +
    (audit ? `audit: ${JSON.stringify(audit)}\n` : '') +
    `plugin_dir: ${pluginDir}\nplugins:\n${plugins}routes:\n${routeYaml}`;
}

export async function startGateway({ routes, server = '', auth, audit, dir } = {}) {
  const root = dir ?? mkdtempSync(join(tmpdir(), 'mcpgw-e2e-'));
  const config = join(root, 'gateway.yaml');
  writeFileSync(config, configYaml({ dataDir: join(root, 'data'), routes, server, auth, audit }));
  const child = spawn(binary, ['serve', '-c', config], { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  const ready = new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`gateway not ready in 20 s:\n${log}`)), 20_000);
    child.stderr.on('data', (chunk) => {
      log += chunk;
      for (const line of log.split('\n')) {
        if (!line.includes('"listening"')) continue;
        const event = JSON.parse(line);
        clearTimeout(timer);
        resolve(event);
      }
    });
    child.on('exit', (code) => reject(new Error(`gateway exited with ${code}:\n${log}`)));
  });
  const event = await ready;
  const port = Number(event.mcp.split(':').pop());
  const metricsPort = Number(event.metrics.split(':').pop());
  const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  const logClosed = new Promise((resolve) => child.stderr.on('close', resolve));
  return {
    root,
    port,
    metricsPort,
    url: (route) => new URL(`http://127.0.0.1:${port}/mcp/${route}`),
    config,
    log: () => log,
    // Stops the gateway; once it resolves, log() holds everything it wrote.
    async stop({ keep = false } = {}) {
      child.kill('SIGTERM');
      const result = await exited;
      await logClosed;
      if (!keep && !dir) rmSync(root, { recursive: true, force: true });
      return result;
    },
  };
}
