/*
 * The team's access to a managed namespace as an Azure role assignment on
 * its scope: the built-in AKS RBAC role that matches the Kubernetes role the
 * template asks for, for the team group's object id. @azure/arm-authorization
 * is not a dependency: the PUT goes through the container service client's
 * pipeline (same token, retries and user agent). The assignment's name is
 * derived from scope, role and group, so a re-run finds the same one.
 */
import { createHash } from 'node:crypto';
import type { ContainerServiceContext } from '@azure/arm-containerservice/api';
import { armError, ArmRequestError } from './armErrors';

export const ROLE_ASSIGNMENTS_API_VERSION = '2022-04-01';

/** Built-in AKS RBAC roles by the ClusterRole a template binds. */
export const AKS_RBAC_ROLES: Record<string, { id: string; name: string }> = {
  view: {
    id: '7f6c6a51-bcf8-42ba-9220-52d62157d7db',
    name: 'Azure Kubernetes Service RBAC Reader',
  },
  edit: {
    id: 'a7ffa36f-339b-4b5c-8bdf-e2c188b2c0eb',
    name: 'Azure Kubernetes Service RBAC Writer',
  },
  admin: {
    id: '3498e952-d568-435e-9b2c-8d77e338d7f7',
    name: 'Azure Kubernetes Service RBAC Admin',
  },
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const GRANT =
  'Grant it Role Based Access Control Administrator (which may be constrained to the AKS RBAC roles) or User Access Administrator on the cluster.';

/**
 * The Azure role for a team binding, or why the team's access stays a
 * Kubernetes RoleBinding (a custom ClusterRole, a group given by name).
 */
export function azureRoleFor(
  role: string,
  group: string,
): { id: string; name: string } | { reason: string } {
  const azureRole = AKS_RBAC_ROLES[role];
  if (!azureRole) {
    return { reason: `the ClusterRole ${role} has no built-in AKS RBAC role` };
  }
  if (!UUID.test(group)) {
    return { reason: `the team group "${group}" is not an object id` };
  }
  return azureRole;
}

/** A stable GUID for (scope, role, principal). */
export function roleAssignmentName(
  scope: string,
  roleId: string,
  principalId: string,
): string {
  const hex = createHash('sha256')
    .update(`${scope.toLowerCase()}|${roleId}|${principalId.toLowerCase()}`)
    .digest('hex');
  // RFC 4122 layout (version 5-like, variant 10xx).
  const variant = ((parseInt(hex[16], 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(
    13,
    16,
  )}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

export interface RoleAssignmentRequest {
  context: ContainerServiceContext;
  subscriptionId: string;
  /** The managed namespace's ARM id. */
  scope: string;
  role: { id: string; name: string };
  principalId: string;
  clusterName: string;
  namespace: string;
  signal?: AbortSignal;
}

export interface RoleAssignmentResult {
  id: string;
  /** False when the same assignment already existed. */
  created: boolean;
}

function failure(
  status: number,
  body: any,
  action: string,
  req: RoleAssignmentRequest,
) {
  return armError(
    {
      statusCode: status,
      code: body?.error?.code,
      message: body?.error?.message ?? `HTTP ${status}`,
    },
    action,
    req.clusterName,
    GRANT,
  );
}

/** Creates the assignment unless it is there already (by name or, 409, by content). */
export async function ensureRoleAssignment(
  req: RoleAssignmentRequest,
): Promise<RoleAssignmentResult> {
  const name = roleAssignmentName(req.scope, req.role.id, req.principalId);
  const id = `${req.scope}/providers/Microsoft.Authorization/roleAssignments/${name}`;
  const roleDefinitionId = `/subscriptions/${req.subscriptionId}/providers/Microsoft.Authorization/roleDefinitions/${req.role.id}`;
  const path = `${id}?api-version=${ROLE_ASSIGNMENTS_API_VERSION}`;
  const action = `assign ${req.role.name} to group ${req.principalId} on managed namespace ${req.namespace}`;
  let response;
  try {
    response = await req.context
      .pathUnchecked(path)
      .get({ abortSignal: req.signal });
  } catch (error) {
    throw armError(error, action, req.clusterName, GRANT);
  }
  const status = Number(response.status);
  const body: any = response.body;
  if (status === 200) {
    const props = body?.properties ?? {};
    if (
      String(props.roleDefinitionId).toLowerCase() ===
        roleDefinitionId.toLowerCase() &&
      String(props.principalId).toLowerCase() === req.principalId.toLowerCase()
    ) {
      return { id, created: false };
    }
    throw new ArmRequestError(
      `Role assignment ${name} on managed namespace ${req.namespace} of cluster ${req.clusterName} exists with another role or principal; it is never overwritten.`,
      409,
    );
  }
  if (status !== 404) throw failure(status, body, action, req);

  let put;
  try {
    put = await req.context.pathUnchecked(path).put({
      abortSignal: req.signal,
      body: {
        properties: {
          roleDefinitionId,
          principalId: req.principalId,
          principalType: 'Group',
          description: `Team access to namespace ${req.namespace}, granted by the AKS baseline scaffolder`,
        },
      },
    });
  } catch (error) {
    throw armError(error, action, req.clusterName, GRANT);
  }
  const putStatus = Number(put.status);
  const putBody: any = put.body;
  if (putStatus === 200 || putStatus === 201) return { id, created: true };
  // The same role for the same group on this scope, under another name.
  if (putStatus === 409 && putBody?.error?.code === 'RoleAssignmentExists') {
    return { id, created: false };
  }
  throw failure(putStatus, putBody, action, req);
}
