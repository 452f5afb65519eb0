import type { IntrinsicFunctionDefinition } from '../intrinsic-function';

/** `States.UUID()`: a version-4 UUID, from the injected port so that a replay gives the same one. */
export const statesUuid: IntrinsicFunctionDefinition = {
  name: 'States.UUID',
  parameters: [],
  evaluate: (_args, { ports }) => ports.uuid(),
};
