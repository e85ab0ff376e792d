/*
 * The demo's home page (/home, @backstage/plugin-home, discovered) starts
 * with AKS Baseline's teams widget, as app-config.yaml's page:home
 * defaultConfig names it (the same entry here: a frontend package's test
 * cannot read the file).
 */
import { screen } from '@testing-library/react';
import {
  createExtensionTester,
  mockApis,
  renderInTestApp,
} from '@backstage/frontend-test-utils';
import { identityApiRef } from '@backstage/core-plugin-api';
import homePlugin from '@backstage/plugin-home/alpha';
import aksBaselinePlugin from '@aks-baseline/plugin-aks-baseline/alpha';
import { aksBaselineApiRef } from '@aks-baseline/plugin-aks-baseline';

jest.setTimeout(30_000);

const DEMO_HOME_CONFIG = {
  defaultConfig: [
    { component: 'AksBaselineTeams', column: 0, row: 0, width: 6, height: 6 },
  ],
};

describe("the demo's home page", () => {
  // The grid lays widgets out in the width it measures: jsdom has none.
  beforeAll(() => {
    Object.defineProperty(HTMLElement.prototype, 'offsetWidth', {
      configurable: true,
      get: () => 1200,
    });
  });

  it("starts with your teams' services by AKS Baseline score", async () => {
    const asked: string[] = [];
    const aksBaselineApi = {
      getRollup: async ({ owner }: { owner: string }) => {
        asked.push(owner);
        return { owner, entities: [] };
      },
    };
    const tester = createExtensionTester(homePlugin.getExtension('page:home'), {
      config: DEMO_HOME_CONFIG,
    }).add(
      aksBaselinePlugin.getExtension('home-page-widget:aks-baseline/teams'),
    );
    await renderInTestApp(tester.reactElement(), {
      apis: [
        [aksBaselineApiRef, aksBaselineApi as any],
        [
          identityApiRef,
          mockApis.identity({
            userEntityRef: 'user:default/guest',
            ownershipEntityRefs: ['group:default/team-payments'],
          }),
        ],
      ],
    });
    expect(
      await screen.findByText(
        "Your teams' services by AKS Baseline score",
        undefined,
        { timeout: 10_000 },
      ),
    ).toBeInTheDocument();
    expect(
      await screen.findByText('Your teams have no evaluated service yet.'),
    ).toBeInTheDocument();
    expect(asked).toEqual(['group:default/team-payments']);
  });
});
