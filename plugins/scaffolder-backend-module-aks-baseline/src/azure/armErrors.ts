/*
 * What ARM answered, in words a template user can act on: the status, the
 * ARM error code and message, and the role the scaffolder's identity lacks.
 */

import { noIdentity, tokenError } from '../kubernetes/credentials';

/** An ARM call that failed, with its status (0: no answer). */
export class ArmRequestError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly code?: string,
  ) {
    super(message);
    this.name = 'ArmRequestError';
  }
}

/** The HTTP status and ARM error code of an SDK or pipeline failure. */
export function armFailure(error: unknown): {
  status?: number;
  code?: string;
  message: string;
} {
  const e = error as {
    statusCode?: number;
    code?: string;
    message?: string;
    details?: { error?: { code?: string; message?: string } };
  };
  return {
    status: typeof e?.statusCode === 'number' ? e.statusCode : undefined,
    code: e?.details?.error?.code ?? e?.code,
    message: e?.details?.error?.message ?? e?.message ?? String(error),
  };
}

/**
 * The error for a failed `action` (e.g. "create managed namespace x") on
 * cluster `cluster`; `grant` says which Azure role lets the scaffolder do it.
 */
export function armError(
  error: unknown,
  action: string,
  cluster: string,
  grant: string,
): ArmRequestError {
  if (error instanceof ArmRequestError) return error;
  // No identity at all: one line saying what to configure, not the chain's report.
  if (noIdentity(error)) {
    return new ArmRequestError(tokenError(cluster, error).message, 0);
  }
  const { status, code, message } = armFailure(error);
  const what = code ? `${status} ${code}` : `${status}`;
  if (status === 403 || status === 401) {
    return new ArmRequestError(
      `The scaffolder's Azure identity may not ${action} of cluster ${cluster} in Azure Resource Manager (${what}): ${message}. ${grant}`,
      status,
      code,
    );
  }
  if (status === undefined) {
    return new ArmRequestError(
      `Azure Resource Manager did not answer while trying to ${action} of cluster ${cluster}: ${message}`,
      0,
      code,
    );
  }
  return new ArmRequestError(
    `Azure Resource Manager answered ${what} while trying to ${action} of cluster ${cluster}: ${message}`,
    status,
    code,
  );
}
