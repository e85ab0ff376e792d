/*
 * Bytes → text, and the first look at a text. Manifests are UTF-8, with or
 * without a byte order mark; editors on Windows also save UTF-16 with one.
 * Anything else (invalid UTF-8, UTF-32, UTF-16 without a BOM, binary files)
 * is refused by name: a file that was not read must never count as clean.
 */
import { lineOfOffset, SourceTextError } from './source-errors';

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const utf16le = new TextDecoder('utf-16le', { fatal: true, ignoreBOM: true });
const utf16be = new TextDecoder('utf-16be', { fatal: true, ignoreBOM: true });

function startsWith(bytes: Uint8Array, prefix: number[]): boolean {
  return (
    bytes.length >= prefix.length && prefix.every((b, i) => bytes[i] === b)
  );
}

/**
 * Decodes a file's bytes by their byte order mark: UTF-8 (BOM or none),
 * UTF-16 LE or BE (BOM). The BOM is not part of the text. Throws
 * SourceTextError naming the file for anything that is not such text.
 *
 * @public
 */
export function decodeSourceBytes(bytes: Uint8Array, file: string): string {
  if (
    startsWith(bytes, [0xff, 0xfe, 0, 0]) ||
    startsWith(bytes, [0, 0, 0xfe, 0xff])
  ) {
    throw new SourceTextError(
      'encoded as UTF-32, which is not supported: save it as UTF-8',
      file,
    );
  }
  let text: string;
  let encoding = 'UTF-8';
  try {
    if (startsWith(bytes, [0xff, 0xfe])) {
      encoding = 'UTF-16 (little-endian)';
      text = utf16le.decode(bytes.subarray(2));
    } else if (startsWith(bytes, [0xfe, 0xff])) {
      encoding = 'UTF-16 (big-endian)';
      text = utf16be.decode(bytes.subarray(2));
    } else if (startsWith(bytes, [0xef, 0xbb, 0xbf])) {
      text = utf8.decode(bytes.subarray(3));
    } else {
      text = utf8.decode(bytes);
    }
  } catch {
    throw new SourceTextError(
      `not valid ${encoding} text (a binary file, or another encoding): save it as UTF-8`,
      file,
    );
  }
  const nul = text.indexOf('\0');
  if (nul >= 0) {
    throw new SourceTextError(
      'contains NUL characters (a binary file, or UTF-16 without a byte order mark): save it as UTF-8',
      file,
      lineOfOffset(text, nul),
    );
  }
  return text;
}

/**
 * The text without a leading byte order mark.
 *
 * @public
 */
export function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/**
 * Whether text is JSON (first non-blank character `{` or `[`).
 *
 * @public
 */
export function looksLikeJson(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d || c === 0xfeff) {
      continue;
    }
    return c === 0x7b || c === 0x5b;
  }
  return false;
}
