import { setValuesPatch } from './fixes';

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    Object.values(value).forEach(deepFreeze);
    Object.freeze(value);
  }
  return value;
}

describe('setValuesPatch', () => {
  const deployment = () =>
    deepFreeze({
      spec: {
        template: {
          spec: {
            containers: [
              { name: 'app', image: 'app:1' },
              { name: 'proxy', image: 'proxy:1', securityContext: {} },
            ],
          },
        },
      },
    });

  it('works each value out on the object as the previous ones left it, never changing it', () => {
    const object = deployment();
    expect(
      setValuesPatch(object, [
        {
          path: 'spec.template.spec.containers[0].securityContext.runAsNonRoot',
          value: true,
        },
        {
          path: 'spec.template.spec.containers[0].securityContext.readOnlyRootFilesystem',
          value: true,
        },
        {
          path: 'spec.template.spec.containers[1].securityContext.runAsNonRoot',
          value: true,
        },
      ]),
    ).toEqual([
      {
        op: 'add',
        path: '/spec/template/spec/containers/0/securityContext',
        value: { runAsNonRoot: true },
      },
      {
        op: 'add',
        path: '/spec/template/spec/containers/0/securityContext/readOnlyRootFilesystem',
        value: true,
      },
      {
        op: 'add',
        path: '/spec/template/spec/containers/1/securityContext/runAsNonRoot',
        value: true,
      },
    ]);
    // Frozen: a change to the object as read would have thrown.
    expect(object).toEqual(deployment());
  });
});
