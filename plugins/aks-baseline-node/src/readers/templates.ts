/*
 * Templates that were never rendered: a Helm chart's templates, a scaffolder
 * skeleton (`${{ values.name }}`), or manifests waiting for envsubst
 * (`${IMAGE_TAG}`). Some parse as YAML, and their placeholders would be
 * scored as real values; the one parser (./source-documents.ts) finds them
 * and refuses the text, so the CLI, the snapshot readers and the
 * scaffolder's gate all refuse the same files. Kubernetes' own `$(VAR)`
 * references, Prometheus and Argo `{{ }}` expressions, and `${VAR}` inside
 * scripts, configuration data and annotations are left alone: they are
 * meant to stay in the object.
 */
import { lineOfOffset, SourceTextError } from './source-errors';

/**
 * What was found: it says which tool renders the text.
 *
 * @public
 */
export type TemplateKind = 'helm' | 'expression' | 'envsubst';

/**
 * A template that was never rendered; `reason` says what was found, `kind`
 * which tool renders it (callers add their own hint, e.g. a command line).
 *
 * @public
 */
export class UnrenderedTemplateError extends SourceTextError {
  readonly kind: TemplateKind;
  /** What was found and what to do, without the parser's problem. */
  readonly summary: string;
  /** Why the parser could not read it, for a template that does not parse. */
  readonly problem?: string;

  constructor(
    summary: string,
    kind: TemplateKind,
    file: string,
    line?: number,
    problem?: string,
  ) {
    super(problem ? `${summary} (as it is: ${problem})` : summary, file, line);
    this.name = 'UnrenderedTemplateError';
    this.kind = kind;
    this.summary = summary;
    this.problem = problem;
  }
}

/** A Go template action of Helm: its built-in objects or Helm's own functions. */
const HELM_ACTION =
  /\{\{-?\s*[^}]*?(?:\$?\.(?:Values|Release|Chart|Capabilities|Files|Template)\b|\b(?:include|tpl|toYaml|required|lookup)\b)[^}]*\}\}/;
/** A scaffolder (Nunjucks) or GitHub Actions expression. */
const EXPRESSION = /\$\{\{[^}]*\}\}/;
/** An envsubst placeholder: `${NAME}`, `${NAME:-default}`. */
const ENVSUBST = /\$\{[A-Za-z_][A-Za-z0-9_]*(?:[:]?[-=?+][^}]*)?\}/;

/** Keys whose values are free text meant to keep `${...}` (scripts, data, notes). */
const FREE_TEXT_KEYS = new Set([
  'command',
  'args',
  'data',
  'stringData',
  'binaryData',
  'annotations',
]);

interface Found {
  marker: string;
  kind: TemplateKind;
  reason: string;
}

function inString(s: string, freeText: boolean): Found | undefined {
  if (s.includes('{{')) {
    const expression = EXPRESSION.exec(s);
    if (expression) {
      return {
        marker: expression[0],
        kind: 'expression',
        reason: `a template (unrendered expression ${expression[0]}): render it first`,
      };
    }
    const helm = HELM_ACTION.exec(s);
    if (helm) {
      return {
        marker: helm[0],
        kind: 'helm',
        reason: `a template (unrendered Helm action ${helm[0]}): render it first`,
      };
    }
  }
  // Scripts and configuration keep their `${...}`: multi-line text, free-text keys.
  if (!freeText && !s.includes('\n') && s.includes('${')) {
    const placeholder = ENVSUBST.exec(s);
    if (placeholder) {
      return {
        marker: placeholder[0],
        kind: 'envsubst',
        reason: `a template (unsubstituted placeholder ${placeholder[0]}): substitute it first`,
      };
    }
  }
  return undefined;
}

/** The first placeholder in a document's keys and values (no recursion). */
function findInValue(root: unknown): Found | undefined {
  const stack: Array<[unknown, boolean]> = [[root, false]];
  while (stack.length > 0) {
    const [value, freeText] = stack.pop()!;
    if (typeof value === 'string') {
      const found = inString(value, freeText);
      if (found) return found;
    } else if (Array.isArray(value)) {
      for (let i = value.length - 1; i >= 0; i--) {
        stack.push([value[i], freeText]);
      }
    } else if (typeof value === 'object' && value !== null) {
      const keys = Object.keys(value);
      for (let i = keys.length - 1; i >= 0; i--) {
        const key = keys[i];
        const found = inString(key, false);
        if (found) return found;
        stack.push([
          (value as Record<string, unknown>)[key],
          freeText || FREE_TEXT_KEYS.has(key),
        ]);
      }
    }
  }
  return undefined;
}

/** Whether a text may hold a template at all (most manifests do not). */
export function mayBeTemplate(text: string): boolean {
  return text.includes('{{') || text.includes('${');
}

/** Throws UnrenderedTemplateError if a parsed text is an unrendered template. */
export function checkRendered(
  text: string,
  file: string,
  values: readonly unknown[],
): void {
  if (!mayBeTemplate(text)) return;
  for (const value of values) {
    const found = findInValue(value);
    if (found) {
      const at = text.indexOf(found.marker);
      throw new UnrenderedTemplateError(
        found.reason,
        found.kind,
        file,
        at < 0 ? undefined : lineOfOffset(text, at),
      );
    }
  }
}

/**
 * The error for a text that cannot be read and contains `{{`: a chart's
 * template, which is not YAML until rendered (`problem`: the parser's).
 * The whole file is the template: no line.
 */
export function templateSyntaxError(
  text: string,
  file: string,
  problem: string,
): UnrenderedTemplateError | undefined {
  if (!text.includes('{{')) return undefined;
  return new UnrenderedTemplateError(
    'a template (contains {{ }}): render it first',
    'helm',
    file,
    undefined,
    problem,
  );
}
