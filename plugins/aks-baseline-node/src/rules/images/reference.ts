/*
 * Container image references (`[registry[:port]/]repository[:tag][@digest]`),
 * read with indexOf scans instead of a parse so that the common case
 * allocates nothing.
 */

/** Whether the reference carries a digest (`...@sha256:...`). */
export function hasDigest(image: string): boolean {
  return image.indexOf('@') >= 0;
}

/**
 * Index of the `:` that starts the tag, or -1 when untagged. A colon before
 * the last `/` belongs to a registry port (`host:5000/app`).
 */
function tagColon(image: string): number {
  const at = image.indexOf('@');
  const end = at >= 0 ? at : image.length;
  const slash = image.lastIndexOf('/', end - 1);
  const colon = image.lastIndexOf(':', end - 1);
  return colon > slash ? colon : -1;
}

/** The tag, or undefined when there is none (allocates: failure paths only). */
export function imageTag(image: string): string | undefined {
  const colon = tagColon(image);
  if (colon < 0) return undefined;
  const at = image.indexOf('@');
  return image.slice(colon + 1, at >= 0 ? at : image.length);
}

function isLatestTag(image: string, colon: number): boolean {
  const at = image.indexOf('@');
  const end = at >= 0 ? at : image.length;
  return end - colon - 1 === 6 && image.startsWith('latest', colon + 1);
}

/**
 * Pinned: a digest, or a tag other than `latest`. `nginx`, `nginx:latest`
 * and `host:5000/app` are not pinned; `nginx:latest@sha256:...` is (the
 * digest wins).
 */
export function isPinned(image: unknown): boolean {
  if (typeof image !== 'string' || image.length === 0) return false;
  if (hasDigest(image)) return true;
  const colon = tagColon(image);
  if (colon < 0 || colon === image.length - 1) return false;
  return !isLatestTag(image, colon);
}

/** Why an image is not pinned, for messages. */
export function unpinnedReason(image: unknown): string {
  if (typeof image !== 'string' || image.length === 0) return 'no image';
  return tagColon(image) < 0 ? 'no tag' : 'tag latest';
}

/**
 * Whether the first path component names a registry host (it has a dot or a
 * port, or is `localhost`); otherwise the image lives on Docker Hub.
 */
function firstComponentIsHost(image: string, slash: number): boolean {
  if (slash < 0) return false;
  for (let i = 0; i < slash; i++) {
    const ch = image.charCodeAt(i);
    if (ch === 46 /* . */ || ch === 58 /* : */) return true;
  }
  return slash === 9 && image.startsWith('localhost');
}

const DOCKER_HUB = 'docker.io';

/**
 * The reference with its registry spelled out, for matching: Docker Hub
 * short names become `docker.io/library/nginx:1.27`, `index.docker.io` and
 * `registry-1.docker.io` become `docker.io`. Returns `image` itself (no
 * allocation) when it already starts with a registry host.
 */
export function fullyQualified(image: string): string {
  const slash = image.indexOf('/');
  if (firstComponentIsHost(image, slash)) {
    if (
      image.startsWith('index.docker.io/') ||
      image.startsWith('registry-1.docker.io/')
    ) {
      return `${DOCKER_HUB}${image.slice(slash)}`;
    }
    return image;
  }
  return slash < 0
    ? `${DOCKER_HUB}/library/${image}`
    : `${DOCKER_HUB}/${image}`;
}

/** The registry host of a reference (`docker.io` for short names). */
export function registryOf(image: string): string {
  const full = fullyQualified(image);
  const slash = full.indexOf('/');
  return slash < 0 ? full : full.slice(0, slash);
}

// ------------------------------------------------------ registry patterns

const REGEX_SPECIAL = /[.+?^${}()|[\]\\]/g;

/**
 * One regular expression for a list of registry patterns, tested against a
 * fully qualified reference. A pattern is a host glob (`*.azurecr.io`,
 * `mcr.microsoft.com`; `*` matches within one path component) optionally
 * followed by a repository path (`ghcr.io/my-org/*`: everything below
 * `my-org/`). Case-insensitive; the host must end at a `/`, `:` or `@`, so
 * `*.azurecr.io` does not match `x.azurecr.io.evil.com/app`.
 */
export function compileRegistryPatterns(patterns: readonly string[]): RegExp {
  const alternatives: string[] = [];
  for (const raw of patterns) {
    if (typeof raw !== 'string') continue;
    let p = raw.trim();
    if (!p) continue;
    p = p.replace(/^[a-z]+:\/\//i, '');
    if (p.endsWith('/*') || p.endsWith('/')) {
      const prefix = p.endsWith('/*') ? p.slice(0, -1) : p;
      alternatives.push(glob(prefix));
    } else {
      alternatives.push(`${glob(p)}(?=[/:@]|$)`);
    }
  }
  // Matches nothing when no pattern is configured.
  if (alternatives.length === 0) return /(?!)/;
  return new RegExp(`^(?:${alternatives.join('|')})`, 'i');
}

function glob(pattern: string): string {
  return pattern.replace(REGEX_SPECIAL, '\\$&').replace(/\*/g, '[^/]*');
}

const compiled = new WeakMap<readonly string[], RegExp>();

/**
 * The compiled patterns for a parameter array, cached by the array's
 * identity (parameters are built once per evaluation).
 */
export function registryMatcher(patterns: readonly string[]): RegExp {
  let re = compiled.get(patterns);
  if (!re) {
    re = compileRegistryPatterns(patterns);
    compiled.set(patterns, re);
  }
  return re;
}

/** Whether an image comes from one of the allowed registries. */
export function isAllowedImage(image: unknown, matcher: RegExp): boolean {
  if (typeof image !== 'string' || image.length === 0) return false;
  return matcher.test(fullyQualified(image));
}
