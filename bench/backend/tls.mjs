/*
 * A throwaway TLS certificate for the https fakes (the fake ARM: the Azure
 * SDK never sends a bearer token over http).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A self-signed certificate for 127.0.0.1 and localhost, made with the
 * openssl CLI in a temporary folder (Node cannot write X.509 itself).
 */
export function selfSignedCertificate() {
  const dir = mkdtempSync(join(tmpdir(), 'aks-baseline-bench-tls-'));
  const certFile = join(dir, 'cert.pem');
  const keyFile = join(dir, 'key.pem');
  try {
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:prime256v1',
        '-nodes',
        '-days',
        '1',
        '-subj',
        '/CN=aks-baseline-bench-arm',
        '-addext',
        'subjectAltName=IP:127.0.0.1,DNS:localhost',
        '-keyout',
        keyFile,
        '-out',
        certFile,
      ],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw new Error(
      `openssl could not make the fake ARM certificate (${
        error.code === 'ENOENT' ? 'openssl is not installed' : error.message
      }); the ARM fake must be https because the Azure SDK never sends a bearer token over http`,
    );
  }
  return {
    certFile,
    keyFile,
    cert: readFileSync(certFile, 'utf8'),
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}
