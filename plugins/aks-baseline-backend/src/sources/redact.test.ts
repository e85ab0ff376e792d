import { fakeJwt } from './__testUtils__/fakeAzure';
import { capturingLogger } from './__testUtils__/helpers';
import { REDACTED, redact, redactingLogger } from './redact';

const SECRET = 'Qx8~fakeClientSecretValue.DoNotLog_0123456789';
const TOKEN = fakeJwt('6dae42f8-4368-4678-94ff-3960e28e3630');
/** A service-account token that is not JWT-shaped (a legacy or opaque one). */
const OPAQUE = 'k8s-opaque-token-4b7e9a52c3f01d8e6a';

/** No 8-character piece of `secret` in `text`. */
function expectNoPartOf(text: string, secret: string) {
  for (let i = 0; i + 8 <= secret.length; i++) {
    expect(text).not.toContain(secret.slice(i, i + 8));
  }
}

describe('redact', () => {
  it('removes known secrets, their encodings and any piece of them', () => {
    const text = [
      `invalid client secret '${SECRET.slice(0, 20)}'`,
      `body client_id=x&client_secret=${new URLSearchParams({ s: SECRET })
        .toString()
        .slice(2)}`,
      `JSON {"clientSecret":"${encodeURIComponent(SECRET)}"}`,
      `cut short ...${SECRET.slice(10, 30)}`,
      `token ${OPAQUE.slice(4)} (tail)`,
    ].join('\n');
    const out = redact(text, [SECRET, OPAQUE], { maxLength: Infinity });
    expectNoPartOf(out, SECRET);
    expectNoPartOf(out, OPAQUE);
    expect(out).toContain("invalid client secret '[redacted]");
    expect(out).toContain('(tail)');
  });

  it('removes whatever has the shape of a credential', () => {
    const cases: Array<[string, string]> = [
      [`Authorization: Bearer ${TOKEN}`, `Authorization: ${REDACTED}`],
      [
        `{"authorization":"Basic dXNlcjpwYXNzd29yZA==","x":1}`,
        `{"authorization":"${REDACTED}","x":1}`,
      ],
      [
        `sent Bearer abcdefgh12345678 upstream`,
        `sent Bearer ${REDACTED} upstream`,
      ],
      [`header Basic dXNlcjpwYXNz`, `header Basic ${REDACTED}`],
      [`payload ${TOKEN.split('.')[1]} alone`, `payload ${REDACTED} alone`],
      [`cut ${TOKEN.slice(0, 30)}`, `cut ${REDACTED}`],
      [
        'GET https://acct.blob.core.windows.net/c/b?sv=2022-11-02&se=2026-01-01&sp=r&sig=AbC%2Bdef123%3D',
        `GET https://acct.blob.core.windows.net/c/b?sv=2022-11-02&se=2026-01-01&sp=r&sig=${REDACTED}`,
      ],
      [
        'callback?code=0.AXoA-secret-code&state=s1',
        `callback?code=${REDACTED}&state=s1`,
      ],
      [
        'https://admin:hunter2@proxy.example.com/x',
        `https://${REDACTED}@proxy.example.com/x`,
      ],
      [
        'AccountName=acct;AccountKey=bXlrZXk=;EndpointSuffix=core.windows.net',
        `AccountName=acct;AccountKey=${REDACTED};EndpointSuffix=core.windows.net`,
      ],
      [
        '{"access_token":"opaque-value","token_type":"Bearer"}',
        `{"access_token":"${REDACTED}","token_type":"Bearer"}`,
      ],
      [
        'users:\n- name: u\n  user:\n    token: opaque-sa-token\n    client-key-data: LS0tLS1CRUdJTg==',
        `users:\n- name: u\n  user:\n    token: "${REDACTED}"\n    client-key-data: "${REDACTED}"`,
      ],
      [
        '-----BEGIN RSA PRIVATE KEY-----\nMIIEow\n-----END RSA PRIVATE KEY----- after',
        `${REDACTED} after`,
      ],
      ['password=p4ss&user=me', `password=${REDACTED}&user=me`],
    ];
    for (const [text, expected] of cases) {
      expect(redact(text, [], { maxLength: Infinity })).toBe(expected);
    }
  });

  it('leaves ordinary words and resource names alone', () => {
    const text =
      'Kubernetes API returned 403 Forbidden listing deployments.apps: the basic tier has no key vault; code AuthorizationFailed; bearer token expired';
    expect(redact(text, [SECRET], { maxLength: Infinity })).toBe(text);
  });

  it('cuts long texts after redacting', () => {
    const out = redact(`${'x'.repeat(290)} ${SECRET}`, [SECRET]);
    expect(out.length).toBeLessThanOrEqual(300);
    expectNoPartOf(out, SECRET);
  });
});

describe('redactingLogger', () => {
  it('redacts every message, its metadata and its errors, in children too', () => {
    const { logger, lines } = capturingLogger();
    let known: string[] = [];
    const safe = redactingLogger(logger, () => known);
    known = [OPAQUE];
    safe.warn(`read failed with ${OPAQUE}`, { url: `https://x/?sig=abc123` });
    safe
      .child({ cluster: 'c' })
      .error('request failed', new Error(`Authorization: Bearer ${TOKEN}`));
    safe.info(`token ${TOKEN}`);
    const all = lines.join('\n');
    expectNoPartOf(all, OPAQUE);
    expectNoPartOf(all, TOKEN);
    expect(all).not.toContain('abc123');
    expect(lines).toHaveLength(3);
  });
});
