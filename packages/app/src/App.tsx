/**
 * The demo portal on Backstage's new frontend system, as
 * `@backstage/create-app` makes apps: the plugins in package.json are
 * discovered (`app.packages: all` in app-config.yaml), AKS Baseline's
 * `/alpha` features among them (page, nav item, entity cards and tabs);
 * this file adds only the app's own modules.
 */
import { createApp } from '@backstage/frontend-defaults';
import { navModule } from './modules/nav';
import { appModule } from './modules/app';

export default createApp({
  features: [navModule, appModule],
});
