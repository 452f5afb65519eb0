import type { QueryLanguage } from '../definition/definition.types';
import type { Diagnostic, DiagnosticCode } from './diagnostic';
import { toJsonPointer } from './diagnostic';

/** The kind of state machine a definition is created as; some features exist only for STANDARD. */
export type StateMachineType = 'STANDARD' | 'EXPRESS';

/** Options for {@link validateDefinition}. Everything is optional: the defaults check what AWS checks. */
export interface ValidationOptions {
  /**
   * Check the definition as a state machine of this type. `EXPRESS` adds the Express restrictions (no `.sync` or
   * `.waitForTaskToken` integrations, no activities). Default: `STANDARD`.
   */
  readonly stateMachineType?: StateMachineType;
}

/** A JSON pointer kept as segments while walking, turned into a string only when a diagnostic is reported. */
export type PathSegments = readonly (string | number)[];

/** What every check needs: where to put diagnostics and the facts that hold for the whole definition. */
export class ValidationContext {
  readonly diagnostics: Diagnostic[] = [];

  constructor(
    readonly options: ValidationOptions,
    /** The top-level `QueryLanguage`; states that set none inherit it (not their enclosing Map or Parallel's). */
    readonly topLevelQueryLanguage: QueryLanguage,
  ) {}

  /** Records a problem at `segments` (turned into an RFC 6901 pointer here, once). */
  report(code: DiagnosticCode, message: string, segments: PathSegments): void {
    this.diagnostics.push({ code, message, location: toJsonPointer(segments) });
  }
}
