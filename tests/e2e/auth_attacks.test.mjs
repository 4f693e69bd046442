// The authentication attack battery of issue 3, against the real gateway:
// credentials minted by an independent JOSE library (npm jose) and by hand.
//
// Every bad credential gets exactly 401 with the route's exact challenge and
// reaches no plugin (each is sent as a tools/call create_entities, so a leak
// would be counted by the plugin-call metric). Valid tokens of every
// algorithm succeed; scopes give 403 with the exact insufficient_scope
// challenge; a credential for one route is refused by every other; the
// official SDK client works with a token and, without one, finds the
// resource metadata from the challenge. Last, no token, key or secret used
// here appears in the gateway's log, its files, or any response.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport, StreamableHTTPError } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { discoverOAuthProtectedResourceMetadata, extractWWWAuthenticateParams } from '@modelcontextprotocol/sdk/client/auth.js';
import { startGateway } from './lib/gateway.mjs';
import { ATTACKER_KID, startAttackerKeys } from './lib/attacker_keys.mjs';
import {
  ASYMMETRIC_ALGS, HS_ISSUER, IDP, OCT_ALGS, b64, createTrust, handToken, hmacSigner, joseToken, kidOf, now,
  rsaSigner, untrustedKey,
} from './lib/trust.mjs';

const PUBLIC_URL = 'https://gw.test';
const ROUTES = [
  { name: 'memory', scopes: {
    list: ['mcp:list'], read: ['mcp:read'], call: ['mcp:call'], admin: ['mcp:admin'],
    tools: { read_graph: ['memory:read'], '*': ['memory:write'] } } },
  // No read or admin class, no `*`: everything but listing and read_graph is unmapped.
  { name: 'notes', file: 'memory.so', scopes: { list: ['notes:list'], call: [], tools: { read_graph: ['notes:read'] } } },
  { name: 'wiki', file: 'memory.so', scopes: {
    list: [], read: [], call: ['wiki:call'], admin: ['wiki:admin'], tools: { '*': [] } } },
];
// Every scope any route knows: a token carrying them all is refused only for
// what a case breaks.
const ALL_SCOPES = 'mcp:list mcp:read mcp:call mcp:admin memory:read memory:write notes:list notes:read wiki:call wiki:admin';
// The memory route's API key may list and read, not write.
const MEMORY_KEY_SCOPES = ['mcp:list', 'mcp:call', 'memory:read'];
// What each route's 401 challenge lists: its scopes, sorted.
const SUPPORTED = {
  memory: 'mcp:admin mcp:call mcp:list mcp:read memory:read memory:write',
  notes: 'notes:list notes:read',
  wiki: 'wiki:admin wiki:call',
};

const AUDIT_FILE = 'audit.jsonl';  // relative to the config: in the gateway's directory
const uri = (route) => `${PUBLIC_URL}/mcp/${route}`;
const metadataUrl = (route) => `${PUBLIC_URL}/.well-known/oauth-protected-resource/mcp/${route}`;
const invalidTokenChallenge = (route) =>
  `Bearer resource_metadata="${metadataUrl(route)}", scope="${SUPPORTED[route]}", error="invalid_token"`;
const insufficientScopeChallenge = (route, scopes) =>
  `Bearer error="insufficient_scope", scope="${scopes}", resource_metadata="${metadataUrl(route)}"`;

let keysDir;
let trust;
let attacker;
let gateway;
const apiKeys = {};          // route -> its API key
const credentials = new Set();  // every credential sent, for the audit check
const responses = [];        // every response received, for the audit check

before(async () => {
  keysDir = mkdtempSync(join(tmpdir(), 'mcpgw-auth-keys-'));
  trust = await createTrust(keysDir);
  attacker = await startAttackerKeys(keysDir);
  for (const { name } of ROUTES) apiKeys[name] = `mcpgw_${randomBytes(32).toString('base64url')}`;
  gateway = await startGateway({
    routes: ROUTES,
    audit: { file: AUDIT_FILE },
    server: `  public_url: ${PUBLIC_URL}\n`,
    auth: {
      clock_skew_s: 60,
      max_token_lifetime_s: 86400,
      max_token_bytes: 8192,
      issuers: trust.issuers,
      api_keys: ROUTES.map(({ name }) => ({
        name: `${name}-bot`, sha256: sha256Hex(apiKeys[name]), audiences: [uri(name)],
        scopes: name === 'memory' ? MEMORY_KEY_SCOPES : ALL_SCOPES.split(' '),
      })),
    },
  });
});

