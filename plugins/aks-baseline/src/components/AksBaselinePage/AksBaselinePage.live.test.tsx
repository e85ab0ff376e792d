import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { http, HttpResponse } from 'msw';
import { JsonObject } from '@backstage/types';
import { SignalApi } from '@backstage/plugin-signals-react';
import {
  AKS_BASELINE_EVALUATIONS_CHANNEL,
  EvaluationRun,
  EvaluationSignal,
  OverviewResponse,
} from '@aks-baseline/plugin-aks-baseline-common';
import { AksBaselinePage } from './AksBaselinePage';
import {
  API,
  demoHandlers,
  renderWithBackend,
  setupMswServer,
} from '../../__testUtils__/render';
import {
  evaluationsResponse,
  overviewResponse,
} from '../../__fixtures__/responses';
import { POLL_MS, SAFETY_POLL_MS } from './useLiveRuns';

// Slow when the machine is busy: each test waits for real polls or signals.
jest.setTimeout(120_000);

const server = setupMswServer();
const DEV = 'aks-dev-koreacentral';

/** A fake backend whose dev cluster run goes from running to finished. */
function evaluatingBackend() {
  const state = { runs: [...evaluationsResponse.items], finished: false };
  const run: EvaluationRun = {
    id: 'r9',
    cluster: DEV,
    trigger: 'manual',
    status: 'running',
    startedAt: new Date().toISOString(),
  };
  const overviewAfter: OverviewResponse = {
    ...overviewResponse,
    clusters: overviewResponse.clusters.map(c =>
      c.name === DEV ? { ...c, score: 77, grade: 'C', stale: false } : c,
    ),
  };
  let overviewReads = 0;
  server.use(
    http.post(`${API}/evaluations`, () => {
      state.runs = [run, ...state.runs];
      return HttpResponse.json(
        { accepted: true, clusters: [DEV], runId: 'r9' },
        { status: 202 },
      );
    }),
    http.get(`${API}/evaluations`, () =>
      HttpResponse.json({ items: state.runs }),
    ),
    http.get(`${API}/overview`, () => {
      overviewReads++;
      return HttpResponse.json(
        state.finished ? overviewAfter : overviewResponse,
      );
    }),
  );
  return {
    finish() {
      state.finished = true;
      state.runs = state.runs.map(r =>
        r.id === 'r9'
          ? {
              ...r,
              status: 'success',
              finishedAt: new Date().toISOString(),
              durationMs: 900,
              score: 77,
              grade: 'C',
            }
          : r,
      );
    },
    overviewReads: () => overviewReads,
  };
}

/** A signal API whose messages the test sends. */
function fakeSignals() {
  const listeners = new Map<string, Array<(m: JsonObject) => void>>();
  const api: SignalApi = {
    subscribe(channel, onMessage) {
      const list = listeners.get(channel) ?? [];
      list.push(onMessage as (m: JsonObject) => void);
      listeners.set(channel, list);
      return {
        unsubscribe: () =>
          listeners.set(
            channel,
            (listeners.get(channel) ?? []).filter(l => l !== onMessage),
          ),
      };
    },
  };
  return {
    api,
    send(message: EvaluationSignal) {
      act(() => {
        for (const l of listeners.get(AKS_BASELINE_EVALUATIONS_CHANNEL) ?? []) {
          l(message);
        }
      });
    },
  };
}

async function startDevRun() {
  const user = userEvent.setup();
  const button = await screen.findByRole('button', {
    name: `Evaluate ${DEV} now`,
  });
  await waitFor(() => expect(button).toBeEnabled());
  await user.click(button);
  const tile = screen.getByRole('region', { name: `Cluster ${DEV}` });
  expect(
    await within(tile).findByText(
      'Being evaluated; the results update when it ends.',
    ),
  ).toBeInTheDocument();
  const runs = within(screen.getByTestId('aks-baseline-evaluations'));
  expect(await runs.findByText('running')).toBeInTheDocument();
  return tile;
}

describe('AksBaselinePage, live runs', () => {
  beforeEach(() => server.use(...demoHandlers()));

  it('follows a run it started by polling when the app has no signals, then refreshes the tile and the runs', async () => {
    const backend = evaluatingBackend();
    await renderWithBackend(<AksBaselinePage />);
    const tile = await startDevRun();
    expect(within(tile).getByText('Grade F · Failing')).toBeInTheDocument();

    backend.finish();
    // The next poll sees the run finished.
    expect(
      await within(tile).findByText(
        'Grade C · Fair',
        {},
        { timeout: POLL_MS * 5 },
      ),
    ).toBeInTheDocument();
    expect(
      within(tile).queryByTestId('aks-baseline-being-evaluated'),
    ).not.toBeInTheDocument();
    const runs = within(screen.getByTestId('aks-baseline-evaluations'));
    expect(runs.queryByText('running')).not.toBeInTheDocument();
    expect(runs.getAllByText('success')).toHaveLength(2);
  });

  it('refreshes the tile and the runs as soon as the backend signals the end, without waiting for a poll', async () => {
    const backend = evaluatingBackend();
    const signals = fakeSignals();
    await renderWithBackend(<AksBaselinePage />, { signalApi: signals.api });
    const tile = await startDevRun();
    const readsBefore = backend.overviewReads();

    backend.finish();
    signals.send({ type: 'run-finished', runId: 'r9' });
    // Before the slow poll that backs signals up could have come.
    expect(
      await within(tile).findByText(
        'Grade C · Fair',
        {},
        { timeout: SAFETY_POLL_MS / 2 },
      ),
    ).toBeInTheDocument();
    expect(backend.overviewReads()).toBeGreaterThan(readsBefore);
    expect(
      within(tile).queryByTestId('aks-baseline-being-evaluated'),
    ).not.toBeInTheDocument();
  });

  it('shows a run another user started, once the backend signals it', async () => {
    let runs = [...evaluationsResponse.items];
    server.use(
      http.get(`${API}/evaluations`, () => HttpResponse.json({ items: runs })),
    );
    const signals = fakeSignals();
    await renderWithBackend(<AksBaselinePage />, { signalApi: signals.api });
    const tile = await screen.findByRole('region', { name: `Cluster ${DEV}` });
    await screen.findByText('Kubernetes API answered 401 Unauthorized');

    runs = [
      {
        id: 'r10',
        cluster: DEV,
        trigger: 'schedule',
        status: 'running',
        startedAt: new Date().toISOString(),
      },
      ...runs,
    ];
    signals.send({ type: 'run-started', runId: 'r10' });
    expect(
      await within(tile).findByTestId('aks-baseline-being-evaluated'),
    ).toBeInTheDocument();
  });
});
