import { createFrontendModule } from '@backstage/frontend-plugin-api';
import { signInPage } from './SignInPage';
import { rootRedirect } from './RootRedirect';

/** The demo's own app extensions: guest sign-in and the start page. */
export const appModule = createFrontendModule({
  pluginId: 'app',
  extensions: [signInPage, rootRedirect],
});