after(async () => {
  await gateway?.stop();
  await attacker?.close();
  if (keysDir) rmSync(keysDir, { recursive: true, force: true });
});

// ---------------------------------------------------------------- helpers

function sha256Hex(text) {
  return createHash('sha256').update(text).digest('hex');
}

const json = (value) => JSON.stringify(value);
const bearer = (token) => ({ authorization: `Bearer ${token}` });
const apiKey = (key) => ({ 'x-api-key': key });

// Valid claims for the memory route; a patch value of undefined drops the claim.
function claims(patch = {}) {
  const t = now();
  const c = { iss: IDP, sub: 'mallory', aud: uri('memory'), iat: t, exp: t + 600, jti: randomUUID(), scope: ALL_SCOPES,
    ...patch };
  for (const name of Object.keys(c)) if (c[name] === undefined) delete c[name];
  return c;
}

// A token the gateway accepts, unless `patch` or `header` says otherwise.
function tokenFor(alg, patch = {}, header = {}) {
  const c = claims(alg === 'HS256' ? { iss: HS_ISSUER, ...patch } : patch);
  return joseToken({ alg, key: trust.signingKey(alg), kid: alg === 'HS256' ? undefined : kidOf(alg), header, claims: c });
}
const rs256 = (patch, header) => tokenFor('RS256', patch, header);
const rsaHand = () => rsaSigner(trust.keys.RS256.pkcs8);

// Mints with `mint` until `accept(token)`: for cases that need a signature
// with a given character (RS256 signatures are random-looking, jti varies).
async function mintUntil(mint, accept) {
  for (;;) {
    const token = await mint();
    if (accept(token)) return token;
  }
}

