import { TableOptions } from '@backstage/core-components';

/** Small tables (overview, passed checks, clusters): dense, no search, no paging, no dragging. */
export const SMALL_TABLE: TableOptions<any> = {
  search: false,
  paging: false,
  padding: 'dense',
  draggable: false,
};
