import { type FormEvent, useState } from 'react';
import { startExecution } from '../api/rest-client';
import { asError } from '../use-resource';
import { JsonInputEditor, jsonProblem } from './json-input-editor';

/** StartExecution with a name (optional) and a JSON input that must parse before it is sent. */
export function StartExecutionDialog(props: {
  stateMachineArn: string;
  onStarted: (executionArn: string) => void;
  onClose: () => void;
}) {
  const [name, setName] = useState('');
  const [input, setInput] = useState('{\n  \n}');
  const [sending, setSending] = useState(false);
  const [refusal, setRefusal] = useState<string>();
  const invalid = jsonProblem(input) !== undefined;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (invalid) return;
    setSending(true);
    setRefusal(undefined);
    try {
      const { executionArn } = await startExecution(props.stateMachineArn, input, name.trim());
      props.onStarted(executionArn);
    } catch (error) {
      setRefusal(asError(error).message);
      setSending(false);
    }
  };

  return (
    <div className="dialog-backdrop" role="presentation" onClick={props.onClose}>
      <form
        className="dialog card"
        role="dialog"
        aria-modal="true"
        aria-label="Start execution"
        onSubmit={submit}
        onClick={(event) => event.stopPropagation()}
      >
        <h2>Start execution</h2>
        <div className="field">
          <label htmlFor="execution-name">Name (optional: a unique one is generated)</label>
          <input
            id="execution-name"
            data-testid="execution-name-input"
            value={name}
            maxLength={80}
            onChange={(event) => setName(event.target.value)}
          />
        </div>
        <JsonInputEditor label="Input" value={input} onChange={setInput} testId="execution-input-editor" />
        {refusal === undefined ? null : (
          <p className="field-error" role="alert">
            {refusal}
          </p>
        )}
        <div className="dialog-actions">
          <button type="button" onClick={props.onClose}>
            Cancel
          </button>
          <button type="submit" className="primary" data-testid="start-execution-submit" disabled={invalid || sending}>
            {sending ? 'Starting…' : 'Start execution'}
          </button>
        </div>
      </form>
    </div>
  );
}
