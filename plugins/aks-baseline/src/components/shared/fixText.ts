/*
 * A finding's own fix as the text blocks the details show and copy: the
 * YAML to merge or add, the patch as a kubectl command, the az command.
 */
import { FixSuggestion } from '@aks-baseline/plugin-aks-baseline-common';

/** One block of text to show and copy. */
export interface FixBlock {
  /** What the block is, shown above it. */
  title: string;
  text: string;
  /** The copy button's accessible name. */
  copyLabel: string;
  testId: string;
}

/** Text in single quotes for a POSIX shell. */
export function shellQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

/** `kubectl patch deployment checkout-api -n payments --type json -p '[...]'`. */
export function kubectlPatchCommand(
  fix: Extract<FixSuggestion, { kind: 'patch' }>,
): string {
  const { target } = fix;
  const body =
    fix.format === 'json-patch'
      ? { type: 'json', patch: fix.operations }
      : { type: 'strategic', patch: fix.patch };
  return [
    'kubectl patch',
    target.kind.toLowerCase(),
    target.name,
    ...(target.namespace ? ['-n', target.namespace] : []),
    `--type ${body.type}`,
    `-p ${shellQuote(JSON.stringify(body.patch))}`,
  ].join(' ');
}

/** The blocks of a fix, in the order to read them; none for a manual one. */
export function fixBlocks(fix: FixSuggestion): FixBlock[] {
  switch (fix.kind) {
    case 'patch':
      return [
        ...(fix.yaml
          ? [
              {
                title: 'The change, as YAML to merge into the manifest',
                text: fix.yaml,
                copyLabel: 'Copy the YAML change',
                testId: 'aks-baseline-fix-yaml',
              },
            ]
          : []),
        {
          title: 'Or patch the object in the cluster',
          text: kubectlPatchCommand(fix),
          copyLabel: 'Copy the kubectl patch command',
          testId: 'aks-baseline-fix-patch',
        },
      ];
    case 'create':
      return [
        {
          title: fix.besides
            ? `The object to add, next to ${fix.besides.kind} ${fix.besides.name}`
            : 'The object to add',
          text: fix.yaml ?? JSON.stringify(fix.object, null, 2),
          copyLabel: `Copy the ${fix.object.kind} to add`,
          testId: 'aks-baseline-fix-yaml',
        },
      ];
    case 'command':
      return [
        {
          title: 'The command',
          text: fix.command,
          copyLabel: 'Copy the command',
          testId: 'aks-baseline-fix-az',
        },
      ];
    default:
      return [];
  }
}
