// deploy/Dockerfile cannot be built here (no container engine). It is linted:
// dockerfile-utils (the validator behind the VS Code Docker extension) checks
// syntax and instruction arguments, and the rules below hold what matters for
// the image: multi-stage, pinned bases, a numeric non-root user, no shell form
// at run time, no remote ADD, no secrets, only the built artefacts copied.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { validate } from 'dockerfile-utils';

const text = readFileSync(new URL('../../../deploy/Dockerfile', import.meta.url), 'utf8');
// Instructions with continuation lines joined and comments dropped.
const instructions = text.replace(/\\\n/g, ' ').split('\n')
  .map((l) => l.trim()).filter((l) => l && !l.startsWith('#'))
  .map((l) => { const [op, ...rest] = l.split(/\s+/); return { op: op.toUpperCase(), args: rest.join(' ') }; });
const args = Object.fromEntries(instructions.filter((i) => i.op === 'ARG' && i.args.includes('='))
  .map((i) => i.args.split('=')));
const froms = instructions.filter((i) => i.op === 'FROM');
const runtimeStart = instructions.lastIndexOf(froms.at(-1));
const runtime = instructions.slice(runtimeStart);

test('dockerfile-utils finds no problem', () => {
  assert.deepEqual(validate(text, {}).map((d) => `line ${d.range.start.line + 1}: ${d.message}`), []);
});

test('multi-stage: a build stage and a runtime stage on a distroless base', () => {
  assert.equal(froms.length, 2);
  assert.match(froms[0].args, / AS build$/);
  assert.match(froms[1].args, / AS runtime$/);
  assert.match(args.RUNTIME_IMAGE, /^gcr\.io\/distroless\/cc-debian12:nonroot$/);
});

test('base images are pinned by tag (or digest), never latest', () => {
  for (const from of froms) {
    const image = from.args.split(' ')[0].replace(/^\$\{(\w+)\}$/, (_, name) => args[name]);
    assert.ok(image, `FROM ${from.args}: unresolved`);
    assert.match(image, /(:[\w.-]+|@sha256:[0-9a-f]{64})$/, `${image} has no tag`);
    assert.doesNotMatch(image, /:latest$/);
  }
});

test('the runtime stage runs as a numeric non-root user, exec form, no shell', () => {
  const users = runtime.filter((i) => i.op === 'USER');
  assert.equal(users.length, 1);
  assert.match(users[0].args, /^[1-9][0-9]*:[1-9][0-9]*$/);
  assert.equal(runtime.filter((i) => i.op === 'RUN').length, 0, 'no RUN in the runtime stage (no shell there)');
  for (const op of ['ENTRYPOINT', 'CMD']) {
    const i = runtime.find((x) => x.op === op);
    assert.ok(i, `${op} missing`);
    assert.doesNotThrow(() => JSON.parse(i.args), `${op} must be exec form (JSON)`);
  }
  assert.deepEqual(JSON.parse(runtime.find((x) => x.op === 'ENTRYPOINT').args), ['/opt/mcp-gateway/bin/mcp-gateway']);
});

test('the runtime stage copies only the built tree, with explicit ownership', () => {
  const copies = runtime.filter((i) => i.op === 'COPY');
  assert.ok(copies.length > 0);
  for (const c of copies) {
    assert.match(c.args, /^--from=build --chown=\d+:\d+ \/rootfs\//, c.args);
  }
  assert.equal(instructions.filter((i) => i.op === 'ADD').length, 0, 'no ADD (no remote URLs, no auto-extraction)');
});

test('the build context is limited to the sources, the plugins are all collected', () => {
  const build = instructions.slice(0, runtimeStart);
  const sources = build.filter((i) => i.op === 'COPY').map((i) => i.args.split(' ')[0]);
  assert.deepEqual(sources, ['CMakeLists.txt', 'cmake/', 'gateway/', 'plugins/']);
  const runs = build.filter((i) => i.op === 'RUN').map((i) => i.args).join('\n');
  assert.match(runs, /-DCMAKE_BUILD_TYPE=Release/);
  assert.match(runs, /-DMCPGW_BUILD_TESTS=OFF/);
  for (const plugin of ['memory', 'filesystem', 'git', 'vector']) assert.match(runs, new RegExp(`\\b${plugin}\\b`));
  assert.match(runs, /grep -F 'not found'/, 'the build fails on an unresolved shared library');
});

test('no secrets in the Dockerfile', () => {
  assert.doesNotMatch(text, /(password|secret|token|api[_-]?key)\s*[=:]/i);
  assert.doesNotMatch(text, /-----BEGIN/);
  for (const i of instructions.filter((x) => x.op === 'ENV' || x.op === 'ARG')) {
    assert.doesNotMatch(i.args, /pass|secret|token|key/i, `${i.op} ${i.args}`);
  }
});
