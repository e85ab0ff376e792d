/*
 * IM-01 (pinned images) and IM-02 (pull policy in production).
 */
import { Evidence } from '@aks-baseline/plugin-aks-baseline-common';
import { ContainerCheck, ContainerRule } from '../../engine/rule';
import { containersDo, subPath } from '../shared/containers';
import { fillIn, workloadEvidencePatch } from '../shared/fixes';
import { isPinned, unpinnedReason } from './reference';

/** The image by digest, the digest left to fill in. */
function imageByDigest(image: unknown): string {
  const text = typeof image === 'string' ? image : '';
  const withoutDigest = text.split('@')[0];
  const slash = withoutDigest.lastIndexOf('/');
  const colon = withoutDigest.lastIndexOf(':');
  const repository =
    colon > slash ? withoutDigest.slice(0, colon) : withoutDigest;
  return `${repository || fillIn('registry/repository')}@${fillIn(
    'sha256:digest of the version to run',
  )}`;
}

const DIGEST_TO_FILL =
  'Fill in the digest (or an immutable version tag) of the image to run, e.g. from az acr repository show-manifests or crane digest';

/** `app (nginx:latest)`, one per offending container, from evidence on `.image`. */
function namesWithImages(
  names: readonly string[],
  evidence: readonly Evidence[],
): string {
  const parts: string[] = [];
  let e = 0;
  for (let i = 0; i < names.length; i++) {
    while (e < evidence.length && !evidence[e].path.endsWith('.image')) e++;
    const image = e < evidence.length ? evidence[e++].value : undefined;
    parts.push(
      `${names[i]} (${
        typeof image === 'string' && image ? image : 'no image'
      }: ${unpinnedReason(image)})`,
    );
  }
  return parts.join(', ');
}

const pinnedCheck: ContainerCheck = {
  check: (c, ctx) =>
    isPinned(c.image)
      ? undefined
      : [
          {
            path: subPath(ctx.path, 'image'),
            value: c.image,
            expected:
              'a specific tag (e.g. :v1.2.3) or a digest (@sha256:...), not latest',
          },
        ],
  message: (names, evidence) =>
    `Images not pinned to a version: ${namesWithImages(names, evidence)}.`,
};

export const containerImagePinned: ContainerRule = {
  id: 'container-image-pinned',
  baselineRef: 'IM-01',
  category: 'images',
  severity: 'high',
  title: 'Container images are pinned to a specific tag or digest',
  rationale:
    'An untagged or `latest` image changes under the workload: nodes run whichever version they pulled last, rollbacks are impossible and a scanned image is not the one running.',
  remediation: {
    summary:
      'Reference images by an immutable version tag or a digest, never latest or no tag.',
    snippet: `containers:
- name: app
  image: myregistry.azurecr.io/myapp:v1.2.3
  imagePullPolicy: IfNotPresent # 프로덕션: 특정 태그 사용`,
  },
  scope: 'workload',
  source: 'kubernetes',
  container: pinnedCheck,
  fix: (w, evidence) =>
    workloadEvidencePatch(
      w,
      evidence,
      e => imageByDigest(e.value),
      'Pin each offending image by digest',
      DIGEST_TO_FILL,
    ),
};

/**
 * The pull policy Kubernetes applies when none is set: Always for `latest`
 * or untagged images, IfNotPresent otherwise.
 */
function effectivePullPolicy(c: Record<string, any>): unknown {
  const policy = c.imagePullPolicy;
  if (policy !== undefined && policy !== null && policy !== '') return policy;
  return isPinned(c.image) ? 'IfNotPresent' : 'Always';
}

const pullPolicyCheck: ContainerCheck = {
  check(c, ctx) {
    let problems: Evidence[] | undefined;
    if (effectivePullPolicy(c) !== 'IfNotPresent') {
      (problems ??= []).push({
        path: subPath(ctx.path, 'imagePullPolicy'),
        value: c.imagePullPolicy,
        expected: 'IfNotPresent',
      });
    }
    if (!isPinned(c.image)) {
      (problems ??= []).push({
        path: subPath(ctx.path, 'image'),
        value: c.image,
        expected:
          'a pinned tag or digest (IfNotPresent on latest keeps stale images)',
      });
    }
    return problems;
  },
  message: names =>
    `${containersDo(
      names,
      'does not use',
      'do not use',
    )} imagePullPolicy: IfNotPresent with a pinned image tag (production).`,
};

export const containerImagePullPolicy: ContainerRule = {
  id: 'container-image-pull-policy-if-not-present',
  baselineRef: 'IM-02',
  category: 'images',
  severity: 'low',
  title:
    'Production containers use imagePullPolicy IfNotPresent with pinned tags',
  rationale:
    'With a pinned tag the image never changes, so IfNotPresent avoids a registry round-trip on every pod start and keeps pods starting during a registry outage; IfNotPresent on a moving tag (latest) leaves nodes running different versions.',
  remediation: {
    summary:
      'Set imagePullPolicy: IfNotPresent and reference a pinned version tag.',
    snippet: `containers:
- name: app
  image: myregistry.azurecr.io/myapp:v1.2.3
  imagePullPolicy: IfNotPresent # 프로덕션: 특정 태그 사용`,
  },
  scope: 'workload',
  source: 'kubernetes',
  appliesTo: { profiles: ['production'] },
  container: pullPolicyCheck,
  // The pull policy alone is safe; an unpinned image needs its digest.
  fix: (w, evidence) => {
    const unpinned = evidence.some(e => e.path.endsWith('.image'));
    return workloadEvidencePatch(
      w,
      evidence,
      e =>
        e.path.endsWith('.image') ? imageByDigest(e.value) : 'IfNotPresent',
      unpinned
        ? 'Set imagePullPolicy: IfNotPresent and pin each offending image by digest'
        : 'Set imagePullPolicy: IfNotPresent on each offending container',
      unpinned ? DIGEST_TO_FILL : undefined,
    );
  },
};
