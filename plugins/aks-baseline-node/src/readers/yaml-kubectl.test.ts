/*
 * Every YAML path against kubectl on the YAML 1.1 corpus
 * (__fixtures__/yaml-1.1, written by its generate.mjs): the fast path, the
 * `yaml`-based path, and the whole parser (as the CLI and the snapshot
 * readers call it) must give kubectl's values, or refuse where kubectl
 * refuses. Where kubectl reads something this code refuses on purpose, the
 * case is listed below with the reason. With kubectl on PATH the corpus is
 * decoded again live and compared with the committed decoding.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { isDeepStrictEqual } from 'util';
import { parseDocuments } from './parse';
import { SourceTextError } from './source-errors';
import { checkYamlCharacters, parseSourceDocuments } from './source-documents';
import { parseYamlFast } from './yaml-fast';
import { parseYamlWithLibrary } from './yaml-library';

const CORPUS = path.resolve(__dirname, '__fixtures__/yaml-1.1');
const expected: {
  kubectl: string;
  files: Record<
    string,
    { value?: unknown; values?: unknown[]; error?: string }
  >;
} = JSON.parse(fs.readFileSync(path.join(CORPUS, 'expected.json'), 'utf8'));
const files = Object.keys(expected.files).sort();

/** Cases kubectl reads and this code refuses on purpose, by their body. */
const REFUSED_ON_PURPOSE: Array<[RegExp, RegExp]> = [
  [/^ {2}a: !custom x$/, /YAML tag !custom is not supported/],
  [/^ {2}a: !!binary /, /YAML tag tag:yaml.org,2002:binary is not supported/],
  [/^ {2}a: !!timestamp /, /tag:yaml.org,2002:timestamp is not supported/],
  [/^ {2}a: ! 12$/, /YAML tag ! is not supported/],
  // Duplicates: kubectl keeps the last (or, across types, one at random).
  [/^ {2}a: 1\n {2}a: 2$/, /duplicate key "a"/],
  [/^ {2}yes: 1\n {2}true: 2$/, /duplicate key "true"/],
  [/^ {2}1: a\n {2}"1": b$/, /duplicate key "1"/],
  [/^ {2}1: a\n {2}0x1: b$/, /duplicate key "1"/],
  [/^ {2}1\.0: a\n {2}1: b$/, /duplicate key "1"/],
  // `\'` is no YAML escape; libyaml takes it, the `yaml` package does not.
  [/^ {2}a: "\\'"$/, /not valid YAML/],
];

/** The lines under `spec:` of a corpus file. */
function bodyOf(text: string): string {
  return text.slice(text.indexOf('spec:\n') + 6).replace(/\n$/, '');
}

/** Values as JSON carries them (-0 is 0, key order aside). */
function asJson(value: unknown): unknown {
  return value === undefined ? undefined : JSON.parse(JSON.stringify(value));
}

type Outcome = { value: unknown } | { error: string; line?: number };

function outcome(read: () => unknown): Outcome {
  try {
    return { value: asJson(read()) };
  } catch (error) {
    if (error instanceof SourceTextError) {
      return { error: error.reason, line: error.line };
    }
    throw error;
  }
}

/** Each path's reading of one file (the fast path only where it answers). */
function readings(text: string): Record<string, Outcome> {
  const out: Record<string, Outcome> = {
    parser: outcome(() => {
      const docs = parseSourceDocuments(text, 'corpus.yaml');
      if (docs.length !== 1) throw new Error(`${docs.length} documents`);
      return docs[0].value;
    }),
    // Both paths behind the parser's character check, as the parser runs them.
    library: outcome(() => {
      checkYamlCharacters(text, 'corpus.yaml');
      return parseYamlWithLibrary(text, 'corpus.yaml')[0].value;
    }),
  };
  const fast = outcome(() => {
    checkYamlCharacters(text, 'corpus.yaml');
    return parseYamlFast(text.replace(/\r\n/g, '\n'))?.[0].value;
  });
  if (!('value' in fast) || fast.value !== undefined) out.fast = fast;
  try {
    out.readers = { value: asJson(parseDocuments(text, 'corpus.yaml')[0]) };
  } catch (error) {
    out.readers = { error: (error as Error).message };
  }
  return out;
}