// One HTTP exchange with the gateway (node:http, so that repeated headers
// are sent as such); remembers the credentials sent and the response.
function send(path, { headers = {}, body } = {}) {
  for (const name of ['authorization', 'x-api-key']) {
    for (const value of [headers[name]].flat()) {
      if (typeof value === 'string') credentials.add(value.replace(/^\S+ /, ''));
    }
  }
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: gateway.port, path, method: 'POST', headers, agent: false }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => { text += chunk; });
      res.on('end', () => {
        const r = { status: res.statusCode, headers: res.headers, rawHeaders: res.rawHeaders, body: text };
        responses.push(r);
        resolve(r);
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}

// A stateless-era (2026-07-28) request: no handshake, so a credential that
// got through would reach the plugin with this very request.
const META = {
  'io.modelcontextprotocol/protocolVersion': '2026-07-28',
  'io.modelcontextprotocol/clientInfo': { name: 'auth-attacks', version: '1' },
  'io.modelcontextprotocol/clientCapabilities': {},
};
function rpc(route, method, params, credential, { name, query = '' } = {}) {
  const body = json({ jsonrpc: '2.0', id: 1, method, params: { ...params, _meta: META } });
  return send(`/mcp/${route}${query}`, {
    body,
    headers: {
      'content-type': 'application/json', accept: 'application/json, text/event-stream',
      'mcp-protocol-version': '2026-07-28', 'mcp-method': method, ...(name ? { 'mcp-name': name } : {}), ...credential,
    },
  });
}
const callTool = (route, tool, args, credential, options) =>
  rpc(route, 'tools/call', { name: tool, arguments: args }, credential, { name: tool, ...options });
const createEntities = (route, credential, options) =>
  callTool(route, 'create_entities', { entities: [{ name: 'leak', entityType: 'x', observations: [] }] }, credential, options);
const readGraph = (route, credential) => callTool(route, 'read_graph', {}, credential);

// The JSON-RPC message of a response, whether sent as JSON or as SSE.
function message(r) {
  if (!String(r.headers['content-type']).startsWith('text/event-stream')) return JSON.parse(r.body);
  const data = r.body.split('\n').filter((l) => l.startsWith('data:')).pop();
  return JSON.parse(data.slice(5));
}

// How many tool calls reached a plugin: the sum of every
// mcpgw_plugin_calls_total series with operation="call_tool".
async function pluginToolCalls() {
  const text = await (await fetch(`http://127.0.0.1:${gateway.metricsPort}/metrics`)).text();
  return text.split('\n')
    .filter((l) => l.startsWith('mcpgw_plugin_calls_total{') && l.includes('operation="call_tool"'))
    .reduce((sum, l) => sum + Number(l.split(' ').pop()), 0);
}

function expectRefused(r, status, challenge) {
  assert.equal(r.status, status, r.body);
  assert.equal(r.headers['www-authenticate'], challenge);
  assert.equal(r.rawHeaders.filter((h) => h.toLowerCase() === 'www-authenticate').length, 1, 'one challenge');
  const error = message(r).error;
  assert.ok(error && typeof error.message === 'string', `a JSON-RPC error: ${r.body}`);
}

// -------------------------------------------------------- the bad credentials

const setAlg = (alg) => handToken(json({ alg, typ: 'JWT' }), json(claims()), null);
const segments = (token) => token.split('.');
const padded = (segment) => segment + '='.repeat((4 - (segment.length % 4)) % 4);
const offByOne = (key) => key.slice(0, -1) + (key.endsWith('A') ? 'B' : 'A');

// [name, () => request headers]: each credential is bad for one reason.
const ATTACKS = [
  // alg "none", in spellings a case-insensitive comparison would accept, and no alg.
  ['alg "none" with an empty signature', () => bearer(setAlg('none'))],
  ['alg "None"', () => bearer(setAlg('None'))],
  ['alg "NONE"', () => bearer(setAlg('NONE'))],
  ['alg "nOnE"', () => bearer(setAlg('nOnE'))],
  ['alg "none" keeping a valid RS256 signature', async () => {
    const [, payload, signature] = segments(await rs256());
    return bearer(`${b64(json({ alg: 'none', typ: 'JWT' }))}.${payload}.${signature}`);
  }],
  ['no alg member', () => bearer(handToken(json({ kid: 'rs256', typ: 'JWT' }), json(claims()), rsaHand()))],
  ['alg empty', () => bearer(handToken(json({ alg: '', kid: 'rs256' }), json(claims()), rsaHand()))],

  // Key confusion: a public key used as an HMAC secret, a key under another algorithm.
  ['HS256 signed with the RS256 public key PEM, kid rs256', () =>
    bearer(handToken(json({ alg: 'HS256', kid: 'rs256' }), json(claims()), hmacSigner(trust.keys.RS256.spki)))],
  ['HS256 signed with the RS256 public key PEM, no kid', () =>
    bearer(handToken(json({ alg: 'HS256' }), json(claims()), hmacSigner(trust.keys.RS256.spki)))],
  ['HS256 signed with the RS256 public JWK', () =>
    bearer(handToken(json({ alg: 'HS256', kid: 'rs256' }), json(claims()), hmacSigner(json(trust.keys.RS256.publicJwk))))],
  ['HS384 signed with the ES256 public key PEM, kid es256', () =>
    bearer(handToken(json({ alg: 'HS384', kid: 'es256' }), json(claims()), hmacSigner(trust.keys.ES256.spki, 'sha384')))],
  ['RS256 under the kid of the ES256 key', async () =>
    bearer(await joseToken({ alg: 'RS256', kid: 'es256', key: trust.keys.RS256.privateKey, claims: claims() }))],
  ['ES256 under the kid of the RS256 key', async () =>
    bearer(await joseToken({ alg: 'ES256', kid: 'rs256', key: trust.keys.ES256.privateKey, claims: claims() }))],
  ['HS256 with the other issuer\'s secret', async () =>
    bearer(await joseToken({ alg: 'HS256', key: Buffer.from(trust.hsSecret), claims: claims({ iss: IDP }) }))],
  ['iss urn:hs signed by the idp\'s RS256 key', async () => bearer(await rs256({ iss: HS_ISSUER }))],

  // The right algorithm, the wrong key.
  ...['RS256', 'PS256', 'ES256', 'ES384', 'EdDSA'].map((alg) => [`${alg} by an untrusted key under kid ${kidOf(alg)}`,
    async () => bearer(await joseToken({ alg, kid: kidOf(alg), key: (await untrustedKey(alg)).privateKey, claims: claims() }))]),
  ['HS256 with another secret', async () =>
    bearer(await joseToken({ alg: 'HS256', key: randomBytes(32), claims: claims({ iss: HS_ISSUER }) }))],
  ['HS512 under kid hs512 signed with the HS384 secret', async () =>
    bearer(await joseToken({ alg: 'HS512', kid: 'hs512', key: trust.keys.HS384.secret, claims: claims() }))],

  // kid: unknown, empty, not a string, and used as a path, a query or a URL.
  ['kid unknown', async () => bearer(await rs256({}, { kid: 'rs256-retired' }))],
  ['kid empty', async () => bearer(await rs256({}, { kid: '' }))],
  ['kid a number', async () => bearer(await rs256({}, { kid: 1 }))],
  ['kid a path to /dev/null, HS256 with an empty key', () =>
    bearer(handToken(json({ alg: 'HS256', kid: '../../../../../../dev/null' }), json(claims()), hmacSigner('')))],
  ['kid the path of the trusted JWKS, HS256 with its contents', () =>
    bearer(handToken(json({ alg: 'HS256', kid: trust.jwksFile }), json(claims()),
      hmacSigner(readFileSync(trust.jwksFile))))],
  ['kid with SQL injection, HS256 with the injected value', () =>
    bearer(handToken(json({ alg: 'HS256', kid: "x' UNION SELECT 'pwned' -- " }), json(claims()), hmacSigner('pwned')))],
  ['kid the URL of the attacker\'s JWKS', async () =>
    bearer(await joseToken({ alg: 'RS256', kid: attacker.jwksUrl, key: attacker.privateKey, claims: claims() }))],

  // Headers that would let the token choose its own key.
  ['jku pointing at the attacker\'s JWKS', async () => bearer(await joseToken({
    alg: 'RS256', kid: ATTACKER_KID, header: { jku: attacker.jwksUrl }, key: attacker.privateKey, claims: claims() }))],
  ['x5u pointing at the attacker\'s certificate', async () => bearer(await joseToken({
    alg: 'RS256', header: { x5u: attacker.certUrl }, key: attacker.privateKey, claims: claims() }))],
  ['jwk carrying the attacker\'s key', async () => bearer(await joseToken({
    alg: 'RS256', header: { jwk: attacker.publicJwk }, key: attacker.privateKey, claims: claims() }))],
  ['x5c carrying the attacker\'s certificate', async () => bearer(await joseToken({
    alg: 'RS256', header: { x5c: attacker.x5c }, key: attacker.privateKey, claims: claims() }))],
  ['jwk carrying the trusted key itself', async () =>
    bearer(await rs256({}, { jwk: trust.keys.RS256.publicJwk }))],

  // crit, b64 and typ.
  ['crit naming an unknown extension', async () => bearer(await joseToken({
    alg: 'RS256', kid: 'rs256', header: { crit: ['urn:example:bind'], 'urn:example:bind': true },
    crit: ['urn:example:bind'], key: trust.keys.RS256.privateKey, claims: claims() }))],
  ['crit empty', () => bearer(handToken(json({ alg: 'RS256', kid: 'rs256', crit: [] }), json(claims()), rsaHand()))],
  ['b64 false (unencoded payload)', () =>
    bearer(handToken(json({ alg: 'RS256', kid: 'rs256', b64: false, crit: ['b64'] }), json(claims()), rsaHand()))],
  ['typ dpop+jwt', async () => bearer(await rs256({}, { typ: 'dpop+jwt' }))],

  // Time.
  ['expired an hour ago', async () => bearer(await rs256({ iat: now() - 7200, exp: now() - 3600 }))],
  ['expired 90 s ago, beyond the 60 s skew', async () => bearer(await rs256({ iat: now() - 600, exp: now() - 90 }))],
  ['nbf an hour ahead', async () => bearer(await rs256({ nbf: now() + 3600 }))],
  ['iat 5 minutes ahead, beyond the skew', async () => bearer(await rs256({ iat: now() + 300, exp: now() + 900 }))],
  ['lifetime over the maximum', async () => bearer(await rs256({ exp: now() + 86400 + 3600 }))],

  // Required claims, each missing, and of the wrong type.
  ...['iss', 'aud', 'exp', 'iat', 'sub'].map((name) => [`no ${name}`, async () => bearer(await rs256({ [name]: undefined }))]),
  ['sub empty', async () => bearer(await rs256({ sub: '' }))],
  ['exp a string', async () => bearer(await rs256({ exp: String(now() + 600) }))],

  // Issuer: exact only.
  ['iss untrusted', async () => bearer(await rs256({ iss: 'https://evil.test' }))],
  ['iss in another case', async () => bearer(await rs256({ iss: 'https://IDP.test' }))],
  ['iss with a trailing slash', async () => bearer(await rs256({ iss: `${IDP}/` }))],

  // Audience: exact only.
  ['aud a prefix of the route URI', async () => bearer(await rs256({ aud: `${PUBLIC_URL}/mcp/mem` }))],
  ['aud the parent path', async () => bearer(await rs256({ aud: `${PUBLIC_URL}/mcp` }))],
  ['aud a suffix of the route URI', async () => bearer(await rs256({ aud: '/mcp/memory' }))],
  ['aud the route name', async () => bearer(await rs256({ aud: 'memory' }))],
  ['aud the route URI extended', async () => bearer(await rs256({ aud: `${uri('memory')}2` }))],
  ['aud with the host in another case', async () => bearer(await rs256({ aud: 'https://GW.TEST/mcp/memory' }))],
  ['aud with the path in another case', async () => bearer(await rs256({ aud: `${PUBLIC_URL}/mcp/Memory` }))],
  ['aud with a trailing slash', async () => bearer(await rs256({ aud: `${uri('memory')}/` }))],
  ['aud over http', async () => bearer(await rs256({ aud: 'http://gw.test/mcp/memory' }))],
  ['aud another route', async () => bearer(await rs256({ aud: uri('notes') }))],
  ['aud a list without an exact element', async () =>
    bearer(await rs256({ aud: [`${uri('memory')}/`, uri('notes'), 'https://gw.test/mcp/MEMORY'] }))],
  ['aud an empty list', async () => bearer(await rs256({ aud: [] }))],

  // Encoding and structure.
  ['signature segment padded with "="', async () => {
    const [h, p, s] = segments(await rs256());
    assert.notEqual(padded(s), s, 'an RS256 signature is 256 bytes: its base64url needs padding');
    return bearer(`${h}.${p}.${padded(s)}`);
  }],
  ['signature in the standard base64 alphabet (+ and /)', async () => {
    const [h, p, s] = segments(await mintUntil(() => rs256(), (t) => /[-_]/.test(segments(t)[2])));
    return bearer(`${h}.${p}.${s.replace(/-/g, '+').replace(/_/g, '/')}`);
  }],
  ['a character outside base64url', async () => {
    const [h, p, s] = segments(await rs256());
    return bearer(`${h}.${p}.${s.slice(0, 10)}*${s.slice(11)}`);
  }],
  ['a fourth segment', async () => bearer(`${await rs256()}.${b64('x')}`)],
  ['five segments (the JWE shape)', async () => {
    const [h, p, s] = segments(await rs256());
    return bearer([h, p, s, s, s].join('.'));
  }],
  ['two segments', async () => bearer(segments(await rs256()).slice(0, 2).join('.'))],
  ['one opaque segment', () => bearer(randomBytes(24).toString('base64url'))],
  ['signature stripped', async () => bearer(`${segments(await rs256()).slice(0, 2).join('.')}.`)],
  ['oversize token, validly signed', async () => {
    const token = await rs256({ pad: 'x'.repeat(6500) });
    assert.ok(token.length > 8192 && token.length < 12000, `${token.length} bytes`);
    return bearer(token);
  }],
  ['valid signature over an altered payload', async () => {
    const [h, p, s] = segments(await rs256({ sub: 'mallory' }));
    const altered = { ...JSON.parse(Buffer.from(p, 'base64url').toString()), sub: 'admin' };
    return bearer(`${h}.${b64(json(altered))}.${s}`);
  }],
  ['valid signature under an altered header', async () => {
    const [, p, s] = segments(await rs256());
    return bearer(`${b64(json({ alg: 'RS256', kid: 'rs256', typ: 'JWT' }))}.${p}.${s}`);
  }],
  ['"alg" twice in the header', () =>
    bearer(handToken('{"alg":"none","alg":"RS256","kid":"rs256"}', json(claims()), rsaHand()))],
  ['"aud" twice in the payload', () =>
    bearer(handToken(json({ alg: 'RS256', kid: 'rs256' }), `{"aud":"${uri('notes')}",${json(claims()).slice(1)}`,
      rsaHand()))],

  // Authorization schemes.
  ['Basic credentials', () => ({ authorization: `Basic ${Buffer.from('mallory:secret-password').toString('base64')}` })],
  ['Bearer without a token', () => ({ authorization: 'Bearer' })],
  ['a valid token under the scheme "Token"', async () => ({ authorization: `Token ${await rs256()}` })],

  // API keys.
  ['API key of another route', () => apiKey(apiKeys.notes)],
  ['API key off by one character', () => apiKey(offByOne(apiKeys.memory))],
  ['API key missing its last character', () => apiKey(apiKeys.memory.slice(0, -1))],
  ['API key with one character more', () => apiKey(`${apiKeys.memory}A`)],
  ['API key in upper case', () => apiKey(apiKeys.memory.toUpperCase())],
  ['API key empty', () => apiKey('')],
  ['the API key\'s SHA-256 instead of the key', () => apiKey(sha256Hex(apiKeys.memory))],
  ['a valid token sent as an API key', async () => apiKey(await rs256())],
  ['a valid API key sent as a bearer token', () => bearer(apiKeys.memory)],
];

// Credentials in the wrong place or more than one: 400, before any check.
const MISPLACED = [
  ['a bearer token and an API key at once', async () => ({ headers: { ...bearer(await rs256()), ...apiKey(apiKeys.memory) } })],
  ['two Authorization headers', async () => ({ headers: { authorization: [`Bearer ${await rs256()}`, `Bearer ${await rs256()}`] } })],
  ['two X-API-Key headers', () => ({ headers: { 'x-api-key': [apiKeys.memory, apiKeys.memory] } })],
  ['a token in the query string', async () => ({ query: `?access_token=${await rs256()}` })],
  ['an API key in the query string', () => ({ query: `?api_key=${apiKeys.memory}` })],
];

test(`${ATTACKS.length} bad credentials: each gets exactly 401 invalid_token and reaches no plugin`, async (t) => {
  assert.ok(ATTACKS.length >= 40);
  assert.equal(new Set(ATTACKS.map(([name]) => name)).size, ATTACKS.length, 'case names are distinct');
  for (const [name, credential] of ATTACKS) {
    await t.test(name, async () => {
      const calls = await pluginToolCalls();
      expectRefused(await createEntities('memory', await credential()), 401, invalidTokenChallenge('memory'));
      assert.equal(await pluginToolCalls(), calls, 'no tool call reached a plugin');
    });
  }
  assert.equal(attacker.requests(), 0, 'the gateway never fetched the attacker\'s keys');
});

test('a request without any credential gets 401 with the challenge but no error', async () => {
  const calls = await pluginToolCalls();
  expectRefused(await createEntities('memory', {}), 401,
    `Bearer resource_metadata="${metadataUrl('memory')}", scope="${SUPPORTED.memory}"`);
  assert.equal(await pluginToolCalls(), calls);
});

test('misplaced or repeated credentials get 400 and reach no plugin', async (t) => {
  for (const [name, make] of MISPLACED) {
    await t.test(name, async () => {
      const { headers = {}, query } = await make();
      if (query) credentials.add(query.split('=')[1]);
      const calls = await pluginToolCalls();
      const r = await createEntities('memory', headers, { query });
      assert.equal(r.status, 400, r.body);
      assert.ok(message(r).error, r.body);
      assert.equal(await pluginToolCalls(), calls);
    });
  }
});

// ------------------------------------------------------------ the good ones

test('valid tokens of every algorithm call read_graph', async (t) => {
  for (const alg of [...ASYMMETRIC_ALGS, 'HS256', ...OCT_ALGS]) {
    await t.test(alg, async () => {
      const r = await readGraph('memory', bearer(await tokenFor(alg, { sub: `reader-${alg}` })));
      assert.equal(r.status, 200, r.body);
      assert.deepEqual(message(r).result.structuredContent, { entities: [], relations: [] });
    });
  }
});

test('the plugin-call count the battery relies on does count a call that gets through', async () => {
  const calls = await pluginToolCalls();
  const r = await createEntities('memory', bearer(await rs256()));
  assert.equal(r.status, 200, r.body);
  assert.equal(await pluginToolCalls(), calls + 1);
});

// ------------------------------------------------------------------ scopes

test('a token without a scope the request needs gets 403 naming every scope it needs', async (t) => {
  const cases = [
    ['create_entities without memory:write', 'mcp:call memory:read', () => createEntities,
      insufficientScopeChallenge('memory', 'mcp:call memory:write')],
    ['read_graph without mcp:call', 'memory:read memory:write', () => (route, c) => readGraph(route, c),
      insufficientScopeChallenge('memory', 'mcp:call memory:read')],
    ['tools/list without mcp:list', 'mcp:call memory:read', () => (route, c) => rpc(route, 'tools/list', {}, c),
      insufficientScopeChallenge('memory', 'mcp:list')],
    ['resources/read without mcp:read', 'mcp:list', () => (route, c) => rpc(route, 'resources/read',
      { uri: 'memory://knowledge-graph' }, c, { name: 'memory://knowledge-graph' }),
    insufficientScopeChallenge('memory', 'mcp:read')],
  ];
  for (const [name, scope, request, challenge] of cases) {
    await t.test(name, async () => {
      const calls = await pluginToolCalls();
      expectRefused(await request()('memory', bearer(await rs256({ scope }))), 403, challenge);
      assert.equal(await pluginToolCalls(), calls);
    });
  }
  await t.test('create_entities with mcp:call and memory:write', async () => {
    const r = await createEntities('memory', bearer(await rs256({ scope: 'mcp:call memory:write' })));
    assert.equal(r.status, 200, r.body);
    assert.notEqual(message(r).result.isError, true, r.body);
  });
  await t.test('an API key is held to its scopes the same way', async () => {
    assert.equal((await readGraph('memory', apiKey(apiKeys.memory))).status, 200);
    expectRefused(await createEntities('memory', apiKey(apiKeys.memory)), 403,
      insufficientScopeChallenge('memory', 'mcp:call memory:write'));
  });
});

test('what a route does not map is denied: a method class, a tool', async (t) => {
  const notesToken = () => rs256({ aud: uri('notes') });
  const unmapped = `Bearer error="insufficient_scope", resource_metadata="${metadataUrl('notes')}"`;
  await t.test('resources/read (no read class)', async () => {
    const r = await rpc('notes', 'resources/read', { uri: 'memory://knowledge-graph' }, bearer(await notesToken()),
      { name: 'memory://knowledge-graph' });
    expectRefused(r, 403, unmapped);
  });
  await t.test('create_entities (no entry, no "*")', async () => {
    const calls = await pluginToolCalls();
    expectRefused(await createEntities('notes', bearer(await notesToken())), 403, unmapped);
    assert.equal(await pluginToolCalls(), calls);
  });
  await t.test('read_graph, which is mapped, still works', async () => {
    assert.equal((await readGraph('notes', bearer(await notesToken()))).status, 200);
  });
});

// ------------------------------------------------ cross-audience isolation

test('a token or an API key for one route is refused by every other route', async (t) => {
  for (const { name: owner } of ROUTES) {
    const token = await rs256({ aud: uri(owner) });
    for (const [kind, credential] of [['token', bearer(token)], ['API key', apiKey(apiKeys[owner])]]) {
      await t.test(`${kind} for ${owner}`, async () => {
        assert.equal((await readGraph(owner, credential)).status, 200, `accepted on ${owner}`);
        for (const { name: other } of ROUTES.filter((r) => r.name !== owner)) {
          const calls = await pluginToolCalls();
          expectRefused(await createEntities(other, credential), 401, invalidTokenChallenge(other));
          assert.equal(await pluginToolCalls(), calls);
        }
      });
    }
  }
});

// --------------------------------------------------- the official SDK client

// The SDK's fetch: gw.test, the configured public name of this gateway, is
// sent to its loopback port; every response is kept for the audit, with its
// body unless it is the open event stream of a GET, and pushed to `seen`.
function sdkFetch(seen = []) {
  const local = `http://127.0.0.1:${gateway.port}`;
  return async (url, init) => {
    const response = await fetch(String(url).replace(PUBLIC_URL, local), init);
    const stream = response.headers.get('content-type')?.startsWith('text/event-stream') && init?.method !== 'POST';
    const body = stream ? '' : await response.clone().text();
    responses.push({ status: response.status, headers: Object.fromEntries(response.headers), body });
    seen.push(response);
    return response;
  };
}

test('the official SDK client calls tools with a bearer token', async () => {
  const token = await rs256({ sub: 'sdk-user' });
  credentials.add(token);
  const client = new Client({ name: 'auth-e2e', version: '1' });
  const transport = new StreamableHTTPClientTransport(gateway.url('memory'),
    { fetch: sdkFetch(), requestInit: { headers: { Authorization: `Bearer ${token}` } } });
  await client.connect(transport);
  assert.ok((await client.listTools()).tools.some((tool) => tool.name === 'create_entities'));
  const created = await client.callTool({ name: 'create_entities',
    arguments: { entities: [{ name: 'Ada', entityType: 'person', observations: [] }] } });
  assert.notEqual(created.isError, true);
  const graph = await client.callTool({ name: 'read_graph', arguments: {} });
  assert.deepEqual(graph.structuredContent.entities.map((e) => e.name), ['Ada']);
  await transport.terminateSession();
  await client.close();
});

test('without a token the SDK client gets 401 and finds the resource metadata from the challenge', async () => {
  const seen = [];
  const client = new Client({ name: 'auth-e2e-anonymous', version: '1' });
  const transport = new StreamableHTTPClientTransport(gateway.url('memory'), { fetch: sdkFetch(seen) });
  await assert.rejects(client.connect(transport), (error) => {
    assert.ok(error instanceof StreamableHTTPError, String(error));
    assert.equal(error.code, 401);
    return true;
  });
  const { resourceMetadataUrl, scope, error } = extractWWWAuthenticateParams(seen.find((r) => r.status === 401));
  assert.equal(resourceMetadataUrl?.href, metadataUrl('memory'));
  assert.equal(scope, SUPPORTED.memory);
  assert.equal(error, undefined);

  const metadata = await discoverOAuthProtectedResourceMetadata(uri('memory'), { resourceMetadataUrl }, sdkFetch());
  assert.equal(metadata.resource, uri('memory'));
  assert.deepEqual(metadata.scopes_supported, SUPPORTED.memory.split(' '));
  assert.deepEqual(metadata.authorization_servers, [IDP]);
  assert.deepEqual(metadata.bearer_methods_supported, ['header']);
});

// -------------------------------------------------------------- the audit

test('no token, key or secret used above appears in the log, the gateway\'s files or any response', async () => {
  const { code } = await gateway.stop({ keep: true });
  assert.equal(code, 0);
  const log = gateway.log();
  const audit = readFileSync(join(gateway.root, AUDIT_FILE), 'utf8');
  assert.match(audit, /"auth_refused"/, 'the audit log records the refusals it is searched for');

  // What the gateway wrote: its log and every file under its directory (the
  // audit log, plugin data, session key) but the configuration we gave it,
  // which holds the API keys' hashes.
  const written = [['stderr', log]];
  for (const entry of readdirSync(gateway.root, { recursive: true, withFileTypes: true })) {
    const path = join(entry.parentPath ?? entry.path, entry.name);
    if (entry.isFile() && path !== gateway.config) written.push([path, readFileSync(path, 'latin1')]);
  }
  for (const r of responses) written.push([`response ${r.status}`, `${json(r.headers)}\n${r.body}`]);

  // Signatures alone count too: a log that kept one would keep a replayable part.
  const needles = new Set([...trust.secrets(), ...Object.values(apiKeys), attacker.pkcs8]);
  for (const c of credentials) {
    needles.add(c);
    const signature = c.split('.')[2];
    if (signature) needles.add(signature);
  }
  const searched = [...needles].filter((n) => n.length >= 16);
  assert.ok(searched.length > ATTACKS.length, `${searched.length} needles`);
  for (const [where, text] of written) {
    for (const needle of searched) {
      assert.ok(!text.includes(needle), `${where} contains a credential or secret (${needle.slice(0, 12)}...)`);
    }
  }
  rmSync(gateway.root, { recursive: true, force: true });
  gateway = undefined;
});
