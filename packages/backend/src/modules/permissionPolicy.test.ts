import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { createPermission } from '@backstage/plugin-permission-common';
import { DemoPermissionPolicy } from './permissionPolicy';

describe('DemoPermissionPolicy', () => {
  it('allows catalog reads for a signed-in user', async () => {
    const policy = new DemoPermissionPolicy();
    const decision = await policy.handle({
      permission: createPermission({
        name: 'catalog.entity.read',
        attributes: { action: 'read' },
      }),
    });
    expect(decision).toEqual({ result: AuthorizeResult.ALLOW });
  });
});
