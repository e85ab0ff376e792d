/**
 * The checklist's sections; every rule belongs to exactly one.
 *
 * @public
 */
export type Category =
  | 'cluster'
  | 'networking'
  | 'identity'
  | 'pod-security'
  | 'images'
  | 'resources'
  | 'availability'
  | 'operations';

/** @public */
export const CATEGORIES: readonly Category[] = [
  'cluster',
  'networking',
  'identity',
  'pod-security',
  'images',
  'resources',
  'availability',
  'operations',
];

/** @public */
export const CATEGORY_TITLES: Readonly<Record<Category, string>> = {
  cluster: 'Cluster',
  networking: 'Networking',
  identity: 'Identity and secrets',
  'pod-security': 'Pod security',
  images: 'Images',
  resources: 'Resources',
  availability: 'Availability',
  operations: 'Monitoring and operations',
};
