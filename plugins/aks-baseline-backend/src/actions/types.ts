import type { BackstageCredentials } from '@backstage/backend-plugin-api';
import type { CallerAccess } from './access';

/** The caller's access, for an action's credentials. */
export type CallerAccessFactory = (
  credentials: BackstageCredentials,
) => CallerAccess;
