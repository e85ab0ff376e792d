/*
 * Templates that were never rendered: a Helm chart's templates, a scaffolder
 * skeleton (`${{ values.name }}`), or manifests waiting for envsubst
 * (`${IMAGE_TAG}`). Some parse as YAML, and their placeholders would be
 * scored as real values; they are found here instead and refused (skipped
 * when found in a folder). Kubernetes' own `$(VAR)` references, Prometheus
 * and Argo `{{ }}` expressions, and `${VAR}` inside scripts, configuration
 * data and annotations are left alone: they are meant to stay in the object.
 */
import { InputError } from '../errors';

/** A template that was never rendered; `reason` says what was found. */
export class UnrenderedTemplateError extends InputError {
  readonly reason: string;

  constructor(reason: string, file: string, line?: number) {
    super(reason, file, line);
    this.name = 'UnrenderedTemplateError';
    this.reason = reason;
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
  reason: string;
}

function inString(s: string, freeText: boolean): Found | undefined {
  if (s.includes('{{')) {
    const expression = EXPRESSION.exec(s);
    if (expression) {
      return {
        marker: expression[0],
        reason: `a template (unrendered expression ${expression[0]}): render it first`,
      };
    }
    const helm = HELM_ACTION.exec(s);
    if (helm) {
      return {
        marker: helm[0],
        reason: `a template (unrendered Helm action ${helm[0]}): render it first, e.g. helm template ... | aks-baseline scan -`,
      };
    }
  }
  // Scripts and configuration keep their `${...}`: multi-line text, free-text keys.
  if (!freeText && !s.includes('\n') && s.includes('${')) {
    const placeholder = ENVSUBST.exec(s);
    if (placeholder) {
      return {
        marker: placeholder[0],
        reason: `a template (unsubstituted placeholder ${placeholder[0]}): substitute it first, e.g. envsubst < FILE | aks-baseline scan -`,
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

/** 1-based line of the first occurrence of `marker` in `text`. */
function lineOf(text: string, marker: string): number | undefined {
  const at = text.indexOf(marker);
  if (at < 0) return undefined;
  let line = 1;
  for (
    let i = text.indexOf('\n');
    i >= 0 && i < at;
    i = text.indexOf('\n', i + 1)
  ) {
    line++;
  }
  return line;
}

/** Throws UnrenderedTemplateError if a parsed text is an unrendered template. */
export function checkRendered(
  text: string,
  file: string,
  values: readonly unknown[],
): void {
  // Most manifests contain neither: no walk at all.
  if (!text.includes('{{') && !text.includes('${')) return;
  for (const value of values) {
    const found = findInValue(value);
    if (found) {
      throw new UnrenderedTemplateError(
        found.reason,
        file,
        lineOf(text, found.marker),
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
    `a template (contains {{ }}): render it first, e.g. helm template ... | aks-baseline scan - (as it is: ${problem})`,
    file,
  );
}
