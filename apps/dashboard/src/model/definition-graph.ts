/**
 * A state machine definition as a graph to draw: one node per state, nested inside the Parallel branch or Map
 * processor it belongs to, and one edge per transition (Next, Choice rules and Default, Catch).
 *
 * The definition comes from the API as parsed JSON and is drawn even when it is malformed: whatever has the shape
 * of a state is drawn, transitions to states that do not exist in their scope are left out, and nothing throws.
 */

export type GraphNodeKind = 'start' | 'end' | 'state' | 'branch';

export interface GraphNode {
  /**
   * A state's name (unique across the whole definition, nested states included), `__start`/`__end` for the
   * top-level markers, `${parallelName}#${i}` for branch i of a Parallel state.
   */
  id: string;
  kind: GraphNodeKind;
  /** The state's name, `Start`, `End` or `Branch 1`. */
  label: string;
  /** The state's ASL Type. */
  stateType?: string;
  /** A Task state's Resource. */
  resource?: string;
  /** The enclosing Map state or Parallel branch node. */
  parentId?: string;
  /** Parallel states (contain their branches), branches (contain their states) and Map states (their processor). */
  isGroup: boolean;
}

export type GraphEdgeKind = 'next' | 'choice' | 'default' | 'catch';

export interface GraphEdge {
  id: string;
  source: string;
  target: string;
  kind: GraphEdgeKind;
  /** A catcher's ErrorEquals, or a short text of a Choice rule. */
  label?: string;
}

/** Nodes list parents before their children, as React Flow requires. */
export interface DefinitionGraph {
  nodes: GraphNode[];
  edges: GraphEdge[];
}

const START_NODE_ID = '__start';
const END_NODE_ID = '__end';

/** Longer Choice rule texts are cut: an edge label has to fit beside the edge. */
const MAX_RULE_LABEL = 40;

/** The graph of a parsed ASL definition. */
export function definitionGraph(definition: unknown): DefinitionGraph {
  const graph: DefinitionGraph = { nodes: [], edges: [] };
  const top = asRecord(definition);
  if (top === undefined) return graph;
  const builder = new GraphBuilder(graph);
  const startAt = builder.addScope(top, undefined);
  if (startAt !== undefined) {
    graph.nodes.unshift({ id: START_NODE_ID, kind: 'start', label: 'Start', isGroup: false });
    builder.addEdge(START_NODE_ID, startAt, 'next');
  }
  // The end marker is drawn only when a state reaches it: a machine that loops forever has no end.
  if (builder.endSources.length > 0) {
    graph.nodes.push({ id: END_NODE_ID, kind: 'end', label: 'End', isGroup: false });
    for (const source of builder.endSources) builder.addEdge(source, END_NODE_ID, 'next');
  }
  return graph;
}

class GraphBuilder {
  /** Top-level states that end the execution. */
  readonly endSources: string[] = [];
  private readonly ids = new Set<string>();
  private readonly edgeIds = new Set<string>();

  constructor(private readonly graph: DefinitionGraph) {}

  /**
   * Adds the states of one scope (the top level, a branch, a Map processor) and their transitions; returns the
   * scope's StartAt when it names one of its states.
   */
  addScope(body: Record<string, unknown>, parentId: string | undefined): string | undefined {
    const states = asRecord(body['States']);
    if (states === undefined) return undefined;
    // A malformed definition may reuse a nested state's name: the first keeps the id, the others are not drawn.
    const scope = new Map<string, Record<string, unknown>>();
    for (const [name, value] of Object.entries(states)) {
      const state = asRecord(value);
      if (state === undefined || this.ids.has(name)) continue;
      scope.set(name, state);
      this.addState(name, state, parentId);
    }
    for (const [name, state] of scope) this.addTransitions(name, state, scope, parentId === undefined);
    const startAt = body['StartAt'];
    return typeof startAt === 'string' && scope.has(startAt) ? startAt : undefined;
  }

  addEdge(source: string, target: string, kind: GraphEdgeKind, label?: string): void {
    // Two transitions between the same states (a Choice rule and the Default) are two edges.
    const base = `${source}->${target}:${kind}`;
    let id = base;
    for (let n = 2; this.edgeIds.has(id); n++) id = `${base}:${n}`;
    this.edgeIds.add(id);
    this.graph.edges.push(label === undefined ? { id, source, target, kind } : { id, source, target, kind, label });
  }

  private addState(name: string, state: Record<string, unknown>, parentId: string | undefined): void {
    const type = typeof state['Type'] === 'string' ? state['Type'] : undefined;
    const isGroup = type === 'Parallel' || type === 'Map';
    const node: GraphNode = { id: name, kind: 'state', label: name, isGroup };
    if (type !== undefined) node.stateType = type;
    if (type === 'Task' && typeof state['Resource'] === 'string') node.resource = state['Resource'];
    if (parentId !== undefined) node.parentId = parentId;
    this.ids.add(name);
    this.graph.nodes.push(node);

    if (type === 'Parallel' && Array.isArray(state['Branches'])) {
      state['Branches'].forEach((branch: unknown, i) => {
        const branchId = `${name}#${i}`;
        if (this.ids.has(branchId)) return;
        this.ids.add(branchId);
        this.graph.nodes.push({
          id: branchId,
          kind: 'branch',
          label: `Branch ${i + 1}`,
          parentId: name,
          isGroup: true,
        });
        const body = asRecord(branch);
        if (body !== undefined) this.addScope(body, branchId);
      });
    } else if (type === 'Map') {
      // ItemProcessor replaced Iterator; definitions written before it still run.
      const processor = asRecord(state['ItemProcessor']) ?? asRecord(state['Iterator']);
      if (processor !== undefined) this.addScope(processor, name);
    }
  }

