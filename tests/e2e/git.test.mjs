// The git plugin end to end: the real gateway binary loads git.so, the
// official SDK client lists and calls its tools over Streamable HTTP, and
// the git command line checks what happened to the repository.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { startGateway } from './lib/gateway.mjs';

const base = mkdtempSync(join(tmpdir(), 'mcpgw-e2e-git-'));
const root = join(base, 'root');
const repo = join(root, 'repo');
const canary = join(base, 'canary');
const gitEnv = {
  PATH: process.env.PATH, HOME: '/nonexistent', GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null', LC_ALL: 'C',
};
const git = (dir, ...args) =>
  execFileSync('git', ['-C', dir, '-c', 'user.name=Fixture', '-c', 'user.email=f@example.com', ...args],
    { env: gitEnv, encoding: 'utf8' });

let gateway;
let client;

before(async () => {
  for (const dir of [repo, canary]) {
    mkdirSync(dir, { recursive: true });
    git(dir, 'init', '-q', '-b', 'main');
  }
  gateway = await startGateway({
    routes: [{ name: 'git', config: { roots: [root], max_output_bytes: 65536 } }],
  });
  client = new Client({ name: 'e2e-git', version: '1' });
  await client.connect(new StreamableHTTPClientTransport(gateway.url('git')));
});

after(async () => {
  await client?.close();
  const { code } = await gateway.stop();
  rmSync(base, { recursive: true, force: true });
  assert.equal(code, 0);
});

const text = (result) => result.content[0].text;

test('lists the twelve reference tools with titles and truthful annotations', async () => {
  const { tools } = await client.listTools();
  assert.deepEqual(tools.map((t) => t.name), [
    'git_status', 'git_diff_unstaged', 'git_diff_staged', 'git_diff', 'git_commit', 'git_add', 'git_reset',
    'git_log', 'git_create_branch', 'git_checkout', 'git_show', 'git_branch']);
  const readOnly = tools.filter((t) => t.annotations.readOnlyHint).map((t) => t.name).sort();
  assert.deepEqual(readOnly, ['git_branch', 'git_diff', 'git_diff_staged', 'git_diff_unstaged', 'git_log',
    'git_show', 'git_status']);
  assert.deepEqual(tools.filter((t) => t.annotations.destructiveHint).map((t) => t.name), ['git_reset']);
  for (const tool of tools) assert.ok(tool.title && tool.inputSchema.required.includes('repo_path'), tool.name);
});

test('add, commit, status, log and branch work on a repository inside the root', async () => {
  writeFileSync(join(repo, 'a.txt'), 'hello\n');
  assert.equal(text(await client.callTool({ name: 'git_add', arguments: { repo_path: repo, files: ['a.txt'] } })),
    'Files staged successfully');
  assert.equal(git(repo, 'status', '--porcelain'), 'A  a.txt\n');
  const committed = await client.callTool({ name: 'git_commit', arguments: { repo_path: repo, message: 'first' } });
  const head = git(repo, 'rev-parse', 'HEAD').trim();
  assert.equal(text(committed), `Changes committed successfully with hash ${head}`);
  assert.equal(text(await client.callTool({ name: 'git_status', arguments: { repo_path: repo } })),
    `Repository status:\n${git(repo, 'status').replace(/\n$/, '')}`);
  const log = text(await client.callTool({ name: 'git_log', arguments: { repo_path: repo, max_count: 5 } }));
  assert.match(log, new RegExp(`^Commit history:\nCommit: '${head}'\nAuthor: <git\\.Actor "`));
  await client.callTool({ name: 'git_create_branch', arguments: { repo_path: repo, branch_name: 'feature' } });
  assert.equal(text(await client.callTool({ name: 'git_branch', arguments: { repo_path: repo, branch_type: 'local' } })),
    git(repo, 'branch').replace(/\n$/, ''));
});

test('a repo_path outside the root is a tool error and the canary is untouched', async () => {
  const before = git(canary, 'status', '--porcelain');
  for (const repoPath of [canary, `${root}/../canary`, '../canary']) {
    const result = await client.callTool({ name: 'git_commit', arguments: { repo_path: repoPath, message: 'x' } });
    assert.equal(result.isError, true, repoPath);
    assert.match(text(result), /outside the allowed root/);
  }
  assert.equal(git(canary, 'status', '--porcelain'), before);
  assert.throws(() => git(canary, 'rev-parse', '--verify', '-q', 'HEAD'));
});

test('the gateway refuses arguments that do not match the inputSchema before the plugin runs', async () => {
  writeFileSync(join(repo, 'b.txt'), 'b\n');
  const result = await client.callTool({ name: 'git_add', arguments: { repo_path: repo, files: 'b.txt' } });
  assert.equal(result.isError, true);
  assert.match(text(result), /files/);
  assert.equal(git(repo, 'status', '--porcelain'), '?? b.txt\n');  // the plugin never ran
});
