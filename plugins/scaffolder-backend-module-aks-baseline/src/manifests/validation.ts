/*
 * The naming rules of the Kubernetes API (DNS-1123 labels and subdomains,
 * label keys and values), checked before anything is sent.
 */

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN =
  /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const LABEL_NAME = /^([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)$/;
const UUID =
  /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

/** Namespaces Kubernetes and AKS reserve: never created by a template. */
const RESERVED_NAMESPACES = new Set([
  'default',
  'kube-system',
  'kube-public',
  'kube-node-lease',
]);

/**
 * Why `name` cannot be a namespace name, or `undefined`.
 *
 * @public
 */
export function namespaceNameProblem(name: string): string | undefined {
  if (name.length === 0) return 'is empty';
  if (name.length > 63) {
    return `"${name}" is longer than 63 characters`;
  }
  if (!DNS1123_LABEL.test(name)) {
    return `"${name}" is not a DNS-1123 label (lower-case letters, digits and "-", starting and ending with a letter or digit)`;
  }
  if (RESERVED_NAMESPACES.has(name) || name.startsWith('kube-')) {
    return `"${name}" is reserved by Kubernetes`;
  }
  return undefined;
}

/**
 * Why `name` cannot name a ServiceAccount (a DNS-1123 subdomain), or `undefined`.
 *
 * @public
 */
export function subdomainProblem(name: string): string | undefined {
  if (name.length === 0) return 'is empty';
  if (name.length > 253) return `"${name}" is longer than 253 characters`;
  if (!DNS1123_SUBDOMAIN.test(name)) {
    return `"${name}" is not a DNS-1123 subdomain (lower-case letters, digits, "-" and ".")`;
  }
  return undefined;
}

/**
 * Why `key` is not a valid label key (`[prefix/]name`), or `undefined`.
 *
 * @public
 */
export function labelKeyProblem(key: string): string | undefined {
  const slash = key.indexOf('/');
  const prefix = slash >= 0 ? key.slice(0, slash) : undefined;
  const name = slash >= 0 ? key.slice(slash + 1) : key;
  if (
    prefix !== undefined &&
    (subdomainProblem(prefix) || prefix.length > 253)
  ) {
    return `label key "${key}" has an invalid prefix (a DNS subdomain is expected)`;
  }
  if (name.length === 0 || name.length > 63 || !LABEL_NAME.test(name)) {
    return `label key "${key}" is invalid (at most 63 letters, digits, "-", "_" or ".", starting and ending with a letter or digit)`;
  }
  return undefined;
}

/**
 * Why `value` is not a valid label value, or `undefined`.
 *
 * @public
 */
export function labelValueProblem(value: string): string | undefined {
  if (value === '') return undefined;
  if (value.length > 63 || !LABEL_NAME.test(value)) {
    return `label value "${value}" is invalid (at most 63 letters, digits, "-", "_" or ".", starting and ending with a letter or digit)`;
  }
  return undefined;
}

const STANDARD_LIMIT_RESOURCES = new Set([
  'cpu',
  'memory',
  'ephemeral-storage',
]);
const HUGEPAGES = /^hugepages-[0-9]+(Ki|Mi|Gi)$/;

/**
 * Why `name` is not a resource a LimitRange limits (`cpu`, `memory`,
 * `ephemeral-storage`, `hugepages-<size>`, or an extended resource
 * `<domain>/<name>`), or `undefined`. A set and patterns, never a lookup:
 * `constructor` or `__proto__` is no resource.
 *
 * @public
 */
export function resourceNameProblem(name: string): string | undefined {
  if (STANDARD_LIMIT_RESOURCES.has(name) || HUGEPAGES.test(name)) {
    return undefined;
  }
  const slash = name.indexOf('/');
  if (
    slash > 0 &&
    !subdomainProblem(name.slice(0, slash)) &&
    LABEL_NAME.test(name.slice(slash + 1))
  ) {
    return undefined;
  }
  return `"${name}" is not a resource name (cpu, memory, ephemeral-storage, hugepages-<size>, or an extended resource such as example.com/gpu)`;
}

/**
 * `record[key]` when `key` is the record's own property: a key from a
 * request or a configuration never reaches Object.prototype
 * (`constructor`, `toString`, `__proto__`).
 *
 * @public
 */
export function ownValue<T>(
  record: Readonly<Record<string, T>> | undefined,
  key: string,
): T | undefined {
  return record !== undefined && Object.hasOwn(record, key)
    ? record[key]
    : undefined;
}

/** @public */
export function isUuid(value: string): boolean {
  return UUID.test(value);
}
