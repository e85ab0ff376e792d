import { Z } from './schemas';

/** Outputs of the create and render actions. */
export const namespaceOutputFields = {
  namespace: (z: Z) => z.string().describe('The namespace name'),
  cluster: (z: Z) => z.string().describe('The cluster name'),
  manifests: (z: Z) =>
    z.string().describe('The objects as multi-document YAML, in apply order'),
  score: (z: Z) =>
    z
      .number()
      .nullable()
      .describe('The AKS baseline score (0-100) of the generated objects'),
  entity: (z: Z) =>
    z
      .record(z.any())
      .describe(
        'Catalog Resource (type kubernetes-namespace) describing the namespace, for catalog:write',
      ),
  entityRef: (z: Z) => z.string().describe('The catalog Resource entity ref'),
};
