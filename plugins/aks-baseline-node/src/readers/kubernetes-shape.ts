/*
 * The types of the fields the engine and its rules read, checked once when an
 * object is read, as the API server's schema would check them.
 *
 * The principle: a field with a fixed type in the Kubernetes API (a boolean
 * such as `privileged`, an integer such as `replicas` or `runAsUser`, a list
 * such as `containers`, an object such as `securityContext`) that holds
 * another type is an input error naming the file and the JSON path, never a
 * value a rule would quietly read as "unset" (`privileged: "true"` is not
 * false: the API server refuses the object, and so do the readers). What
 * the walk needs to find its subjects is required: a pod template, a pod
 * spec with at least one container, each with a name; an object without
 * them is incomplete (a kustomize patch, a fragment) and is skipped with the
 * reason, never evaluated as an empty pod. Values whose meaning
 * a rule interprets within their type (IntOrString percentages, resource
 * quantities, image references, label values, CRD fields) are left to the
 * rule, which answers `unknown` for what it cannot interpret. `null` is
 * "unset", as in the API.
 */
import { describeValue, joinPath, SnapshotReadError } from './errors';

/**
 * A required field is missing: the object is a fragment, not a whole object.
 * `path` is the missing field's, under the object's own path.
 */
export class IncompleteObjectError extends SnapshotReadError {}

/** Checks one value at the walker's current path. */
type Shape = (value: unknown, walk: Walker) => void;

/** Where the walk is: the file and a path kept as segments (joined only for errors). */
class Walker {
  private readonly segments: (string | number)[] = [];

  constructor(readonly file: string, private readonly base: string) {}

  at(segment: string | number, value: unknown, shape: Shape): void {
    if (value === undefined || value === null) return;
    this.segments.push(segment);
    shape(value, this);
    this.segments.pop();
  }

  fail(detail: string, segment?: string | number): never {
    throw new SnapshotReadError(this.file, this.path(segment), detail);
  }

  missing(segment: string | number): never {
    throw new IncompleteObjectError(
      this.file,
      this.path(segment),
      'required, but missing',
    );
  }

  /** The path under the object (for an incomplete object's reason). */
  relative(segment?: string | number): string {
    let path = '';
    for (const s of this.segments) path = joinPath(path, s);
    return segment === undefined ? path : joinPath(path, segment);
  }

  private path(segment?: string | number): string {
    let path = this.base;
    for (const s of this.segments) path = joinPath(path, s);
    if (segment !== undefined) path = joinPath(path, segment);
    return path;
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const string: Shape = (v, walk) => {
  if (typeof v !== 'string') {
    walk.fail(`expected a string, found ${describeValue(v)}`);
  }
};

/** A string whose value must never appear in a message (env values). */
const secretString: Shape = (v, walk) => {
  if (typeof v !== 'string') {
    walk.fail(
      `expected a string, found ${
        Array.isArray(v) ? 'an array' : `a ${typeof v}`
      }`,
    );
  }
};

const boolean: Shape = (v, walk) => {
  if (typeof v !== 'boolean') {
    walk.fail(`expected true or false, found ${describeValue(v)}`);
  }
};

const integer: Shape = (v, walk) => {
  if (typeof v !== 'number' || !Number.isInteger(v)) {
    walk.fail(`expected an integer, found ${describeValue(v)}`);
  }
};

const count: Shape = (v, walk) => {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) {
    walk.fail(`expected an integer ≥ 0, found ${describeValue(v)}`);
  }
};

/** IntOrString (PDB budgets, target ports): the rule reads the string. */
const intOrString: Shape = (v, walk) => {
  if (typeof v === 'string') return;
  if (typeof v !== 'number' || !Number.isInteger(v)) {
    walk.fail(`expected an integer or a string, found ${describeValue(v)}`);
  }
};

/** A resource quantity: `500m`, `1Gi`, or a plain number. */
const quantity: Shape = (v, walk) => {
  if (typeof v !== 'string' && typeof v !== 'number') {
    walk.fail(`expected a quantity (e.g. "500m"), found ${describeValue(v)}`);
  }
};

const anyObject: Shape = (v, walk) => {
  if (!isObject(v)) walk.fail(`expected an object, found ${describeValue(v)}`);
};

function object(
  fields: Readonly<Record<string, Shape>>,
  required: readonly string[] = [],
): Shape {
  const keys = Object.keys(fields);
  return (v: unknown, walk: Walker): void => {
    if (!isObject(v)) {
      walk.fail(`expected an object, found ${describeValue(v)}`);
    }
    for (const key of required) {
      if (v[key] === undefined || v[key] === null) walk.missing(key);
    }
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i];
      const value = v[key];
      if (value !== undefined && value !== null)
        walk.at(key, value, fields[key]);
    }
  };
}

