import type { HistoryEvent } from '@lib/asl';
import { useCallback, useEffect, useRef, useState } from 'react';
import {
  describeExecution,
  describeStateMachineForExecution,
  type ExecutionDescription,
  listWaitingTasks,
  loadHistory,
  loadHistorySince,
  type ExecutionStateMachine,
  type WaitingTask,
} from '../api/rest-client';
import { asError } from '../use-resource';

/** How often a running execution is asked again. */
const REFRESH_MS = 1500;
/** How often a history still loading page after page is redrawn. */
const SHOW_LOADING_MS = 400;

export interface ExecutionData {
  execution?: ExecutionDescription;
  stateMachine?: ExecutionStateMachine;
  events: readonly HistoryEvent[];
  /** Every event up to the last refresh is loaded (the first load can take several pages). */
  historyComplete: boolean;
  waitingTasks: readonly WaitingTask[];
  error?: Error;
  /** Asks again now, after an action (stop, a task answered) changed the execution. */
  refresh: () => void;
}

/**
 * An execution, its state machine and its whole history, kept up to date while it runs: the history is read once
 * in pages (shown as they arrive), then only the new events are read at each refresh.
 */
export function useExecution(executionArn: string): ExecutionData {
  const [execution, setExecution] = useState<ExecutionDescription>();
  const [stateMachine, setStateMachine] = useState<ExecutionStateMachine>();
  const [events, setEvents] = useState<readonly HistoryEvent[]>([]);
  const [historyComplete, setHistoryComplete] = useState(false);
  const [waitingTasks, setWaitingTasks] = useState<readonly WaitingTask[]>([]);
  const [error, setError] = useState<Error>();
  const wake = useRef<() => void>(() => undefined);

  useEffect(() => {
    const controller = new AbortController();
    const { signal } = controller;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let loaded: HistoryEvent[] = [];

    const follow = async () => {
      const described = await describeExecution(executionArn, signal);
      const running = described.status === 'RUNNING';
      const [newer, tasks] = await Promise.all([
        loadHistorySince(executionArn, loaded.at(-1)?.id ?? 0, signal),
        running ? listWaitingTasks(executionArn, signal) : Promise.resolve({ tasks: [] }),
      ]);
      if (signal.aborted) return;
      if (newer.length > 0) {
        loaded = [...loaded, ...newer];
        setEvents(loaded);
      }
      setExecution(described);
      setWaitingTasks(tasks.tasks);
      setError(undefined);
      // A finished execution's history no longer changes: the read above was the last one needed.
      if (running) timer = setTimeout(tick, REFRESH_MS);
    };
    const tick = () => {
      clearTimeout(timer);
      follow().catch((problem: unknown) => {
        if (signal.aborted) return;
        setError(asError(problem));
        timer = setTimeout(tick, REFRESH_MS * 2);
      });
    };
    wake.current = tick;

    (async () => {
      // The three reads are independent: the definition and the first history page load while the header shows.
      describeStateMachineForExecution(executionArn, signal).then(
        (machine) => signal.aborted || setStateMachine(machine),
        (problem: unknown) => signal.aborted || setError(asError(problem)),
      );
      // The first page is shown at once; later ones at most every SHOW_LOADING_MS. Drawing a growing history after
      // every page would keep the main thread busy while the next page waits to be read.
      let shownAt = 0;
      const history = loadHistory(executionArn, signal, (page) => {
        if (signal.aborted || (shownAt !== 0 && performance.now() - shownAt < SHOW_LOADING_MS)) return;
        shownAt = performance.now();
        setEvents(page.slice());
      });
      history.catch(() => undefined); // awaited below; a failure of the describe must not leave it unhandled
      const described = await describeExecution(executionArn, signal);
      setExecution(described);
      loaded = await history;
      if (signal.aborted) return;
      setEvents(loaded);
      setHistoryComplete(true);
      // Once more even when it had finished: it may have finished after the history was read.
      tick();
    })().catch((problem: unknown) => signal.aborted || setError(asError(problem)));

    return () => {
      controller.abort();
      clearTimeout(timer);
      wake.current = () => undefined;
    };
  }, [executionArn]);

  const refresh = useCallback(() => wake.current(), []);
  return {
    ...(execution === undefined ? {} : { execution }),
    ...(stateMachine === undefined ? {} : { stateMachine }),
    events,
    historyComplete,
    waitingTasks,
    ...(error === undefined ? {} : { error }),
    refresh,
  };
}
