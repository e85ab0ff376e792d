import { promises as fs } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { readSnapshotDirectory } from './directory';
import { SnapshotReadError } from './errors';

const CLUSTER = path.resolve(
  __dirname,
  '../__fixtures__/azure/aks-show-compliant.json',
);
const DEPLOYMENT = [
  'apiVersion: apps/v1',
  'kind: Deployment',
  'metadata: {name: web, namespace: shop}',
  'spec:',
  '  selector: {matchLabels: {app: web}}',
  '  template:',
  '    metadata: {labels: {app: web}}',
  '    spec:',
  '      hostNetwork: yes',
  '      containers:',
  '      - {name: web, image: acr.io/web:1}',
  '',
].join('\n');

describe('readSnapshotDirectory: file encodings', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'aks-snapshot-bytes-'));
  });
  afterEach(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });
  const utf16le = (s: string) => Buffer.from(`\ufeff${s}`, 'utf16le');

  it('reads files saved as UTF-16 (either byte order) by their byte order mark', async () => {
    await fs.writeFile(
      path.join(dir, 'cluster.json'),
      utf16le(await fs.readFile(CLUSTER, 'utf8')),
    );
    await fs.writeFile(
      path.join(dir, 'web.yaml'),
      utf16le(DEPLOYMENT).swap16(),
    );
    const snapshot = await readSnapshotDirectory(dir);
    expect(snapshot.managedCluster).toBeDefined();
    const web = snapshot.objects.find(o => o.metadata.name === 'web') as any;
    expect(web.spec.template.spec.hostNetwork).toBe(true);
  });

  it('refuses a file it cannot decode, naming it', async () => {
    await fs.writeFile(path.join(dir, 'web.yaml'), Buffer.from([0x61, 0xc3]));
    await expect(readSnapshotDirectory(dir)).rejects.toThrow(SnapshotReadError);
    await expect(readSnapshotDirectory(dir)).rejects.toThrow(
      `${path.join(dir, 'web.yaml')}: not valid UTF-8 text`,
    );
  });
});
