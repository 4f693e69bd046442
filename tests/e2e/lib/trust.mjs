// Trust material for the authentication tests: the keys of two issuers that
// a gateway config points at, and the means to mint tokens with them, with
// npm jose (an independent JOSE library) and by hand for what jose refuses
// to produce (alg "none", repeated member names, HMAC over a PEM).
//
//   https://idp.test  a local JWKS: one key per asymmetric algorithm, each
//                     with its own kid and pinned `alg`, and two oct keys
//   urn:hs            an HS256 secret file, no kid
import { createHmac, createPrivateKey, randomBytes, sign as nodeSign } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SignJWT, base64url, exportJWK, exportPKCS8, exportSPKI, generateKeyPair } from 'jose';

export const IDP = 'https://idp.test';
export const HS_ISSUER = 'urn:hs';
export const ASYMMETRIC_ALGS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'EdDSA'];
export const OCT_ALGS = ['HS384', 'HS512'];

export const kidOf = (alg) => alg.toLowerCase();
export const now = () => Math.floor(Date.now() / 1000);
export const b64 = (text) => base64url.encode(text);

// A compact JWS from exact header and payload texts, signed by `sign`
// (bytes of the signing input -> signature bytes, or null for none).
export function handToken(headerText, payloadText, sign) {
  const input = `${b64(headerText)}.${b64(payloadText)}`;
  return `${input}.${sign ? base64url.encode(sign(Buffer.from(input))) : ''}`;
}

export const hmacSigner = (secret, hash = 'sha256') => (input) => createHmac(hash, secret).update(input).digest();
export const rsaSigner = (pkcs8Pem) => (input) => nodeSign('sha256', input, createPrivateKey(pkcs8Pem));

// Signs `claims` with jose. `crit` lists extensions jose must let through.
export function joseToken({ alg, key, kid, header = {}, claims, crit }) {
  return new SignJWT(claims)
    .setProtectedHeader({ alg, ...(kid === undefined ? {} : { kid }), ...header })
    .sign(key, crit ? { crit: Object.fromEntries(crit.map((c) => [c, true])) } : undefined);
}

async function keyPair(alg) {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  return {
    alg,
    privateKey,
    publicJwk: await exportJWK(publicKey),
    privateJwk: await exportJWK(privateKey),
    pkcs8: await exportPKCS8(privateKey),
    spki: await exportSPKI(publicKey),
  };
}

// A key pair nobody trusts, for "wrong key" cases.
export const untrustedKey = keyPair;

// Creates the issuers' keys and files in `dir`. `issuers` is the value of
// auth.issuers for the config.
export async function createTrust(dir) {
  const keys = {};
  for (const alg of ASYMMETRIC_ALGS) keys[alg] = await keyPair(alg);
  for (const alg of OCT_ALGS) keys[alg] = { alg, secret: randomBytes(64) };
  const hsSecret = randomBytes(32).toString('hex');  // the file's exact bytes are the key

  const jwksFile = join(dir, 'idp-jwks.json');
  const jwks = {
    keys: [
      ...ASYMMETRIC_ALGS.map((alg) => ({ ...keys[alg].publicJwk, alg, kid: kidOf(alg), use: 'sig' })),
      ...OCT_ALGS.map((alg) => ({ kty: 'oct', k: base64url.encode(keys[alg].secret), alg, kid: kidOf(alg) })),
    ],
  };
  writeFileSync(jwksFile, JSON.stringify(jwks));
  const secretFile = join(dir, 'hs-secret');
  writeFileSync(secretFile, hsSecret, { mode: 0o600 });

  return {
    jwksFile,
    hsSecret,
    keys,
    issuers: [
      { issuer: IDP, jwks_file: jwksFile },
      { issuer: HS_ISSUER, secret_file: secretFile, algorithm: 'HS256' },
    ],
    // The signing key jose needs for `alg` (from the idp, or urn:hs for HS256).
    signingKey: (alg) => (alg === 'HS256' ? Buffer.from(hsSecret) : keys[alg].privateKey ?? keys[alg].secret),
    // Everything that must never be seen outside this process.
    secrets: () => [
      hsSecret,
      ...OCT_ALGS.flatMap((alg) => [keys[alg].secret.toString('hex'), base64url.encode(keys[alg].secret)]),
      ...ASYMMETRIC_ALGS.flatMap((alg) => [keys[alg].privateJwk.d, keys[alg].pkcs8]),
    ],
  };
}
