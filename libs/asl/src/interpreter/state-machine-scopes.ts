import type {
  MapState,
  ParallelState,
  QueryLanguage,
  StateDefinition,
  StateMachineDefinition,
} from '../definition/definition.types';

/**
 * One set of states that transition among themselves: the top level, one Parallel branch, or one Map's item
 * processor. Transitions never cross scopes, so a run only ever needs its own scope's states.
 */
export interface StateScope {
  readonly key: string;
  readonly startAt: string;
  readonly states: Readonly<Record<string, StateDefinition>>;
  /** The query language states of this scope use unless they set their own. */
  readonly queryLanguage: QueryLanguage;
}

/** Key of the top-level scope. */
export const ROOT_SCOPE = '';

/** Key of the scope of Parallel branch `index` of `stateName` inside `parent`. */
export function branchScopeKey(parent: string, stateName: string, index: number): string {
  return `${parent}/${encodeURIComponent(stateName)}#${index}`;
}

/** Key of the item processor scope of Map state `stateName` inside `parent`. */
export function processorScopeKey(parent: string, stateName: string): string {
  return `${parent}/${encodeURIComponent(stateName)}#items`;
}

/**
 * A validated definition indexed by scope, built once per definition and shared by every execution of it.
 * It holds no execution data.
 */
export class StateMachineScopes {
  private readonly scopes = new Map<string, StateScope>();

  constructor(readonly definition: StateMachineDefinition) {
    this.index(ROOT_SCOPE, definition, definition.QueryLanguage ?? 'JSONPath');
  }

  /** The scope with this key; throws when the snapshot names a scope this definition does not have. */
  scopeOrFail(key: string): StateScope {
    const scope = this.scopes.get(key);
    if (!scope) throw new Error(`The definition has no scope '${key}': the snapshot belongs to another definition`);
    return scope;
  }

  /** The state `name` of scope `key`; throws when it does not exist (a validated definition never asks for one). */
  stateOrFail(key: string, name: string): StateDefinition {
    const state = this.scopeOrFail(key).states[name];
    if (!state) throw new Error(`Scope '${key}' has no state '${name}'`);
    return state;
  }

  private index(key: string, body: StateMachineDefinition, inherited: QueryLanguage): void {
    const queryLanguage = body.QueryLanguage ?? inherited;
    this.scopes.set(key, { key, startAt: body.StartAt, states: body.States, queryLanguage });
    for (const [name, state] of Object.entries(body.States)) {
      const stateLanguage = state.QueryLanguage ?? queryLanguage;
      if (state.Type === 'Parallel') {
        (state as ParallelState).Branches.forEach((branch, i) =>
          this.index(branchScopeKey(key, name, i), branch, stateLanguage),
        );
      } else if (state.Type === 'Map') {
        const processor = (state as MapState).ItemProcessor ?? (state as MapState).Iterator;
        if (processor) this.index(processorScopeKey(key, name), processor, stateLanguage);
      }
    }
  }
}
