/*
 * Credentials out of every text made from an upstream error (stored with a
 * run, shown by the API, logged): the known secret values and any piece of
 * them, and whatever has the shape of a credential — bearer and basic
 * credentials, Authorization headers, JWTs (even cut short), URL user info,
 * private keys, and the values of parameters and fields that carry secrets
 * (SAS signatures, tokens, codes, client secrets, passwords, keys) in query
 * strings, form and JSON bodies and kubeconfig-like YAML.
 */
import type { LoggerService } from '@backstage/backend-plugin-api';
import type { JsonObject } from '@backstage/types';

export const REDACTED = '[redacted]';

/** Known secrets shorter than this are only removed whole. */
const FRAGMENT = 8;

/** Names of fields and parameters whose value is a credential. */
const FIELD_NAMES = [
  'sig',
  'signature',
  'token',
  'sas[_-]?token',
  'access[_-]?token',
  'refresh[_-]?token',
  'id[_-]?token',
  'client[_-]?secret',
  'client[_-]?assertion',
  'assertion',
  'password',
  'passwd',
  'pwd',
  'secret',
  'api[_-]?key',
  'account[_-]?key',
  'shared[_-]?access[_-]?key',
  'shared[_-]?access[_-]?signature',
  'client[_-]?key[_-]?data',
  'service[_-]?account[_-]?token',
  'credential',
].join('|');
/** In query strings and forms also an OAuth `code` and a `key`. */
const PARAMETER_NAMES = `${FIELD_NAMES}|code|key`;

const PATTERNS: Array<[RegExp, string]> = [
  // PEM private keys, also cut short.
  [
    /-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?(?:-----END [A-Z ]*PRIVATE KEY-----|$)/g,
    REDACTED,
  ],
  // Authorization-like headers, as `Name: value`, JSON or in an object dump.
  [
    /((?:proxy-)?authorization|x-api-key|api-key|ocp-apim-subscription-key|x-ms-[\w-]*key|cookie|set-cookie)(["']?\s*[:=]\s*["']?)[^"'\r\n,}]+/gi,
    `$1$2${REDACTED}`,
  ],
  // `Bearer <token>`; `Basic <base64>` (not the word in a sentence: base64
  // has digits, +/= or a capital after a small letter).
  [/\b(bearer)(\s+)[\w.~+/=-]{8,}/gi, `$1$2${REDACTED}`],
  [
    /\b([Bb][Aa][Ss][Ii][Cc])(\s+)(?=[A-Za-z0-9+/]*(?:[0-9+/=]|[a-z][A-Z]))[A-Za-z0-9+/]{8,}={0,2}/g,
    `$1$2${REDACTED}`,
  ],
  // JWTs and their pieces (a JSON header or payload starts `eyJ`).
  [/eyJ[\w-]{4,}(?:\.[\w-]*){0,2}/g, REDACTED],
  // `https://user:password@host`.
  [/(\b[a-z][\w+.-]*:\/\/)[^\s/@:]+:[^\s/@]*@/gi, `$1${REDACTED}@`],
  // `name=value` in query strings, form bodies and connection strings.
  [
    new RegExp(
      `(^|[?&;,\\s"'(])((?:${PARAMETER_NAMES})=)[^&;,\\s"'#)]+`,
      'gim',
    ),
    `$1$2${REDACTED}`,
  ],
  // `"name": "value"` (JSON) and `name: value` (YAML, kubeconfig).
  [
    new RegExp(
      `((?:^|[\\s{,"'])(?:${FIELD_NAMES})["']?\\s*:\\s*)(?:"[^"]*"|'[^']*'|[^\\s,}]+)`,
      'gim',
    ),
    `$1"${REDACTED}"`,
  ],
];

/** Where `text` holds pieces of `secret` at least FRAGMENT long: [start, end) ranges. */
function fragmentsOf(text: string, secret: string): Array<[number, number]> {
  const pieces = new Set<string>();
  for (let i = 0; i + FRAGMENT <= secret.length; i++) {
    pieces.add(secret.slice(i, i + FRAGMENT));
  }
  const ranges: Array<[number, number]> = [];
  for (let i = 0; i + FRAGMENT <= text.length; i++) {
    if (!pieces.has(text.slice(i, i + FRAGMENT))) continue;
    const last = ranges[ranges.length - 1];
    if (last && i <= last[1]) last[1] = i + FRAGMENT;
    else ranges.push([i, i + FRAGMENT]);
  }
  return ranges;
}

function removeSecret(text: string, secret: string): string {
  if (secret.length < FRAGMENT) return text.split(secret).join(REDACTED);
  const ranges = fragmentsOf(text, secret);
  if (ranges.length === 0) return text;
  let out = '';
  let at = 0;
  for (const [start, end] of ranges) {
    out += `${text.slice(at, start)}${REDACTED}`;
    at = end;
  }
  return out + text.slice(at);
}

/** The forms a secret takes in URLs and form bodies, besides itself. */
function encodings(secret: string): string[] {
  const forms = new Set([secret]);
  try {
    forms.add(encodeURIComponent(secret));
    // application/x-www-form-urlencoded, as token requests send it.
    forms.add(new URLSearchParams({ s: secret }).toString().slice(2));
  } catch {
    // A lone surrogate cannot be encoded: only the value itself then.
  }
  return [...forms];
}

export interface RedactOptions {
  /** Cut longer texts to this many characters (after redaction). Default 300. */
  maxLength?: number;
}

/**
 * `text` without the given secret values (nor any piece of them at least 8
 * characters long, nor their URL encodings) and without anything shaped
 * like a credential.
 */
export function redact(
  text: string,
  secrets: readonly string[] = [],
  options: RedactOptions = {},
): string {
  let out = text;
  for (const secret of secrets) {
    if (!secret || secret.trim().length < 4) continue;
    for (const form of encodings(secret)) out = removeSecret(out, form);
  }
  for (const [pattern, replacement] of PATTERNS) {
    out = out.replace(pattern, replacement);
  }
  const max = options.maxLength ?? 300;
  return out.length > max ? `${out.slice(0, max - 3)}...` : out;
}

function redactMeta(
  meta: Error | JsonObject | undefined,
  secrets: readonly string[],
): JsonObject | undefined {
  if (meta === undefined) return undefined;
  if (meta instanceof Error) {
    // The stack repeats the message; the name and the redacted message stay.
    return {
      error: `${meta.name}: ${redact(meta.message, secrets, {
        maxLength: 1000,
      })}`,
    };
  }
  return JSON.parse(
    redact(JSON.stringify(meta), secrets, { maxLength: Infinity }),
  );
}

/**
 * A logger that writes through `logger` with every message (and its
 * metadata) redacted with the secrets `secrets()` knows at that moment.
 */
export function redactingLogger(
  logger: LoggerService,
  secrets: () => readonly string[],
): LoggerService {
  const write =
    (level: 'error' | 'warn' | 'info' | 'debug') =>
    (message: string, meta?: Error | JsonObject) => {
      const known = secrets();
      const safeMeta = redactMeta(meta, known);
      const safeMessage = redact(message, known, { maxLength: Infinity });
      if (safeMeta === undefined) logger[level](safeMessage);
      else logger[level](safeMessage, safeMeta);
    };
  return {
    error: write('error'),
    warn: write('warn'),
    info: write('info'),
    debug: write('debug'),
    child: meta => redactingLogger(logger.child(meta), secrets),
  };
}
