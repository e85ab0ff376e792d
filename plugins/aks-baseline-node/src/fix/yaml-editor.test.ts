import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { applyJsonPatch } from './json-patch';
import { editManifestText, EditableFix } from './yaml-editor';
import { unifiedDiff } from './unified-diff';

const MANIFEST = `# Shop: namespace and web front end
apiVersion: v1
kind: Namespace
metadata:
  name: shop   # owned by team-shop
  labels:
    team: shop
---
# The storefront
apiVersion: apps/v1
kind: Deployment
metadata:
  name: "web"
  namespace: shop
spec:
  replicas: 3
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      securityContext: {runAsNonRoot: true}
      containers:
      - name: app   # the main process
        image: 'contoso.azurecr.io/web:1.4.2'
        imagePullPolicy: 'Always'
        securityContext:
          capabilities:
            drop: [all]
      - name: sidecar
        image: contoso.azurecr.io/envoy:1.30.1
---
apiVersion: v1
kind: Service
metadata: {name: web, namespace: shop}
spec:
  selector: {app: web}
  ports:
  - port: 80
`;

const web = { kind: 'Deployment', name: 'web', namespace: 'shop' };
const PATCH: EditableFix = {
  kind: 'patch',
  target: web,
  format: 'json-patch',
  summary: 'several fields',
  operations: [
    {
      op: 'add',
      path: '/spec/template/spec/containers/0/securityContext/allowPrivilegeEscalation',
      value: false,
    },
    {
      op: 'add',
      path: '/spec/template/spec/containers/1/securityContext',
      value: {
        allowPrivilegeEscalation: false,
        capabilities: { drop: ['ALL'] },
      },
    },
    {
      op: 'add',
      path: '/spec/template/spec/containers/0/securityContext/capabilities/drop',
      value: ['ALL'],
    },
    {
      op: 'add',
      path: '/spec/template/spec/containers/0/imagePullPolicy',
      value: 'IfNotPresent',
    },
    {
      op: 'add',
      path: '/spec/template/spec/securityContext/seccompProfile',
      value: { type: 'RuntimeDefault' },
    },
    {
      op: 'add',
      path: '/metadata/labels',
      value: { app: 'web' },
    },
  ],
};
const SECOND: EditableFix = {
  kind: 'patch',
  target: web,
  format: 'json-patch',
  summary: 'another fix creating the same securityContext',
  operations: [
    {
      op: 'add',
      path: '/spec/template/spec/containers/1/securityContext',
      value: { runAsUser: 1000 },
    },
  ],
};
const PDB: EditableFix = {
  kind: 'create',
  besides: web,
  summary: 'a PDB',
  object: {
    apiVersion: 'policy/v1',
    kind: 'PodDisruptionBudget',
    metadata: { name: 'web-pdb', namespace: 'shop' },
    spec: { maxUnavailable: 1, selector: { matchLabels: { app: 'web' } } },
  },
};

const objects = (text: string) => parseAllDocuments(text).map(d => d.toJS());

