import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Readable } from 'stream';
import { InputError } from '../errors';
import { readInputs, readNamedFile, readStream } from './inputs';

const POD = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aks-baseline-inputs-'));
});
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

function write(rel: string, content: string | Buffer): string {
  const p = path.join(dir, rel);
  fs.mkdirSync(path.dirname(p), { recursive: true });
  fs.writeFileSync(p, content);
  return p;
}

const noStdin = async () => {
  throw new Error('stdin not expected');
};

async function read(inputs: string[]) {
  const result = await readInputs(inputs, dir, noStdin);
  const texts = [...result].map(t => [t.file, t.text, t.walked]);
  return { texts, skipped: result.skipped };
}

async function inputError(run: () => Promise<unknown>): Promise<string> {
  try {
    await run();
  } catch (error) {
    if (error instanceof InputError) return error.message;
    throw error;
  }
  throw new Error('no InputError');
}

const utf16le = (s: string) => Buffer.from(`\ufeff${s}`, 'utf16le');
const utf16be = (s: string) => utf16le(s).swap16();

describe('encodings', () => {
  it('decodes UTF-16 (both byte orders) and UTF-8 with a BOM, in files and folders', async () => {
    write('m/le.yaml', utf16le(POD));
    write('m/be.yaml', utf16be(POD));
    write('m/bom.yaml', Buffer.from(`\ufeff${POD}`));
    write('named.yaml', utf16le(POD));
    expect(await read(['m', 'named.yaml'])).toEqual({
      texts: [
        ['m/be.yaml', POD, true],
        ['m/bom.yaml', POD, true],
        ['m/le.yaml', POD, true],
        ['named.yaml', POD, false],
      ],
      skipped: [],
    });
  });

  it('refuses undecodable files by name (exit code 2)', async () => {
    write('m/ok.yaml', POD);
    write('m/latin1.yaml', Buffer.from('name: caf\xe9\n', 'latin1'));
    expect(await inputError(() => read(['m']))).toMatch(
      /^m\/latin1\.yaml: not valid UTF-8 text/,
    );
    write('utf32.yaml', Buffer.from([0xff, 0xfe, 0, 0, 0x61, 0, 0, 0]));
    expect(await inputError(() => read(['utf32.yaml']))).toMatch(
      /^utf32\.yaml: encoded as UTF-32/,
    );
    write('nobom.yaml', Buffer.from(POD, 'utf16le'));
    expect(await inputError(() => read(['nobom.yaml']))).toMatch(
      /^nobom\.yaml:1: contains NUL characters/,
    );
  });

  it('decodes standard input the same way', async () => {
    const stream = (bytes: Buffer) => Readable.from([bytes]);
    expect(await readStream(stream(utf16be(POD)))).toBe(POD);
    expect(
      await inputError(() => readStream(stream(Buffer.from([0xc3])))),
    ).toMatch(/^<stdin>: not valid UTF-8/);
  });

  it('decodes named files (configuration, context, az output) too', async () => {
    write('config.yaml', utf16le('profile: production\n'));
    expect((await readNamedFile('config.yaml', dir)).text).toBe(
      'profile: production\n',
    );
  });
});

describe('files that are not regular files', () => {
  it('refuses a character device named as input', async () => {
    expect(await inputError(() => read(['/dev/zero']))).toMatch(
      /^\/dev\/zero: a character device, not a file or folder: only regular files are read/,
    );
    expect(await inputError(() => readNamedFile('/dev/zero', dir))).toMatch(
      /^\/dev\/zero: a character device, not a file/,
    );
  });

  it('refuses a FIFO named as input and lists one found in a folder as skipped', async () => {
    fs.mkdirSync(path.join(dir, 'm'));
    execFileSync('mkfifo', [path.join(dir, 'm', 'pipe.yaml')]);
    execFileSync('mkfifo', [path.join(dir, 'm', 'pipe.txt')]);
    write('m/ok.yaml', POD);
    expect(await inputError(() => read(['m/pipe.yaml']))).toMatch(
      /^m\/pipe\.yaml: a FIFO \(named pipe\), not a file or folder/,
    );
    expect(await read(['m'])).toEqual({
      texts: [['m/ok.yaml', POD, true]],
      skipped: [
        {
          file: 'm/pipe.yaml',
          reason: expect.stringMatching(
            /^a FIFO \(named pipe\): only regular files/,
          ),
        },
      ],
    });
  });
});

describe('symbolic links in scanned folders', () => {
  it('follows links to files and folders, each real file once, loops included', async () => {
    write('outside/app.yaml', POD);
    write('outside/sub/db.yaml', POD);
    write('m/own.yaml', POD);
    fs.symlinkSync(
      path.join(dir, 'outside/app.yaml'),
      path.join(dir, 'm/linked.yaml'),
    );
    fs.symlinkSync(path.join(dir, 'outside'), path.join(dir, 'm/dir'));
    fs.symlinkSync(
      path.join(dir, 'outside/app.yaml'),
      path.join(dir, 'm/again.yml'),
    );
    fs.symlinkSync(path.join(dir, 'm'), path.join(dir, 'm/loop'));
    fs.symlinkSync('..', path.join(dir, 'outside/sub/up'));
    expect(await read(['m'])).toEqual({
      texts: [
        ['m/again.yml', POD, true],
        ['m/dir/sub/db.yaml', POD, true],
        ['m/own.yaml', POD, true],
      ],
      skipped: [],
    });
  });

  it('lists broken links as skipped, with the reason', async () => {
    write('m/own.yaml', POD);
    fs.symlinkSync(
      path.join(dir, 'gone.yaml'),
      path.join(dir, 'm/broken.yaml'),
    );
    fs.symlinkSync(path.join(dir, 'gone-dir'), path.join(dir, 'm/manifests'));
    fs.symlinkSync(path.join(dir, 'gone.md'), path.join(dir, 'm/README.md'));
    fs.symlinkSync('self.yaml', path.join(dir, 'm/self.yaml'));
    expect(await read(['m'])).toEqual({
      texts: [['m/own.yaml', POD, true]],
      skipped: [
        {
          file: 'm/broken.yaml',
          reason: `a broken symbolic link (its target ${path.join(
            dir,
            'gone.yaml',
          )} does not exist)`,
        },
        {
          file: 'm/manifests',
          reason: expect.stringMatching(/^a broken symbolic link/),
        },
        {
          file: 'm/self.yaml',
          reason: 'a symbolic link that loops (self.yaml)',
        },
      ],
    });
  });

  it('takes a file named twice (directly and through a link) once', async () => {
    write('a.yaml', POD);
    fs.symlinkSync(path.join(dir, 'a.yaml'), path.join(dir, 'b.yaml'));
    expect((await read(['a.yaml', 'b.yaml', '.'])).texts).toEqual([
      ['a.yaml', POD, false],
    ]);
  });
});

describe('reading', () => {
  it('reads each file when the scan reaches it, not all at once', async () => {
    write('m/a.yaml', POD);
    write('m/b.yaml', POD);
    const inputs = await readInputs(['m'], dir, noStdin);
    write('m/b.yaml', `${POD}# changed\n`);
    const iterator = inputs[Symbol.iterator]();
    expect(iterator.next().value.text).toBe(POD);
    fs.rmSync(path.join(dir, 'm/a.yaml'));
    expect(iterator.next().value.text).toBe(`${POD}# changed\n`);
  });
});
