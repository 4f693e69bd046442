// An attacker's key pair and self-signed certificate, offered where a
// verifier that honours `jku`, `x5u` or `x5c` would take them: a loopback
// HTTP server serving the JWKS and the certificate, counting every request.
// The gateway must never ask it for anything.
import { execFileSync } from 'node:child_process';
import { createServer } from 'node:http';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { exportJWK, importPKCS8, importX509 } from 'jose';

export const ATTACKER_KID = 'attacker';

export async function startAttackerKeys(dir) {
  // The openssl CLI makes the certificate: neither Node nor jose can.
  const keyFile = join(dir, 'attacker-key.pem');
  const certFile = join(dir, 'attacker-cert.pem');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=attacker',
    '-keyout', keyFile, '-out', certFile], { stdio: 'ignore' });
  const pkcs8 = readFileSync(keyFile, 'utf8');
  const certPem = readFileSync(certFile, 'utf8');
  const publicJwk = { ...(await exportJWK(await importX509(certPem, 'RS256', { extractable: true }))),
    alg: 'RS256', kid: ATTACKER_KID, use: 'sig' };

  let requests = 0;
  const server = createServer((req, res) => {
    requests += 1;
    if (req.url === '/jwks.json') return res.end(JSON.stringify({ keys: [publicJwk] }));
    if (req.url === '/cert.pem') return res.end(certPem);
    res.statusCode = 404;
    res.end();
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${server.address().port}`;
  return {
    privateKey: await importPKCS8(pkcs8, 'RS256'),
    pkcs8,
    publicJwk,
    jwksUrl: `${base}/jwks.json`,
    certUrl: `${base}/cert.pem`,
    x5c: [certPem.replace(/-----(BEGIN|END) CERTIFICATE-----|\s/g, '')],
    requests: () => requests,
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}
