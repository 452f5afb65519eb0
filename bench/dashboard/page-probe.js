/* global window, document, performance, PerformanceObserver, MutationObserver, requestAnimationFrame */
'use strict';
/**
 * Runs in the page before the dashboard's own scripts (Playwright's addInitScript), so that it sees the whole load.
 * Times are the page's own clock, performance.now(), whose zero is the navigation's start.
 *
 * Plain JavaScript on purpose: a TypeScript function handed to the browser goes through the runner's transform
 * first, which may wrap inner functions in helpers that do not exist in the page.
 */
(() => {
  const USABLE = '[data-testid=execution-detail][data-ready=true]';
  const ROW = '[data-testid=event-row]';
  const TABLE = '[data-testid=event-table]';

  const probe = {
    /** When the usable state was first in the DOM (a MutationObserver saw it). */
    domUsableAt: undefined,
    /** Two animation frames later: the first frame showing it has been painted. This is the figure reported. */
    usableAt: undefined,
    /** Every long task (main thread busy over 50 ms) since the navigation started. */
    longTasks: [],
  };
  window.__dashboardProbe = probe;

  new PerformanceObserver((list) => {
    for (const entry of list.getEntries())
      probe.longTasks.push({ startTime: entry.startTime, duration: entry.duration });
  }).observe({ type: 'longtask', buffered: true });

  const frame = () => new Promise((resolve) => requestAnimationFrame(resolve));

  const observer = new MutationObserver(() => {
    if (probe.domUsableAt !== undefined) return;
    if (document.querySelector(USABLE) === null || document.querySelector(ROW) === null) return;
    probe.domUsableAt = performance.now();
    observer.disconnect();
    void frame()
      .then(frame)
      .then(() => {
        probe.usableAt = performance.now();
      });
  });
  observer.observe(document, { childList: true, subtree: true, attributes: true, attributeFilter: ['data-ready'] });

  /** What the load cost until usable: the document, the history's requests (how many, when the last ended), long tasks. */
  probe.loadFigures = () => {
    const navigation = performance.getEntriesByType('navigation')[0];
    // Only those the usable view waited for: a running view's refreshes go on after it.
    const history = performance
      .getEntriesByType('resource')
      .filter((entry) => /\/history(\?|$)/.test(entry.name) && entry.responseEnd <= probe.usableAt);
    const tasks = probe.longTasks.filter((task) => task.startTime <= probe.usableAt);
    return {
      usableMs: probe.usableAt,
      domUsableMs: probe.domUsableAt,
      domContentLoadedMs: navigation ? navigation.domContentLoadedEventEnd : undefined,
      historyRequests: history.length,
      historyLoadedMs: Math.max(0, ...history.map((entry) => entry.responseEnd)),
      longTaskCount: tasks.length,
      longTaskMaxMs: Math.max(0, ...tasks.map((task) => task.duration)),
      eventCountText: (document.querySelector('[data-testid=event-count]') || {}).textContent,
    };
  };

  /**
   * Scrolls the event table from top to bottom in `steps` equal jumps, one per animation frame, and reports the
   * intervals between frames (over 16.7 ms is a dropped frame at 60 Hz), the long tasks meanwhile, and what the
   * table shows at the bottom: how many rows are in the DOM (a virtualised table keeps only the visible ones).
   */
  probe.scrollEventTable = async (steps) => {
    const table = document.querySelector(TABLE);
    if (table === null) throw new Error(`no ${TABLE} in the page`);
    table.scrollTop = 0;
    await frame();
    const start = performance.now();
    const frameIntervals = [];
    let last = await frame();
    for (let step = 1; step <= steps; step++) {
      // The bottom is recomputed each step: a table measuring its rows as they appear may grow while it scrolls.
      table.scrollTop = Math.ceil(((table.scrollHeight - table.clientHeight) * step) / steps);
      const now = await frame();
      frameIntervals.push(now - last);
      last = now;
    }
    // Rows measured on the way may have changed the table's height: follow the bottom until it stays put.
    let settleFrames = 0;
    while (table.scrollTop + table.clientHeight < table.scrollHeight - 2 && settleFrames < 30) {
      table.scrollTop = table.scrollHeight;
      const now = await frame();
      frameIntervals.push(now - last);
      last = now;
      settleFrames++;
    }
    const durationMs = performance.now() - start;
    // Long-task entries are delivered after the task; give them a moment to arrive.
    await new Promise((resolve) => setTimeout(resolve, 100));
    const tasks = probe.longTasks.filter((task) => task.startTime >= start);
    const ids = Array.from(document.querySelectorAll(ROW), (row) => Number(row.getAttribute('data-event-id')));
    return {
      durationMs,
      frameIntervals,
      settleFrames,
      longTaskCount: tasks.length,
      longTaskMaxMs: Math.max(0, ...tasks.map((task) => task.duration)),
      rowsInDom: ids.length,
      firstIdShown: Math.min(...ids),
      lastIdShown: Math.max(...ids),
    };
  };
})();