function list(item: Shape, nonEmpty = false): Shape {
  return (v: unknown, walk: Walker): void => {
    if (!Array.isArray(v)) {
      walk.fail(`expected a list, found ${describeValue(v)}`);
    }
    if (nonEmpty && v.length === 0) walk.missing(0);
    for (let i = 0; i < v.length; i++) {
      if (v[i] === null || v[i] === undefined) {
        walk.fail(`expected an entry, found ${describeValue(v[i])}`, i);
      }
      walk.at(i, v[i], item);
    }
  };
}

function mapOf(value: Shape): Shape {
  return (v: unknown, walk: Walker): void => {
    if (!isObject(v)) {
      walk.fail(`expected an object, found ${describeValue(v)}`);
    }
    for (const key in v) {
      if (v[key] !== null && v[key] !== undefined) walk.at(key, v[key], value);
    }
  };
}

const stringList = list(string);
const stringMap = mapOf(string);
const quantities = mapOf(quantity);

// ------------------------------------------------------------- selectors

const labelSelector = object({
  matchLabels: stringMap,
  matchExpressions: list(
    object({ key: string, operator: string, values: stringList }),
  ),
});

const nodeSelectorTerm = object({
  matchExpressions: list(
    object({ key: string, operator: string, values: stringList }),
  ),
});

// ------------------------------------------------------------- pod spec

const seccompProfile = object({ type: string, localhostProfile: string });

const podSecurityContext = object({
  runAsNonRoot: boolean,
  runAsUser: integer,
  runAsGroup: integer,
  fsGroup: integer,
  seccompProfile,
});

const containerSecurityContext = object({
  privileged: boolean,
  allowPrivilegeEscalation: boolean,
  readOnlyRootFilesystem: boolean,
  runAsNonRoot: boolean,
  runAsUser: integer,
  runAsGroup: integer,
  capabilities: object({ add: stringList, drop: stringList }),
  seccompProfile,
});

const container = object(
  {
    name: string,
    image: string,
    imagePullPolicy: string,
    securityContext: containerSecurityContext,
    resources: object({ requests: quantities, limits: quantities }),
    env: list(
      object({ name: string, value: secretString, valueFrom: anyObject }),
    ),
    ports: list(
      object({ containerPort: integer, name: string, protocol: string }),
    ),
    livenessProbe: anyObject,
    readinessProbe: anyObject,
    startupProbe: anyObject,
  },
  ['name'],
);

const podAffinityTerm = object({ topologyKey: string, labelSelector });

const affinity = object({
  podAntiAffinity: object({
    requiredDuringSchedulingIgnoredDuringExecution: list(podAffinityTerm),
    preferredDuringSchedulingIgnoredDuringExecution: list(
      object({ weight: integer, podAffinityTerm }),
    ),
  }),
  nodeAffinity: object({
    requiredDuringSchedulingIgnoredDuringExecution: object({
      nodeSelectorTerms: list(nodeSelectorTerm),
    }),
    preferredDuringSchedulingIgnoredDuringExecution: list(
      object({ weight: integer, preference: nodeSelectorTerm }),
    ),
  }),
});

const podSpec = object(
  {
    containers: list(container, true),
    initContainers: list(container),
    securityContext: podSecurityContext,
    hostNetwork: boolean,
    hostPID: boolean,
    hostIPC: boolean,
    volumes: list(object({ name: string, hostPath: object({ path: string }) })),
    serviceAccountName: string,
    serviceAccount: string,
    automountServiceAccountToken: boolean,
    nodeSelector: stringMap,
    tolerations: list(
      object({ key: string, operator: string, value: string, effect: string }),
    ),
    affinity,
    topologySpreadConstraints: list(
      object({
        topologyKey: string,
        labelSelector,
        maxSkew: integer,
        whenUnsatisfiable: string,
      }),
    ),
    os: object({ name: string }),
    restartPolicy: string,
  },
  ['containers'],
);

