/*
 * IM-03: images come from the organisation's registries
 * (`params.allowedRegistries`, `*.azurecr.io` by default).
 */
import { ContainerCheck, ContainerRule } from '../../engine/rule';
import { subPath } from '../shared/containers';
import { isAllowedImage, registryMatcher, registryOf } from './reference';

const allowedRegistryCheck: ContainerCheck = {
  check(c, ctx) {
    const allowed = ctx.params.allowedRegistries;
    if (isAllowedImage(c.image, registryMatcher(allowed))) return undefined;
    return [
      {
        path: subPath(ctx.path, 'image'),
        value: c.image,
        expected: `an image from ${
          allowed.join(', ') || '(no registry allowed)'
        }`,
      },
    ];
  },
  message(names, evidence, ctx) {
    const parts: string[] = [];
    for (let i = 0; i < names.length; i++) {
      const image = evidence[i]?.value;
      parts.push(
        typeof image === 'string' && image
          ? `${names[i]} (${image} from ${registryOf(image)})`
          : `${names[i]} (no image)`,
      );
    }
    const allowed = ctx.params.allowedRegistries;
    return `Images from registries outside the allowed list (${
      allowed.length ? allowed.join(', ') : 'none configured'
    }): ${parts.join(', ')}.`;
  },
};

export const containerImageAllowedRegistry: ContainerRule = {
  id: 'container-image-allowed-registry',
  baselineRef: 'IM-03',
  category: 'images',
  severity: 'high',
  title: "Images come from the organisation's registries",
  rationale:
    "Images from the organisation's registry (Azure Container Registry by default) are scanned, access-controlled and pulled with the cluster's identity; images straight from Docker Hub or other public registries bypass all of that and are subject to rate limits.",
  remediation: {
    summary:
      'Import or push the image into your Azure Container Registry, attach the registry to the cluster and reference it from there (or add the registry to allowedRegistries).',
    command:
      'az aks update --resource-group $RESOURCE_GROUP --name $CLUSTER --attach-acr myregistry',
    snippet: `containers:
- name: app
  image: myregistry.azurecr.io/myapp:v1.2.3
  imagePullPolicy: IfNotPresent`,
  },
  scope: 'workload',
  source: 'kubernetes',
  fixUnavailable:
    "The image must first be imported into the organisation's registry (az acr import), whose name the rule does not know.",
  container: allowedRegistryCheck,
};
