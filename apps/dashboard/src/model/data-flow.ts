/**
 * The data flow through one run of a state, as the console's "Advanced" view shows it: what came in, what
 * InputPath kept, what the task was given, what it returned, and what the state passed on. Every value is read
 * from the history except InputPath's, which is evaluated again here with the interpreter's own JSONPath.
 */
import type { EvaluationContext, JsonValue } from '@lib/asl';
// The JSONPath module alone: the package's index would also bring JSONata into the browser bundle.
import { evaluateJsonPath } from '../../../../libs/asl/src/paths/json-path';
import type { StateRun } from './state-runs';

export interface DataFlowStep {
  label: string;
  /** JSON text, pretty-printed (or as recorded when it is not JSON). */
  value?: string;
  note?: string;
}

/**
 * The context object and variables a run saw are not in the history, so paths that read them are not evaluated
 * (see {@link inputPathStep}); these stand-ins only complete the evaluator's arguments.
 */
const NO_CONTEXT: EvaluationContext = {
  contextObject: {},
  variables: { get: () => undefined },
  ports: { uuid: () => '00000000-0000-4000-8000-000000000000', random: () => 0 },
};

/** The steps, in order; steps whose value the history does not have are left out. Never throws. */
export function stateDataFlow(run: StateRun, state: unknown): DataFlowStep[] {
  const definition =
    typeof state === 'object' && state !== null && !Array.isArray(state) ? (state as Record<string, unknown>) : {};
  const steps: DataFlowStep[] = [];
  if (run.input !== undefined) steps.push(jsonStep('Input', run.input));
  const afterInputPath = inputPathStep(run.input, definition['InputPath']);
  if (afterInputPath !== undefined) steps.push(afterInputPath);
  if (run.parameters !== undefined) {
    // JSONata states give their task Arguments; JSONPath states Parameters (or the input as is, when absent).
    const label = definition['Arguments'] !== undefined ? 'Arguments' : 'Parameters';
    const note =
      definition['Arguments'] === undefined && definition['Parameters'] === undefined
        ? 'The state has no Parameters: the task received its input as it was.'
        : undefined;
    steps.push(jsonStep(label, run.parameters, note));
  }
  if (run.result !== undefined) {
    const shaping = ['ResultSelector', 'ResultPath', 'OutputPath', 'Output'].filter(
      (field) => definition[field] !== undefined,
    );
    const note = shaping.length > 0 ? `Before ${shaping.join(', ')}.` : undefined;
    steps.push(jsonStep('Result', run.result, note));
  }
  if (run.output !== undefined) {
    const note =
      run.status === 'caught' ? `The output of the Catch that handled ${run.error ?? 'the error'}.` : undefined;
    steps.push(jsonStep('Output', run.output, note));
  }
  return steps;
}

/**
 * The state input after InputPath (JSONPath states only: JSONata states have no InputPath). Absent or `$`
 * changes nothing and is not shown; `null` gives `{}`, as the spec says.
 */
function inputPathStep(input: string | undefined, inputPath: unknown): DataFlowStep | undefined {
  const label = 'After InputPath';
  if (inputPath === undefined || inputPath === '$') return undefined;
  if (inputPath === null) return { label, value: '{}', note: 'InputPath is null: the state input is an empty object.' };
  if (typeof inputPath !== 'string' || input === undefined) return undefined;
  if (/^\$(?:\$|[^.[])/.test(inputPath)) {
    return { label, note: `${inputPath} reads the context object or a variable, which the history does not record.` };
  }
  let parsed: JsonValue;
  try {
    parsed = JSON.parse(input) as JsonValue;
  } catch {
    return { label, note: `The input is not JSON: ${inputPath} cannot be applied.` };
  }
  try {
    return { label, value: pretty(evaluateJsonPath(inputPath, parsed, NO_CONTEXT)), note: `InputPath: ${inputPath}` };
  } catch (e) {
    return { label, note: `InputPath ${inputPath} failed: ${e instanceof Error ? e.message : String(e)}` };
  }
}

/** A step showing JSON text pretty-printed, or as recorded (and said so) when it does not parse. */
function jsonStep(label: string, text: string, note?: string): DataFlowStep {
  try {
    const value = pretty(JSON.parse(text) as JsonValue);
    return note === undefined ? { label, value } : { label, value, note };
  } catch {
    const notJson = 'Not valid JSON: shown as recorded.';
    return { label, value: text, note: note === undefined ? notJson : `${note} ${notJson}` };
  }
}

function pretty(value: JsonValue): string {
  return JSON.stringify(value, null, 2);
}
