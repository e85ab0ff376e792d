import { createFrontendModule } from '@backstage/frontend-plugin-api';
import { SidebarContent } from './Sidebar';

/** The app's sidebar (replaces the app plugin's default nav content). */
export const navModule = createFrontendModule({
  pluginId: 'app',
  extensions: [SidebarContent],
});
