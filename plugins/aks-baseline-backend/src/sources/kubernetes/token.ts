/*
 * Bearer tokens as files and config hold them: `kubectl create token > file`
 * and Backstage's `$file` substitution leave a trailing newline, which Node
 * refuses in a header ("not a legal HTTP header value"). Surrounding
 * whitespace is trimmed; whitespace or control characters inside are a
 * configuration error. No message ever contains the token.
 */
import { promises as fs } from 'fs';
import { ClusterReadError } from '@aks-baseline/plugin-aks-baseline-node';

// Whitespace and C0/C1 controls: none of them may be in a header value.
// eslint-disable-next-line no-control-regex
const ILLEGAL = /[\s\u0000-\u001f\u007f-\u009f]/;

/** The token without surrounding whitespace; throws on an unusable one. */
export function normalizeToken(
  value: string,
  where: string,
  cluster: string,
): string {
  const token = value.trim();
  if (token === '') {
    throw new ClusterReadError(`${where} is empty`, {
      cluster,
      code: 'configuration',
    });
  }
  if (ILLEGAL.test(token)) {
    throw new ClusterReadError(
      `${where} contains whitespace or control characters inside the token (not shown); it must be the token alone`,
      { cluster, code: 'configuration' },
    );
  }
  return token;
}

/** Reads a token file (a projected token rotates: read it at every read). */
export async function readTokenFile(
  path: string,
  cluster: string,
): Promise<string> {
  let content: string;
  try {
    content = await fs.readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException)?.code;
    throw new ClusterReadError(
      `cannot read the token file ${path}${code ? ` (${code})` : ''}`,
      { cluster, code: 'configuration', cause: error },
    );
  }
  return normalizeToken(content, `the token file ${path}`, cluster);
}