describe('editManifestText', () => {
  const result = editManifestText(MANIFEST, [PATCH, SECOND, PDB]);

  it('applies the fixes, the file reading as the patched objects', () => {
    expect(result.refused).toEqual([]);
    expect(result.applied).toEqual([PATCH, SECOND, PDB]);
    const [ns, deployment, pdb, service] = objects(result.text);
    const [ns0, deployment0, service0] = objects(MANIFEST);
    expect(ns).toEqual(ns0);
    expect(service).toEqual(service0);
    const expected = applyJsonPatch(deployment0, PATCH.operations);
    expected.spec.template.spec.containers[1].securityContext.runAsUser = 1000;
    expect(deployment).toEqual(expected);
    expect(pdb).toEqual(PDB.kind === 'create' && PDB.object);
  });

  it('changes only the lines the fixes write: comments, quoting, flow maps and list style stay', () => {
    expect(unifiedDiff(MANIFEST, result.text, 'shop.yaml')).toBe(
      `--- a/shop.yaml
+++ b/shop.yaml
@@ -12,6 +12,8 @@
 metadata:
   name: "web"
   namespace: shop
+  labels:
+    app: web
 spec:
   replicas: 3
   selector:
@@ -20,16 +22,34 @@
     metadata:
       labels: {app: web}
     spec:
-      securityContext: {runAsNonRoot: true}
+      securityContext: {runAsNonRoot: true, seccompProfile: {type: RuntimeDefault}}
       containers:
       - name: app   # the main process
         image: 'contoso.azurecr.io/web:1.4.2'
-        imagePullPolicy: 'Always'
+        imagePullPolicy: 'IfNotPresent'
         securityContext:
           capabilities:
-            drop: [all]
+            drop: [ALL]
+          allowPrivilegeEscalation: false
       - name: sidecar
         image: contoso.azurecr.io/envoy:1.30.1
+        securityContext:
+          allowPrivilegeEscalation: false
+          capabilities:
+            drop:
+            - ALL
+          runAsUser: 1000
+---
+apiVersion: policy/v1
+kind: PodDisruptionBudget
+metadata:
+  name: web-pdb
+  namespace: shop
+spec:
+  maxUnavailable: 1
+  selector:
+    matchLabels:
+      app: web
 ---
 apiVersion: v1
 kind: Service
`,
    );
  });

  it('is idempotent: the same fixes again change nothing', () => {
    const again = editManifestText(result.text, [PATCH, SECOND]);
    expect(again.text).toBe(result.text);
    const created = editManifestText(result.text, [PDB]);
    expect(created.text).toBe(result.text);
    expect(created.refused[0].reason).toMatch(/already in this file/);
  });

  it('writes a value shared by two places twice, never as a YAML anchor and alias', () => {
    const selector = { matchLabels: { app: 'web' } };
    const out = editManifestText(MANIFEST, [
      {
        ...PATCH,
        operations: [
          {
            op: 'add',
            path: '/spec/template/spec/topologySpreadConstraints',
            value: [
              { topologyKey: 'a', labelSelector: selector },
              { topologyKey: 'b', labelSelector: selector },
            ],
          },
        ],
      },
    ]);
    expect(out.refused).toEqual([]);
    expect(out.text).not.toMatch(/[&*]a\d/);
    expect(out.text.match(/app: web$/gm)).toHaveLength(2);
  });

  it('refuses what it cannot write in place, and objects not once in the file', () => {
    const out = editManifestText(MANIFEST, [
      {
        ...PATCH,
        operations: [
          {
            op: 'add',
            path: '/spec/template/spec/containers/0',
            value: { name: 'x' },
          },
        ],
      },
      { ...PATCH, target: { ...web, name: 'nope' } },
    ]);
    expect(out.text).toBe(MANIFEST);
    expect(out.refused.map(r => r.reason)).toEqual([
      'cannot edit it in place: an item inserted inside a list',
      'Deployment nope is not in this file',
    ]);
  });

  const hasKubectl =
    spawnSync('kubectl', ['version', '--client'], { encoding: 'utf8' })
      .status === 0;
  (hasKubectl ? describe : describe.skip)('with kubectl', () => {
    it('decodes the edited file as the patched objects', () => {
      const dir = mkdtempSync(join(tmpdir(), 'aks-fix-'));
      const file = join(dir, 'shop.yaml');
      writeFileSync(file, result.text);
      const run = spawnSync(
        'kubectl',
        ['label', '--local', '-f', file, 'checked=yes', '-o', 'json'],
        { encoding: 'utf8' },
      );
      expect(run.stderr).toBe('');
      // One JSON object per document, one after the other.
      const stream = `[${run.stdout.replace(/^}\n{/gm, '},\n{')}]`;
      const decoded = JSON.parse(stream).map((o: any) => {
        delete o.metadata.labels.checked;
        if (Object.keys(o.metadata.labels).length === 0)
          delete o.metadata.labels;
        return o;
      });
      expect(decoded).toEqual(objects(result.text));
    });
  });
});
