/*
 * The part of create and render that is the same: input → validated spec →
 * manifests, YAML, catalog entity and the engine's score.
 */
import { JsonObject } from '@backstage/types';
import type { RuleDefinition } from '@aks-baseline/plugin-aks-baseline-node';
import { ScaffolderSettings } from '../config';
import {
  buildNamespaceEntity,
  buildNamespaceManifests,
  Manifest,
  NAMESPACE_MANIFEST_KINDS,
  NamespaceEntity,
  NamespaceInput,
  NamespaceSpec,
  resolveNamespaceSpec,
  toMultiDocumentYaml,
} from '../manifests';
import { formatProblems, ManifestScore, scoreObjects } from '../score';

export interface PreparedNamespace {
  spec: NamespaceSpec;
  manifests: Manifest[];
  yaml: string;
  entity: NamespaceEntity;
  entityRef: string;
  score: ManifestScore;
}

export function prepareNamespace(
  input: NamespaceInput,
  settings: ScaffolderSettings,
  rules?: readonly RuleDefinition[],
): PreparedNamespace {
  const spec = resolveNamespaceSpec(input, settings.defaults);
  const manifests = buildNamespaceManifests(spec);
  const entity = buildNamespaceEntity(spec);
  const score = scoreObjects(
    [{ file: `${spec.namespace}.yaml`, value: manifests }],
    {
      name: spec.cluster,
      namespace: spec.namespace,
      environment: spec.environment,
      providedKinds: NAMESPACE_MANIFEST_KINDS,
      baseline: settings.baseline,
      rules,
    },
  );
  if (score.failing.length > 0) {
    // The generator and the rules disagree: a bug, or a configuration
    // (rule overrides, parameters) stricter than the generated namespace.
    throw new Error(
      `The generated namespace does not meet the baseline (score ${
        score.score
      }):\n${formatProblems(score.failing)}`,
    );
  }
  return {
    spec,
    manifests,
    yaml: toMultiDocumentYaml(manifests),
    entity,
    entityRef: `resource:default/${entity.metadata.name}`,
    score,
  };
}

/** Outputs both actions give. */
export function commonOutputs(prepared: PreparedNamespace): JsonObject {
  return {
    namespace: prepared.spec.namespace,
    cluster: prepared.spec.cluster,
    manifests: prepared.yaml,
    score: prepared.score.score,
    entity: prepared.entity as unknown as JsonObject,
    entityRef: prepared.entityRef,
  };
}
