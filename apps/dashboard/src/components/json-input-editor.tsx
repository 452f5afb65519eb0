import { useId } from 'react';

/** Whether the text is JSON, and where it is not. */
export function jsonProblem(text: string): string | undefined {
  try {
    JSON.parse(text);
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

/**
 * A JSON editor that says what is wrong while the user types; the form using it refuses to send until the text
 * parses (`jsonProblem`), so the API never sees an invalid input from the dashboard.
 */
export function JsonInputEditor(props: {
  label: string;
  value: string;
  onChange: (value: string) => void;
  testId: string;
  rows?: number;
}) {
  const id = useId();
  const problem = jsonProblem(props.value);
  return (
    <div className="field">
      <label htmlFor={id}>{props.label}</label>
      <textarea
        id={id}
        className={`json-editor${problem === undefined ? '' : ' invalid'}`}
        data-testid={props.testId}
        value={props.value}
        rows={props.rows ?? 12}
        spellCheck={false}
        aria-invalid={problem !== undefined}
        onChange={(event) => props.onChange(event.target.value)}
      />
      {problem === undefined ? null : (
        <p className="field-error" role="alert" data-testid="input-error">
          Not valid JSON: {problem}
        </p>
      )}
    </div>
  );
}
