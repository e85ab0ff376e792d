import { SignInPageBlueprint } from '@backstage/plugin-app-react';

/**
 * Demo sign-in: straight in as the guest (app-config.yaml's guest provider
 * resolves to user:default/guest), as the legacy demo app did.
 */
export const signInPage = SignInPageBlueprint.make({
  params: {
    loader: async () => {
      const { SignInPage } = await import('@backstage/core-components');
      return props => <SignInPage {...props} auto providers={['guest']} />;
    },
  },
});
