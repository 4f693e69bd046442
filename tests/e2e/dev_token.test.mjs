// The development key and token minting, checked with an independent JOSE
// library (npm `jose`): `mcp-gateway dev-key init` writes a private key only
// its owner can read and a JWKS; `mcp-gateway token mint` prints an ES256
// token that verifies against that JWKS with exactly the claims asked for.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLocalJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import { binary, configYaml } from './lib/gateway.mjs';

const workspaces = [];
after(() => { for (const dir of workspaces) rmSync(dir, { recursive: true, force: true }); });

function workspace() {
  const dir = mkdtempSync(join(tmpdir(), 'mcpgw-devkey-'));
  workspaces.push(dir);
  const config = join(dir, 'gateway.yaml');
  writeFileSync(config, configYaml({
    dataDir: join(dir, 'data'), routes: [{ name: 'memory' }], server: '  public_url: https://gw.example.test\n',
  }));
  return { dir, config, keyDir: join(dir, 'data', 'dev-key') };
}

const run = (args) => spawnSync(binary, args, { encoding: 'utf8' });

test('dev-key init creates a private key only its owner can read, and keeps it on a second run', () => {
  const w = workspace();
  assert.match(execFileSync(binary, ['dev-key', 'init', '-c', w.config], { encoding: 'utf8' }), /^created /);
  assert.equal(statSync(join(w.keyDir, 'es256.pem')).mode & 0o777, 0o600);
  assert.equal(statSync(w.keyDir).mode & 0o777, 0o700);
  const jwks = readFileSync(join(w.keyDir, 'jwks.json'), 'utf8');
  assert.ok(!/"d"\s*:/.test(jwks), 'the JWKS holds no private member');
  assert.match(execFileSync(binary, ['dev-key', 'init', '-c', w.config], { encoding: 'utf8' }), /^kept the existing /);
  assert.equal(readFileSync(join(w.keyDir, 'jwks.json'), 'utf8'), jwks);
});

test('token mint prints an ES256 token that jose verifies with exactly the requested claims', async () => {
  const w = workspace();
  execFileSync(binary, ['dev-key', 'init', '-c', w.config]);
  const token = execFileSync(binary, ['token', 'mint', '-c', w.config, '--route', 'memory', '--sub', 'alice',
    '--scope', 'read', '--scope', 'write', '--ttl', '15m'], { encoding: 'utf8' }).trim();
  const jwks = JSON.parse(readFileSync(join(w.keyDir, 'jwks.json'), 'utf8'));
  const { payload, protectedHeader } = await jwtVerify(token, createLocalJWKSet(jwks), {
    issuer: 'urn:mcp-gateway:dev', audience: 'https://gw.example.test/mcp/memory', algorithms: ['ES256'],
  });
  assert.equal(protectedHeader.kid, jwks.keys[0].kid);
  assert.equal(payload.sub, 'alice');
  assert.equal(payload.scope, 'read write');
  assert.equal(payload.exp - payload.iat, 15 * 60);
  assert.match(payload.jti, /^[0-9a-f]{32}$/);
  // Another route's audience, or another key, must not verify.
  await assert.rejects(jwtVerify(token, createLocalJWKSet(jwks), { audience: 'https://gw.example.test/mcp/other' }));
  const other = workspace();
  execFileSync(binary, ['dev-key', 'init', '-c', other.config]);
  const otherJwks = JSON.parse(readFileSync(join(other.keyDir, 'jwks.json'), 'utf8'));
  otherJwks.keys[0].kid = decodeProtectedHeader(token).kid;  // same kid, different key
  await assert.rejects(jwtVerify(token, createLocalJWKSet(otherJwks)));
});

test('token mint refuses clearly: no key yet, a key others can read, no audience, an unknown route', () => {
  const w = workspace();
  let r = run(['token', 'mint', '-c', w.config, '--route', 'memory', '--sub', 'alice']);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /cannot read .*es256\.pem.*\(create it with: mcp-gateway dev-key init\)/);
  assert.equal(r.stdout, '');

  execFileSync(binary, ['dev-key', 'init', '-c', w.config]);
  chmodSync(join(w.keyDir, 'es256.pem'), 0o644);
  r = run(['token', 'mint', '-c', w.config, '--route', 'memory', '--sub', 'alice']);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /readable by other users; make it private with: chmod 600 /);
  chmodSync(join(w.keyDir, 'es256.pem'), 0o600);

  r = run(['token', 'mint', '-c', w.config, '--sub', 'alice']);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /pass --route NAME or --aud URI/);
  r = run(['token', 'mint', '-c', w.config, '--route', 'nope', '--sub', 'alice']);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /no route named "nope"/);
  r = run(['token', 'mint', '-c', w.config, '--route', 'memory']);
  assert.notEqual(r.status, 0);
  assert.match(r.stderr, /--sub is required/);
  for (const ttl of ['25h', '0m', '15', 'm', '1d', '-5m']) {
    r = run(['token', 'mint', '-c', w.config, '--route', 'memory', '--sub', 'alice', '--ttl', ttl]);
    assert.notEqual(r.status, 0, ttl);
    assert.match(r.stderr, /expected e\.g\. 90s, 15m or 2h, at most 24h/, ttl);
  }
});
