import { entityTarget, EntityTarget } from '../../entities/targets';

/** The scoring target of a catalog Component with these annotations. */
export function componentTarget(
  name: string,
  owner: string,
  annotations: Record<string, string>,
): EntityTarget {
  const target = entityTarget({
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name, annotations },
    spec: { owner },
  });
  if (!target) throw new Error(`${name} is not a scoring target`);
  return target;
}