const templateMetadata = object({ labels: stringMap, annotations: stringMap });

const podTemplate = object({ metadata: templateMetadata, spec: podSpec }, [
  'spec',
]);

// ------------------------------------------------------------- kinds

const replicated = (selector: Shape) =>
  object({ replicas: count, selector, template: podTemplate }, ['template']);

/** Per kind, the shape of the object's fields besides metadata. */
const KIND_SHAPES: Readonly<Record<string, Shape>> = {
  Pod: object({ spec: podSpec }, ['spec']),
  Deployment: object({ spec: replicated(labelSelector) }, ['spec']),
  StatefulSet: object({ spec: replicated(labelSelector) }, ['spec']),
  ReplicaSet: object({ spec: replicated(labelSelector) }, ['spec']),
  ReplicationController: object({ spec: replicated(stringMap) }, ['spec']),
  DaemonSet: object(
    {
      spec: object({ selector: labelSelector, template: podTemplate }, [
        'template',
      ]),
    },
    ['spec'],
  ),
  Job: object({ spec: object({ template: podTemplate }, ['template']) }, [
    'spec',
  ]),
  CronJob: object(
    {
      spec: object(
        {
          schedule: string,
          jobTemplate: object(
            {
              metadata: templateMetadata,
              spec: object({ template: podTemplate }, ['template']),
            },
            ['spec'],
          ),
        },
        ['jobTemplate'],
      ),
    },
    ['spec'],
  ),
  Service: object({
    spec: object({
      type: string,
      selector: stringMap,
      ports: list(
        object({
          port: integer,
          targetPort: intOrString,
          name: string,
          protocol: string,
        }),
      ),
    }),
  }),
  NetworkPolicy: object({
    spec: object({
      podSelector: labelSelector,
      policyTypes: stringList,
      ingress: list(anyObject),
      egress: list(anyObject),
    }),
  }),
  PodDisruptionBudget: object({
    spec: object({
      minAvailable: intOrString,
      maxUnavailable: intOrString,
      selector: labelSelector,
    }),
  }),
  HorizontalPodAutoscaler: object({
    spec: object({
      scaleTargetRef: object({
        kind: string,
        name: string,
        apiVersion: string,
      }),
      minReplicas: integer,
      maxReplicas: integer,
    }),
  }),
  Ingress: object({
    spec: object({
      ingressClassName: string,
      tls: list(object({ hosts: stringList, secretName: string })),
      rules: list(object({ host: string })),
    }),
  }),
  IngressClass: object({ spec: object({ controller: string }) }),
  RoleBinding: binding(),
  ClusterRoleBinding: binding(),
  Role: role(),
  ClusterRole: role(),
  ResourceQuota: object({
    spec: object({ hard: quantities, scopes: stringList }),
  }),
  LimitRange: object({
    spec: object({
      limits: list(
        object({
          type: string,
          default: quantities,
          defaultRequest: quantities,
          min: quantities,
          max: quantities,
        }),
      ),
    }),
  }),
};

function binding(): Shape {
  return object({
    roleRef: object({ kind: string, name: string, apiGroup: string }),
    subjects: list(
      object({
        kind: string,
        name: string,
        namespace: string,
        apiGroup: string,
      }),
    ),
  });
}

function role(): Shape {
  return object({
    rules: list(
      object({
        verbs: stringList,
        resources: stringList,
        apiGroups: stringList,
        resourceNames: stringList,
        nonResourceURLs: stringList,
      }),
    ),
  });
}

/**
 * Checks the typed fields of an object of a known kind (see the principle at
 * the top); throws SnapshotReadError naming `file` and the path under
 * `path`. CRD kinds and kinds without typed fields the rules read pass.
 */
export function checkKindShape(
  doc: Record<string, unknown>,
  kind: string,
  file: string,
  path: string,
): void {
  const shape = KIND_SHAPES[kind];
  if (shape) shape(doc, new Walker(file, path));
}
