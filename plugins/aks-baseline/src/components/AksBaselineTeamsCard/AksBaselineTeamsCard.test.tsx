import { screen, within } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { RollupResponse } from '@aks-baseline/plugin-aks-baseline-common';
import { AksBaselineTeamsCard } from './AksBaselineTeamsCard';
import {
  API,
  renderWithBackend,
  setupMswServer,
} from '../../__testUtils__/render';
import { overviewResponse } from '../../__fixtures__/responses';

jest.setTimeout(60_000);

const server = setupMswServer();

const gradeOf = (score: number | null) => {
  if (score === null) return null;
  if (score >= 90) return 'A';
  return score >= 60 ? 'C' : 'F';
};

const rollup = (
  owner: string,
  entities: Array<[string, number | null]>,
): RollupResponse =>
  ({
    owner,
    score: null,
    grade: null,
    categories: [],
    totals: overviewResponse.owners[0].totals,
    counts: overviewResponse.owners[0].counts,
    stale: false,
    entityTotal: entities.length,
    entities: entities.map(([name, score]) => ({
      ...overviewResponse.entities[0],
      entityRef: `component:default/${name}`,
      owner,
      score,
      grade: gradeOf(score),
    })),
  } as RollupResponse);

describe('AksBaselineTeamsCard', () => {
  it("lists the user's teams' services once each, lowest score first", async () => {
    const asked: string[] = [];
    server.use(
      http.get(`${API}/rollup`, ({ request }) => {
        const owner = new URL(request.url).searchParams.get('owner')!;
        asked.push(owner);
        return HttpResponse.json(
          owner === 'group:default/team-payments'
            ? rollup(owner, [
                ['payments-worker', 52],
                ['checkout-api', 78],
              ])
            : rollup(owner, [
                ['checkout-api', 78],
                ['catalog-search', 93],
              ]),
        );
      }),
    );
    await renderWithBackend(<AksBaselineTeamsCard />, {
      ownershipEntityRefs: [
        'user:default/jane.doe',
        'group:default/team-payments',
        'group:default/team-storefront',
      ],
    });
    const list = await screen.findByRole('list', {
      name: 'Services by score, lowest first',
    });
    expect(asked.sort()).toEqual([
      'group:default/team-payments',
      'group:default/team-storefront',
    ]);
    expect(
      within(list)
        .getAllByRole('listitem')
        .map(i => i.textContent),
    ).toEqual([
      expect.stringMatching(/^payments-worker.*52$/),
      expect.stringMatching(/^checkout-api.*78$/),
      expect.stringMatching(/^catalog-search.*93$/),
    ]);
    expect(
      within(list).getByRole('link', { name: 'payments-worker' }),
    ).toHaveAttribute('href', '/catalog/default/component/payments-worker');
  });

  it('says so for a user in no team', async () => {
    await renderWithBackend(<AksBaselineTeamsCard />);
    expect(
      await screen.findByText('You are not a member of a team in the catalog.'),
    ).toBeInTheDocument();
  });
});
