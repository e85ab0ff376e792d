import { PageBlueprint } from '@backstage/frontend-plugin-api';
import { Navigate } from 'react-router-dom';

/** `/` opens the catalog, which stays at `/catalog` (shared links keep working). */
export const rootRedirect = PageBlueprint.make({
  name: 'root-redirect',
  params: {
    path: '/',
    noHeader: true,
    loader: async () => <Navigate to="/catalog" replace />,
  },
});
