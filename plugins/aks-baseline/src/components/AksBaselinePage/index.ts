export { AksBaselinePage } from './AksBaselinePage';
export type { AksBaselinePageProps } from './AksBaselinePage';
