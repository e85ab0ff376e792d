import { createRouteRef } from '@backstage/core-plugin-api';

/** The platform overview page. */
export const rootRouteRef = createRouteRef({ id: 'aks-baseline' });
