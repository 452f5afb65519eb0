import { useVirtualizer } from '@tanstack/react-virtual';
import { useMemo, useRef, useState } from 'react';
import type { IndexedEvent } from '../model/state-runs';
import { formatDuration } from './page-status';

const ROW_HEIGHT = 32;

/**
 * The execution event history as the console lists it (ID, Type, Step, Resource) plus timestamp and elapsed time.
 * Only the rows in view are in the DOM, so a history of tens of thousands of events scrolls as smoothly as one of
 * ten; a row opens to its details JSON.
 */
export function EventTable(props: {
  events: readonly IndexedEvent[];
  eventTypes: readonly string[];
  onSelectState?: (stateName: string) => void;
}) {
  const [typeFilter, setTypeFilter] = useState('');
  const [failedOnly, setFailedOnly] = useState(false);
  const [expanded, setExpanded] = useState<ReadonlySet<number>>(new Set());
  const scroller = useRef<HTMLDivElement>(null);

  const shown = useMemo(
    () =>
      props.events.filter(
        (indexed) => (typeFilter === '' || indexed.event.type === typeFilter) && (!failedOnly || indexed.failed),
      ),
    [props.events, typeFilter, failedOnly],
  );

  const virtualizer = useVirtualizer({
    count: shown.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_HEIGHT,
    getItemKey: (index) => shown[index]?.event.id ?? index,
    overscan: 12,
  });

  const toggle = (id: number) =>
    setExpanded((open) => {
      const next = new Set(open);
      if (!next.delete(id)) next.add(id);
      return next;
    });

  return (
    <div className="event-history card">
      <div className="event-toolbar">
        <h2>Events</h2>
        <span data-testid="event-count">
          {shown.length === props.events.length
            ? `${props.events.length} events`
            : `${shown.length} of ${props.events.length} events`}
        </span>
        <label>
          Type
          <select data-testid="event-type-filter" value={typeFilter} onChange={(e) => setTypeFilter(e.target.value)}>
            <option value="">All types</option>
            {props.eventTypes.map((type) => (
              <option key={type} value={type}>
                {type}
              </option>
            ))}
          </select>
        </label>
        <label className="checkbox">
          <input
            type="checkbox"
            data-testid="failed-only"
            checked={failedOnly}
            onChange={(e) => setFailedOnly(e.target.checked)}
          />
          Failed only
        </label>
      </div>
      <div className="event-header event-columns" role="row">
        <span role="columnheader">ID</span>
        <span role="columnheader">Type</span>
        <span role="columnheader">Step</span>
        <span role="columnheader">Resource</span>
        <span role="columnheader">Timestamp</span>
        <span role="columnheader">Elapsed</span>
      </div>
      <div
        className="event-scroller"
        ref={scroller}
        data-testid="event-table"
        role="table"
        aria-rowcount={shown.length}
      >
        <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
          {virtualizer.getVirtualItems().map((item) => {
            const indexed = shown[item.index];
            if (indexed === undefined) return null;
            const { event } = indexed;
            const open = expanded.has(event.id);
            return (
              <div
                key={item.key}
                data-index={item.index}
                ref={virtualizer.measureElement}
                className={`event-row${indexed.failed ? ' failed' : ''}${open ? ' open' : ''}`}
                style={{ position: 'absolute', top: 0, left: 0, right: 0, transform: `translateY(${item.start}px)` }}
                data-testid="event-row"
                data-event-id={event.id}
                data-event-type={event.type}
                role="row"
              >
                <div
                  className="event-columns event-summary"
                  role="button"
                  tabIndex={0}
                  aria-expanded={open}
                  onClick={() => toggle(event.id)}
                  onKeyDown={(e) => {
                    if (e.key !== 'Enter' && e.key !== ' ') return;
                    e.preventDefault();
                    toggle(event.id);
                  }}
                >
                  <span>{event.id}</span>
                  <span className="event-type">{event.type}</span>
                  <span>
                    {indexed.stateName === undefined ? null : (
                      <a
                        href="#step"
                        onClick={(e) => {
                          e.preventDefault();
                          e.stopPropagation();
                          props.onSelectState?.(indexed.stateName as string);
                        }}
                      >
                        {indexed.stateName}
                      </a>
                    )}
                  </span>
                  <span className="resource" title={indexed.resource}>
                    {indexed.resource}
                  </span>
                  <span>{formatTimestamp(event.timestamp)}</span>
                  <span>{formatDuration(indexed.elapsedMs)}</span>
                </div>
                {open ? (
                  <pre className="json event-details" data-testid="event-details">
                    {JSON.stringify(event, null, 2)}
                  </pre>
                ) : null}
              </div>
            );
          })}
        </div>
      </div>
    </div>
  );
}

function formatTimestamp(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const time = date.toLocaleTimeString(undefined, { hour12: false });
  return `${date.toLocaleDateString()} ${time}.${String(date.getMilliseconds()).padStart(3, '0')}`;
}
