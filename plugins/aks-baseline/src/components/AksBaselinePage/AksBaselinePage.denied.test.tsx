/*
 * A file of its own: usePermission keeps its answers in a module-level cache
 * (stale-while-revalidate), so a denial would leak into the other tests.
 */
import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { AksBaselinePage } from './AksBaselinePage';
import {
  demoHandlers,
  renderWithBackend,
  setupMswServer,
} from '../../__testUtils__/render';

jest.setTimeout(30_000);

const server = setupMswServer();

describe('AksBaselinePage without the evaluation permission', () => {
  beforeEach(() => server.use(...demoHandlers()));

  it('disables both run buttons and says why', async () => {
    const user = userEvent.setup();
    await renderWithBackend(<AksBaselinePage />, {
      permission: AuthorizeResult.DENY,
    });
    const button = await screen.findByRole('button', {
      name: 'Run evaluation',
    });
    await waitFor(() => expect(button).toBeDisabled());
    expect(button).toHaveAccessibleDescription(
      'You do not have permission to run an evaluation (aks-baseline.evaluation.run)',
    );
    expect(
      screen.getByRole('button', { name: 'Evaluate aks-prod-westeurope now' }),
    ).toBeDisabled();

    // The reason shows on hover too.
    await user.hover(button.parentElement!);
    expect(
      await screen.findByRole('tooltip', {
        name: 'You do not have permission to run an evaluation (aks-baseline.evaluation.run)',
      }),
    ).toBeInTheDocument();
  });
});
