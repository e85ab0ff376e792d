import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { catalogProcessingExtensionPoint } from '@backstage/plugin-catalog-node';
import { AksBaselineFleetProvider } from './AksBaselineFleetProvider';
import catalogModuleAksBaselineFleet from './index';

describe('catalogModuleAksBaselineFleet', () => {
  it('adds the provider when configured', async () => {
    const addEntityProvider = jest.fn();
    await startTestBackend({
      extensionPoints: [
        [catalogProcessingExtensionPoint, { addEntityProvider }],
      ],
      features: [
        catalogModuleAksBaselineFleet,
        mockServices.rootConfig.factory({
          data: {
            catalog: {
              providers: {
                aksBaseline: { clusters: { owner: 'platform-engineering' } },
              },
            },
          },
        }),
      ],
    });
    expect(addEntityProvider).toHaveBeenCalledWith(
      expect.any(AksBaselineFleetProvider),
    );
  });

  it('adds nothing without configuration', async () => {
    const addEntityProvider = jest.fn();
    await startTestBackend({
      extensionPoints: [
        [catalogProcessingExtensionPoint, { addEntityProvider }],
      ],
      features: [catalogModuleAksBaselineFleet],
    });
    expect(addEntityProvider).not.toHaveBeenCalled();
  });
});
