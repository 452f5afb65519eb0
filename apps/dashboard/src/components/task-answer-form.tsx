import { type FormEvent, useState } from 'react';
import { sendTaskFailure, sendTaskSuccess, type WaitingTask } from '../api/rest-client';
import { asError } from '../use-resource';
import { JsonInputEditor, jsonProblem } from './json-input-editor';

/**
 * Answers a `.waitForTaskToken` task as the external system would: SendTaskSuccess with a JSON output, or
 * SendTaskFailure with an error and cause.
 */
export function TaskAnswerForm({ task, onAnswered }: { task: WaitingTask; onAnswered: () => void }) {
  const [output, setOutput] = useState('{\n  \n}');
  const [error, setError] = useState('');
  const [cause, setCause] = useState('');
  const [sending, setSending] = useState(false);
  const [refusal, setRefusal] = useState<string>();

  const send = (answer: () => Promise<unknown>) => async (event?: FormEvent) => {
    event?.preventDefault();
    setSending(true);
    setRefusal(undefined);
    try {
      await answer();
      onAnswered();
    } catch (problem) {
      setRefusal(asError(problem).message);
    } finally {
      setSending(false);
    }
  };

  return (
    <form
      className="task-answer"
      data-testid="task-answer"
      onSubmit={send(() => sendTaskSuccess(task.taskToken, output))}
    >
      <h3>Waiting for a task token</h3>
      <p className="hint">
        The task <code>{task.resource}</code> waits for SendTaskSuccess or SendTaskFailure with its token.
      </p>
      <JsonInputEditor
        label="Output (SendTaskSuccess)"
        value={output}
        onChange={setOutput}
        testId="task-success-output"
        rows={6}
      />
      <button
        type="submit"
        className="primary"
        data-testid="send-task-success"
        disabled={sending || jsonProblem(output) !== undefined}
      >
        Send task success
      </button>
      <div className="field">
        <label htmlFor="task-failure-error">Error (SendTaskFailure)</label>
        <input
          id="task-failure-error"
          data-testid="task-failure-error"
          value={error}
          maxLength={256}
          onChange={(e) => setError(e.target.value)}
        />
      </div>
      <div className="field">
        <label htmlFor="task-failure-cause">Cause</label>
        <textarea
          id="task-failure-cause"
          data-testid="task-failure-cause"
          value={cause}
          rows={3}
          maxLength={32_768}
          onChange={(e) => setCause(e.target.value)}
        />
      </div>
      <button
        type="button"
        className="danger"
        data-testid="send-task-failure"
        disabled={sending}
        onClick={() => void send(() => sendTaskFailure(task.taskToken, error, cause))()}
      >
        Send task failure
      </button>
      {refusal === undefined ? null : (
        <p className="field-error" role="alert">
          {refusal}
        </p>
      )}
    </form>
  );
}
