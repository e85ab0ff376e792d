import { Entity } from '@backstage/catalog-model';
import { useAsyncEntity } from '@backstage/plugin-catalog-react';

/**
 * The entity of the page, or undefined outside an entity page (the hook
 * throws there; its one context read happens either way, so the order of
 * hooks does not change).
 */
export function useOptionalEntity(): Entity | undefined {
  try {
    return useAsyncEntity().entity;
  } catch {
    return undefined;
  }
}
