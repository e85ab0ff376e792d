#!/usr/bin/env node
/*
 * Writes the adversarial corpus of this folder (see README.md), including
 * the files an editor cannot write by hand (UTF-16, invalid UTF-8, 20,000
 * levels of nesting):
 *
 *   node packages/aks-baseline-cli/src/__fixtures__/adversarial/generate.mjs
 *
 * expected.json says, per file, the exit code of
 * `aks-baseline scan FILE --fail-on critical`, the findings (rule id and
 * status) that must appear, and what standard error must say.
 */
import { readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

/** A Deployment whose pod spec and first container get extra lines. */
function deployment(name, { pod = [], container = [] } = {}) {
  return [
    'apiVersion: apps/v1',
    'kind: Deployment',
    'metadata:',
    `  name: ${name}`,
    '  namespace: shop',
    'spec:',
    '  replicas: 2',
    '  selector:',
    '    matchLabels: {app: web}',
    '  template:',
    '    metadata:',
    '      labels: {app: web}',
    '    spec:',
    ...pod.map(l => `      ${l}`),
    '      containers:',
    '      - name: web',
    '        image: contoso.azurecr.io/web:1.4.2',
    ...container.map(l => `        ${l}`),
    '',
  ].join('\n');
}

const privileged = value =>
  deployment('web', {
    container: ['securityContext:', `  privileged: ${value}`],
  });
const utf16le = s => Buffer.from(`\ufeff${s}`, 'utf16le');

const PRIVILEGED = { ruleId: 'container-not-privileged', status: 'fail' };
const HOST = { ruleId: 'pod-no-host-namespaces-or-paths', status: 'fail' };
const files = {};
function add(name, content, expected) {
  files[name] = { content, expected };
}

// YAML 1.1 as kubectl reads it.
for (const v of ['yes', 'Yes', 'on', 'ON', 'y', 'True']) {
  add(`yaml11-privileged-${v}.yaml`, privileged(v), {
    exit: 1,
    findings: [PRIVILEGED],
  });
}
add(
  'yaml11-hostnetwork-yes.yaml',
  deployment('web', { pod: ['hostNetwork: yes'] }),
  {
    exit: 1,
    findings: [HOST],
  },
);
add(
  'yaml11-merge-key.yaml',
  deployment('web', {
    container: ['securityContext: {<<: {privileged: true}}'],
  }),
  { exit: 1, findings: [PRIVILEGED] },
);
add(
  'yaml11-merge-anchor.yaml',
  deployment('web', {
    pod: [
      'initContainers:',
      '- name: init',
      '  image: contoso.azurecr.io/init:1.0',
      '  securityContext: &hardened',
      '    privileged: on',
      '    runAsNonRoot: true',
    ],
    container: ['securityContext:', '  <<: *hardened', '  runAsUser: 10001'],
  }),
  { exit: 1, findings: [PRIVILEGED] },
);
add(
  'yaml11-anchor-across-documents.yaml',
  `${deployment('base', {
    container: ['securityContext: &hardened {runAsNonRoot: true}'],
  })}---\n${deployment('web', {
    container: ['securityContext: {<<: *hardened, privileged: on}'],
  })}`,
  {
    exit: 2,
    stderr:
      "yaml11-anchor-across-documents.yaml:35: unknown anchor 'hardened' referenced",
  },
);
add(
  'yaml11-merge-list.yaml',
  deployment('web', {
    container: [
      'securityContext:',
      '  <<: [{privileged: Y}, {privileged: false, runAsNonRoot: true}]',
    ],
  }),
  { exit: 1, findings: [PRIVILEGED] },
);
add(
  'yaml11-replicas-inf.yaml',
  deployment('web').replace('replicas: 2', 'replicas: .inf'),
  {
    exit: 2,
    stderr: 'yaml11-replicas-inf.yaml:7: .inf is not a number JSON can hold',
  },
);
add(
  'yaml11-duplicate-key.yaml',
  privileged('false').replace(
    '  privileged: false',
    '  privileged: false\n          privileged: true',
  ),
  {
    exit: 2,
    stderr:
      'yaml11-duplicate-key.yaml:19: duplicate key "privileged" (first at line 18)',
  },
);

// Encodings: the same privileged Deployment saved three more ways, and two undecodable files.
add('utf16le-bom.yaml', utf16le(privileged('true')), {
  exit: 1,
  findings: [PRIVILEGED],
});
add('utf16be-bom.yaml', utf16le(privileged('true')).swap16(), {
  exit: 1,
  findings: [PRIVILEGED],
});
add('utf8-bom.yaml', Buffer.from(`\ufeff${privileged('true')}`), {
  exit: 1,
  findings: [PRIVILEGED],
});
add('utf16le-no-bom.yaml', Buffer.from(privileged('true'), 'utf16le'), {
  exit: 2,
  stderr: 'utf16le-no-bom.yaml:1: contains NUL characters',
});
add(
  'invalid-utf8.yaml',
  Buffer.concat([
    Buffer.from(privileged('true')),
    Buffer.from([0xc3, 0x28, 0x0a]),
  ]),
  {
    exit: 2,
    stderr: 'invalid-utf8.yaml: not valid UTF-8 text',
  },
);
add('utf32le-bom.yaml', Buffer.from([0xff, 0xfe, 0, 0, 0x61, 0, 0, 0]), {
  exit: 2,
  stderr: 'utf32le-bom.yaml: encoded as UTF-32',
});

// Depth: 20,000 levels, refused with the line, no stack trace.
const DEEP = 20000;
add(
  'deep-flow.yaml',
  deployment('web').replace(
    'replicas: 2',
    `replicas: 2\n  x: ${'['.repeat(DEEP)}${']'.repeat(DEEP)}`,
  ),
  {
    exit: 2,
    stderr: 'deep-flow.yaml:8: nested deeper than 256 levels',
  },
);
add(
  'deep-block.yaml',
  deployment('web').replace(
    'replicas: 2',
    `replicas: 2\n  x:\n  ${'- '.repeat(DEEP)}x`,
  ),
  {
    exit: 2,
    stderr: 'deep-block.yaml:9: nested deeper than 256 levels',
  },
);
add(
  'deep-array.json',
  `{"apiVersion": "v1", "kind": "List",\n "items": ${'['.repeat(
    DEEP,
  )}${']'.repeat(DEEP)}}\n`,
  {
    exit: 2,
    stderr: 'deep-array.json:2: nested deeper than 256 levels',
  },
);
add(
  'deep-invalid.json',
  `{"apiVersion": "v1",\n "items": ${'['.repeat(DEEP)}\n`,
  {
    exit: 2,
    stderr: 'deep-invalid.json:3: not valid JSON',
  },
);

// Helm and envsubst leftovers, and their legitimate neighbours.
add(
  'helm-template-parses.yaml',
  deployment('web', {
    container: ['securityContext:', '  privileged: "{{ .Values.privileged }}"'],
  }).replace(
    'name: web\n  namespace',
    'name: "{{ .Release.Name }}"\n  namespace',
  ),
  {
    exit: 2,
    stderr:
      'helm-template-parses.yaml:4: a template (unrendered Helm action {{ .Release.Name }})',
  },
);
add(
  'helm-template-broken.yaml',
  deployment('web').replace(
    '  name: web\n  namespace',
    '  name: {{ .Release.Name }}\n  labels: {{- include "web.labels" . | nindent 4 }}\n  namespace',
  ),
  {
    exit: 2,
    stderr: 'helm-template-broken.yaml: a template (contains {{ }})',
  },
);
add(
  'envsubst-image.yaml',
  deployment('web').replace('web:1.4.2', 'web:${IMAGE_TAG}'),
  {
    exit: 2,
    stderr:
      'envsubst-image.yaml:16: a template (unsubstituted placeholder ${IMAGE_TAG})',
  },
);
add(
  'envsubst-secret.yaml',
  deployment('web', {
    container: ['env:', '- name: DB_PASSWORD', '  value: ${DB_PASSWORD}'],
  }),
  {
    exit: 2,
    stderr:
      'envsubst-secret.yaml:19: a template (unsubstituted placeholder ${DB_PASSWORD})',
  },
);
add(
  'scaffolder-skeleton.yaml',
  deployment('web').replace(
    'name: web\n  namespace: shop',
    'name: ${{ values.name }}\n  namespace: ${{ values.namespace }}',
  ),
  {
    exit: 2,
    stderr:
      'scaffolder-skeleton.yaml:4: a template (unrendered expression ${{ values.name }})',
  },
);
add(
  'kubernetes-vars.yaml',
  deployment('web', {
    container: [
      'command: ["sh", "-c", "exec /app --home=${HOME}"]',
      'args: ["--pod=$(POD_NAME)"]',
      'env:',
      '- name: POD_NAME',
      '  valueFrom: {fieldRef: {fieldPath: metadata.name}}',
      '- name: URL',
      '  value: http://$(POD_NAME):8080',
      'securityContext: {privileged: yes}',
    ],
  }),
  { exit: 1, findings: [PRIVILEGED] },
);

for (const f of readdirSync(here)) {
  if (f in files || /\.(ya?ml|json)$/.test(f)) {
    if (f !== 'expected.json') rmSync(join(here, f));
  }
}
const expected = {};
for (const [name, { content, expected: e }] of Object.entries(files)) {
  writeFileSync(join(here, name), content);
  expected[name] = e;
}
writeFileSync(
  join(here, 'expected.json'),
  `${JSON.stringify(expected, null, 2)}\n`,
);
console.log(`${Object.keys(files).length} files`);
