/** The value of JSON text (a definition), or undefined when there is none or it does not parse. */
export function parseJsonOrUndefined(text: string | undefined): unknown {
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** JSON text shown pretty-printed; text that is not JSON is shown as it is. */
export function prettyJson(text: string | undefined): string {
  if (text === undefined) return '';
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}

export function JsonBlock({
  text,
  testId,
  empty = '—',
}: {
  text: string | undefined;
  testId?: string;
  empty?: string;
}) {
  return (
    <pre className="json" data-testid={testId}>
      {text === undefined ? empty : prettyJson(text)}
    </pre>
  );
}