  private addTransitions(
    name: string,
    state: Record<string, unknown>,
    scope: ReadonlyMap<string, unknown>,
    topLevel: boolean,
  ): void {
    const to = (target: unknown, kind: GraphEdgeKind, label?: string): void => {
      if (typeof target === 'string' && scope.has(target)) this.addEdge(name, target, kind, label);
    };
    const type = state['Type'];
    if (type === 'Choice') {
      if (Array.isArray(state['Choices'])) {
        state['Choices'].forEach((rule: unknown, i) =>
          to(asRecord(rule)?.['Next'], 'choice', choiceRuleLabel(rule, i)),
        );
      }
      to(state['Default'], 'default', 'Default');
    } else {
      to(state['Next'], 'next');
    }
    if (Array.isArray(state['Catch'])) {
      for (const catcher of state['Catch']) {
        const record = asRecord(catcher);
        const errors = Array.isArray(record?.['ErrorEquals'])
          ? record['ErrorEquals'].filter((e) => typeof e === 'string')
          : [];
        to(record?.['Next'], 'catch', errors.length > 0 ? errors.join(', ') : 'Catch');
      }
    }
    if (topLevel && (state['End'] === true || type === 'Succeed' || type === 'Fail')) this.endSources.push(name);
  }
}

/** Operators of JSONPath Choice rules, as the comparison they stand for. */
const COMPARISONS: Readonly<Record<string, string>> = {
  Equals: '==',
  LessThan: '<',
  GreaterThan: '>',
  LessThanEquals: '<=',
  GreaterThanEquals: '>=',
};

/**
 * A short text for a Choice rule: its Comment when it has one (the author's own words), else the condition
 * (`$.score >= 80`, `{% … %}` without its delimiters), cut to fit; `Rule n` when nothing can be said.
 */
function choiceRuleLabel(rule: unknown, index: number): string {
  const record = asRecord(rule);
  const text = typeof record?.['Comment'] === 'string' ? record['Comment'] : ruleText(record);
  if (text === undefined || text.trim() === '') return `Rule ${index + 1}`;
  return text.length > MAX_RULE_LABEL ? `${text.slice(0, MAX_RULE_LABEL - 1)}…` : text;
}

function ruleText(rule: Record<string, unknown> | undefined): string | undefined {
  if (rule === undefined) return undefined;
  const condition = rule['Condition'];
  if (typeof condition === 'string') return condition.replace(/^\s*\{%\s*/, '').replace(/\s*%\}\s*$/, '');
  if (typeof condition === 'boolean') return String(condition);
  for (const [combinator, joiner] of [
    ['And', ' and '],
    ['Or', ' or '],
  ] as const) {
    const operands = rule[combinator];
    if (Array.isArray(operands)) {
      const texts = operands.map((operand) => ruleText(asRecord(operand)));
      return texts.every((t) => t !== undefined) ? texts.map((t) => `(${t})`).join(joiner) : undefined;
    }
  }
  if (rule['Not'] !== undefined) {
    const inner = ruleText(asRecord(rule['Not']));
    return inner === undefined ? undefined : `not (${inner})`;
  }
  const variable = rule['Variable'];
  if (typeof variable !== 'string') return undefined;
  for (const [operator, operand] of Object.entries(rule)) {
    const test = comparisonText(operator, operand);
    if (test !== undefined) return `${variable} ${test}`;
  }
  return undefined;
}

/** `== "x"`, `>= $.limit`, `matches "a*"`, `is present`… for one operator field of a rule. */
function comparisonText(operator: string, operand: unknown): string | undefined {
  const byPath = operator.endsWith('Path') && operator !== 'Variable';
  const name = byPath ? operator.slice(0, -'Path'.length) : operator;
  const value = byPath ? String(operand) : JSON.stringify(operand);
  if (name === 'IsPresent') return operand === true ? 'is present' : 'is absent';
  if (name.startsWith('Is')) {
    const what = name.slice('Is'.length).toLowerCase();
    return operand === true ? `is ${what}` : `is not ${what}`;
  }
  if (name === 'StringMatches') return `matches ${value}`;
  const comparison =
    /^(?:String|Numeric|Boolean|Timestamp)(Equals|LessThan|GreaterThan|LessThanEquals|GreaterThanEquals)$/.exec(name);
  const symbol = comparison?.[1] === undefined ? undefined : COMPARISONS[comparison[1]];
  return symbol === undefined ? undefined : `${symbol} ${value}`;
}

function asRecord(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}
