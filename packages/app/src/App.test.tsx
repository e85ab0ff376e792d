import { render, screen } from '@testing-library/react';
import App from './App';

describe('App', () => {
  it('starts at the guest sign-in', async () => {
    process.env = {
      NODE_ENV: 'test',
      APP_CONFIG: [
        {
          data: {
            app: { title: 'Test' },
            backend: { baseUrl: 'http://localhost:7007' },
            techdocs: {
              storageUrl: 'http://localhost:7007/api/techdocs/static/docs',
            },
          },
          context: 'test',
        },
      ] as any,
    };

    render(App.createRoot());

    // No session in the test: the automatic guest sign-in fails quietly
    // and the sign-in page offers the guest provider.
    expect(
      await screen.findByText('Guest', {}, { timeout: 10_000 }),
    ).toBeInTheDocument();
  });
});
