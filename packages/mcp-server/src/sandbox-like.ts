import type { Sandbox } from '@jsbox/unified';

/** The part of a `@jsbox/unified` {@link Sandbox} the server uses (tests may pass their own). */
export type SandboxLike = Pick<Sandbox, 'execute' | 'describe'>;
