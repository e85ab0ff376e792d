import { startTestBackend } from '@backstage/backend-test-utils';
import {
  FactRetriever,
  techInsightsFactRetrieversExtensionPoint,
} from '@backstage-community/plugin-tech-insights-node';
import { techInsightsModuleAksBaseline } from './module';

describe('techInsightsModuleAksBaseline', () => {
  it('adds the AKS Baseline fact retriever to Tech Insights', async () => {
    const added: Record<string, FactRetriever> = {};
    const backend = await startTestBackend({
      extensionPoints: [
        [
          techInsightsFactRetrieversExtensionPoint,
          {
            addFactRetrievers: (r: Record<string, FactRetriever>) =>
              Object.assign(added, r),
          },
        ],
      ],
      features: [techInsightsModuleAksBaseline],
    });
    try {
      expect(Object.keys(added)).toEqual(['aksBaselineFactRetriever']);
      const retriever = added.aksBaselineFactRetriever;
      expect(retriever.id).toBe('aksBaselineFactRetriever');
      expect(Object.keys(retriever.schema)).toEqual(
        expect.arrayContaining(['score', 'grade', 'criticalFindings', 'stale']),
      );
    } finally {
      await backend.stop();
    }
  });
});
