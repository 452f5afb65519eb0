/**
 * The definition object of the state named `name`, wherever it is nested (Parallel branches, Map processors):
 * state names are unique across a whole definition, so the name alone identifies it.
 */
export function findStateDefinition(definition: unknown, name: string): Record<string, unknown> | undefined {
  const states = asRecord(asRecord(definition)?.States);
  if (states === undefined) return undefined;
  const found = asRecord(states[name]);
  if (found !== undefined) return found;
  for (const state of Object.values(states)) {
    const record = asRecord(state);
    if (record === undefined) continue;
    const nested = [...(Array.isArray(record.Branches) ? record.Branches : []), record.ItemProcessor, record.Iterator];
    for (const scope of nested) {
      const inner = findStateDefinition(scope, name);
      if (inner !== undefined) return inner;
    }
  }
  return undefined;
}

function asRecord(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}