describe('YAML read as kubectl reads it (YAML 1.1 corpus)', () => {
  it('has a corpus of every scalar form', () => {
    expect(files.length).toBeGreaterThan(50);
    const groups = files.filter(f => f.startsWith('group-'));
    const cases = groups
      .map(f => bodyOf(fs.readFileSync(path.join(CORPUS, f), 'utf8')))
      .join('\n')
      .split('\n').length;
    expect(cases).toBeGreaterThan(1500);
  });

  for (const file of files) {
    const want = expected.files[file];
    const text = fs.readFileSync(path.join(CORPUS, file), 'utf8');
    const purpose = REFUSED_ON_PURPOSE.find(([body]) =>
      body.test(bodyOf(text)),
    );
    let title = "kubectl's values";
    if (want.error) title = 'refused, as kubectl refuses it';
    else if (purpose) title = 'refused on purpose (kubectl reads it)';
    it(`${file}: ${title}`, () => {
      const got = readings(text);
      // What each path gives, next to what it must give.
      const results = Object.entries(got).map(([name, result]) => {
        if (!want.error && !purpose) return [name, result];
        // Refused, for the reason listed where the refusal is on purpose.
        const reason = 'error' in result ? result.error : undefined;
        const why =
          purpose && name !== 'readers' ? purpose[1].test(reason ?? '') : true;
        return [name, { refused: reason !== undefined, why }];
      });
      const wanted = Object.keys(got).map(name =>
        want.error || purpose
          ? [name, { refused: true, why: true }]
          : [name, { value: want.value }],
      );
      expect(results).toEqual(wanted);
      // The fast path answers on the plain groups it was written for.
      expect(/^group-(block|flow|quoted)/.test(file) && !got.fast).toBe(false);
    });
  }

  it('refuses with the line of the offending node', () => {
    const text = fs.readFileSync(
      path.join(CORPUS, files.find(f => f.endsWith('not-json.yaml'))!),
      'utf8',
    );
    expect(() => parseSourceDocuments(text, 'x.yaml')).toThrow(
      /^x\.yaml:6: .*not a number JSON can hold/,
    );
  });
});

const kubectl = spawnSync('kubectl', ['version', '--client'], {
  encoding: 'utf8',
});
const hasKubectl = !kubectl.error && kubectl.status === 0;

/** What kubectl makes of each corpus file now, against the committed decoding. */
function liveDifferences(): string[] {
  const differences: string[] = [];
  for (const file of files) {
    const r = spawnSync(
      'kubectl',
      ['label', '--local', '-f', path.join(CORPUS, file), 'x=y', '-o', 'json'],
      { encoding: 'utf8' },
    );
    const want = expected.files[file];
    if (r.status !== 0) {
      if (!want.error) differences.push(`${file}: kubectl refused it now`);
      continue;
    }
    const value = JSON.parse(r.stdout);
    delete value.metadata.labels.x;
    if (Object.keys(value.metadata.labels).length === 0) {
      delete value.metadata.labels;
    }
    const allowed = want.values ?? [want.value];
    if (!allowed.some(v => isDeepStrictEqual(value, v))) {
      differences.push(`${file}: kubectl reads it differently now`);
    }
  }
  return differences;
}

describe('live kubectl', () => {
  if (hasKubectl) {
    it('decodes the corpus as the committed expected.json says', () => {
      expect(liveDifferences()).toEqual([]);
    }, 120_000);
  } else {
    it.skip('SKIPPED: kubectl is not on PATH; the corpus was checked against the committed expected.json only', () => {});
  }
});
