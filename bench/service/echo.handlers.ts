/**
 * HANDLERS_MODULE of the service benchmark: the workloads' one Lambda function answers with its input, as in the
 * in-memory benchmark, so that what is measured is the service's own cost around a task.
 */
import { ECHO_FUNCTION } from '../workloads';

/** A named export: the loader takes a CommonJS module's own functions as handlers, by name. */
export const Echo = (input: unknown): unknown => input;

// The workloads call their function ECHO_FUNCTION: this stops compiling if it ever stops being `Echo`.
const _sameName: 'Echo' = ECHO_FUNCTION;
