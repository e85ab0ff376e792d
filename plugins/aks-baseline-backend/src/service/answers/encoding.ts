/*
 * Sending a stored gzip-compressed answer: as is to clients that accept
 * gzip (the compression middleware leaves an encoded body alone),
 * decompressed to the others, with a weak ETag per representation and
 * `304 Not Modified` for a client that has it. Headers are set directly
 * rather than through res.send, which would hash the body again for its
 * ETag on every request.
 */
import type { Request, Response } from 'express';
import { promisify } from 'util';
import { gunzip as gunzipCallback } from 'zlib';

const gunzip = promisify(gunzipCallback);

/** An answer as stored: gzip-compressed JSON and its ETags (answerEtags). */
export interface EncodedAnswer {
  responseGzip: Buffer;
  etag: string;
  etagIdentity: string;
}

/**
 * Whether a request's Accept-Encoding admits gzip (Express's negotiation,
 * q-values and `*` included), remembered per header value: clients send
 * a handful of distinct values, and parsing one on every request showed
 * in the score route's profile.
 */
const gzipAccepted = new Map<string, boolean>();
const GZIP_ACCEPTED_MAX = 256;
export function acceptsGzip(req: Request): boolean {
  const header = req.headers['accept-encoding'];
  if (header === undefined) return false;
  let accepted = gzipAccepted.get(header);
  if (accepted === undefined) {
    accepted = req.acceptsEncodings('gzip') === 'gzip';
    if (gzipAccepted.size >= GZIP_ACCEPTED_MAX) gzipAccepted.clear();
    gzipAccepted.set(header, accepted);
  }
  return accepted;
}

/** `Vary: Accept-Encoding`, added to what earlier middleware put there. */
function appendVary(res: Response): void {
  if (res.getHeader('Vary') === undefined) {
    res.setHeader('Vary', 'Accept-Encoding');
  } else {
    res.vary('Accept-Encoding');
  }
}

/** Sends a stored answer in the representation the client accepts. */
export async function sendEncoded(
  req: Request,
  res: Response,
  answer: EncodedAnswer,
): Promise<void> {
  const gzip = acceptsGzip(req);
  appendVary(res);
  res.setHeader('ETag', gzip ? answer.etag : answer.etagIdentity);
  if (req.fresh) {
    res.statusCode = 304;
    res.end();
    return;
  }
  const body = gzip ? answer.responseGzip : await gunzip(answer.responseGzip);
  res.statusCode = 200;
  res.setHeader('Content-Type', 'application/json');
  if (gzip) res.setHeader('Content-Encoding', 'gzip');
  res.setHeader('Content-Length', body.length);
  res.end(body);
}
