/*
 * The waiver of exactly one finding, prefilled, in the two places a waiver
 * can be written (docs/waivers.md): the object's annotation and the
 * baseline configuration's `waivers` list. The reason is left for the team
 * to write; the expiry is 90 days out.
 */
import {
  Entity,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { Finding } from '@aks-baseline/plugin-aks-baseline-common';

/** How long a prefilled waiver lasts. */
export const WAIVER_DAYS = 90;

/** What the team must replace. */
export const REASON_PLACEHOLDER =
  '<why this object is an exception, and the ticket to fix it>';
export const OWNER_PLACEHOLDER = '<owner: a group or user entity ref>';

/** Azure findings have no object to annotate: configuration only. */
const ARM_KINDS = new Set(['ManagedCluster', 'AgentPool']);

/** `YYYY-MM-DD`, `days` after `now` (UTC). */
export function expiryDate(now: Date, days = WAIVER_DAYS): string {
  return new Date(now.getTime() + days * 86_400_000).toISOString().slice(0, 10);
}

/** The entity's owner as a full ref (`group:default/team-payments`). */
export function ownerOf(entity: Entity | undefined): string | undefined {
  const owner = entity?.spec?.owner;
  if (typeof owner !== 'string' || owner === '') return undefined;
  try {
    return stringifyEntityRef(
      parseEntityRef(owner, {
        defaultKind: 'group',
        defaultNamespace: entity?.metadata.namespace ?? 'default',
      }),
    );
  } catch {
    return undefined;
  }
}

/** A YAML scalar: plain when it reads back as the same string, else quoted. */
function scalar(text: string): string {
  return /^[A-Za-z0-9][A-Za-z0-9._/:-]*$/.test(text) &&
    !text.endsWith(':') &&
    !/^(true|false|yes|no|on|off|null|~|[-+]?[\d._]+(e[-+]?\d+)?)$/i.test(text)
    ? text
    : JSON.stringify(text);
}

export interface WaiverDraft {
  owner?: string;
  /** `YYYY-MM-DD`. */
  expires: string;
}

/** Whether the finding's object can carry the waiver as an annotation. */
export function canAnnotate(finding: Finding): boolean {
  return !ARM_KINDS.has(finding.resource.kind);
}

/** The annotation to add to the object's own metadata. */
export function waiverAnnotation(finding: Finding, draft: WaiverDraft): string {
  const value = `reason=${REASON_PLACEHOLDER}; expires=${
    draft.expires
  }; owner=${draft.owner ?? OWNER_PLACEHOLDER}`;
  return [
    'metadata:',
    '  annotations:',
    `    aks-baseline.io/waive.${finding.ruleId}: ${JSON.stringify(value)}`,
    '',
  ].join('\n');
}

/** The entry of `aksBaseline.baseline.waivers` in app-config.yaml. */
export function waiverConfigEntry(
  finding: Finding,
  draft: WaiverDraft,
): string {
  const { resource } = finding;
  const scope: Array<[string, string | undefined]> = [
    ['cluster', finding.cluster],
    ['namespace', resource.namespace],
    ['kind', resource.kind],
    ['name', resource.name],
  ];
  return [
    'aksBaseline:',
    '  baseline:',
    '    waivers:',
    `      - ruleId: ${scalar(finding.ruleId)}`,
    `        owner: ${
      draft.owner ? scalar(draft.owner) : JSON.stringify(OWNER_PLACEHOLDER)
    }`,
    `        reason: ${JSON.stringify(REASON_PLACEHOLDER)}`,
    `        expires: ${draft.expires}`,
    '        scope:',
    ...scope
      .filter(([, value]) => value)
      .map(([key, value]) => `          ${key}: ${scalar(value!)}`),
    '',
  ].join('\n');
}
