import { describe, expect, it } from 'vitest';
import { type DefinitionGraph, definitionGraph } from './definition-graph';
import { bankingDefinition, lambda } from './execution-histories.fixture';

const edgesOf = (graph: DefinitionGraph) =>
  graph.edges.map(({ source, target, kind, label }) => [source, target, kind, label]);

/** React Flow needs every parent listed before its children. */
function expectParentsFirst(graph: DefinitionGraph): void {
  const seen = new Set<string>();
  for (const node of graph.nodes) {
    if (node.parentId !== undefined)
      expect(seen, `${node.id} before its parent ${node.parentId}`).toContain(node.parentId);
    seen.add(node.id);
  }
}

function expectUniqueIds(graph: DefinitionGraph): void {
  expect(new Set(graph.nodes.map((n) => n.id)).size).toBe(graph.nodes.length);
  expect(new Set(graph.edges.map((e) => e.id)).size).toBe(graph.edges.length);
}

describe(definitionGraph.name, () => {
  it('draws the banking example: Parallel branches nested, Choice rules, Catch and the end markers', () => {
    const sut = definitionGraph(bankingDefinition);

    expect(sut.nodes.slice(0, 8).map((n) => [n.id, n.kind, n.label, n.parentId])).toEqual([
      ['__start', 'start', 'Start', undefined],
      ['Perform Automated Checks', 'state', 'Perform Automated Checks', undefined],
      ['Perform Automated Checks#0', 'branch', 'Branch 1', 'Perform Automated Checks'],
      ['Check Identity', 'state', 'Check Identity', 'Perform Automated Checks#0'],
      ['Perform Automated Checks#1', 'branch', 'Branch 2', 'Perform Automated Checks'],
      ['Check Address', 'state', 'Check Address', 'Perform Automated Checks#1'],
      ['Perform Automated Checks#2', 'branch', 'Branch 3', 'Perform Automated Checks'],
      ['Check Fraud Model', 'state', 'Check Fraud Model', 'Perform Automated Checks#2'],
    ]);
    expect(sut.nodes.at(-1)).toEqual({ id: '__end', kind: 'end', label: 'End', isGroup: false });
    expect(sut.nodes.find((n) => n.id === 'Perform Automated Checks')).toMatchObject({
      stateType: 'Parallel',
      isGroup: true,
    });
    expect(sut.nodes.find((n) => n.id === 'Perform Automated Checks#0')?.isGroup).toBe(true);
    expect(sut.nodes.find((n) => n.id === 'Check Identity')).toEqual({
      id: 'Check Identity',
      kind: 'state',
      label: 'Check Identity',
      stateType: 'Task',
      resource: lambda('CheckIdentity'),
      parentId: 'Perform Automated Checks#0',
      isGroup: false,
    });
    expect(edgesOf(sut)).toEqual([
      ['Perform Automated Checks', 'Review Checks', 'next', undefined],
      ['Perform Automated Checks', 'Notify Failure', 'catch', 'States.ALL'],
      ['Review Checks', 'Notify Denial', 'choice', '($.checks.identity.approved == false) o…'],
      ['Review Checks', 'Open Account', 'choice', '$.checks.fraud.riskScore < 30'],
      ['Review Checks', 'Manual Review', 'default', 'Default'],
      ['Manual Review', 'Review Decision', 'next', undefined],
      ['Review Decision', 'Open Account', 'choice', '$.review.approved == true'],
      ['Review Decision', 'Notify Denial', 'default', 'Default'],
      ['Notify Denial', 'Application Denied', 'next', undefined],
      ['Open Account', 'Send Welcome Notification', 'next', undefined],
      ['Open Account', 'Notify Failure', 'catch', 'States.ALL'],
      ['Send Welcome Notification', 'Account Opened', 'next', undefined],
      ['Notify Failure', 'Account Opening Failed', 'next', undefined],
      ['__start', 'Perform Automated Checks', 'next', undefined],
      ['Application Denied', '__end', 'next', undefined],
      ['Account Opened', '__end', 'next', undefined],
      ['Account Opening Failed', '__end', 'next', undefined],
    ]);
    expectParentsFirst(sut);
    expectUniqueIds(sut);
  });

  it('nests the states of a Map inside it, from ItemProcessor or the legacy Iterator, with no markers inside', () => {
    const processor = {
      StartAt: 'Charge',
      States: {
        Charge: {
          Type: 'Task',
          Resource: lambda('Charge'),
          Catch: [{ ErrorEquals: ['Declined', 'Expired'], Next: 'Skip' }],
          End: true,
        },
        Skip: { Type: 'Succeed' },
      },
    };
    for (const field of ['ItemProcessor', 'Iterator']) {
      const sut = definitionGraph({
        StartAt: 'Charge All',
        States: { 'Charge All': { Type: 'Map', [field]: processor, Next: 'Done' }, Done: { Type: 'Fail', Error: 'X' } },
      });

      expect(sut.nodes.map((n) => [n.id, n.parentId, n.isGroup])).toEqual([
        ['__start', undefined, false],
        ['Charge All', undefined, true],
        ['Charge', 'Charge All', false],
        ['Skip', 'Charge All', false],
        ['Done', undefined, false],
        ['__end', undefined, false],
      ]);
      expect(edgesOf(sut)).toEqual([
        ['Charge', 'Skip', 'catch', 'Declined, Expired'],
        ['Charge All', 'Done', 'next', undefined],
        ['__start', 'Charge All', 'next', undefined],
        ['Done', '__end', 'next', undefined],
      ]);
    }
  });

  it('labels Choice rules with their Comment, their JSONata condition, or their number', () => {
    const sut = definitionGraph({
      StartAt: 'Route',
      States: {
        Route: {
          Type: 'Choice',
          Choices: [
            { Comment: 'Big orders', Variable: '$.total', NumericGreaterThanPath: '$.limit', Next: 'A' },
            { Condition: '{% $states.input.express %}', Next: 'A' },
            { Not: { Variable: '$.email', IsPresent: true }, Next: 'A' },
            { Variable: '$.sku', StringMatches: 'X-*', Next: 'A' },
            { Variable: '$.x', SomeUnknownOperator: 1, Next: 'A' },
            { Variable: '$.total', NumericGreaterThanPath: '$.limit', Next: 'A' },
          ],
          Default: 'A',
        },
        A: { Type: 'Succeed' },
      },
    });

    expect(sut.edges.filter((e) => e.kind === 'choice').map((e) => e.label)).toEqual([
      'Big orders',
      '$states.input.express',
      'not ($.email is present)',
      '$.sku matches "X-*"',
      'Rule 5',
      '$.total > $.limit',
    ]);
    // Six rules and the Default all lead to A: seven edges, each with its own id.
    expectUniqueIds(sut);
    expect(sut.edges.filter((e) => e.target === 'A')).toHaveLength(7);
  });

  it('has no end marker when no state ends the execution', () => {
    const sut = definitionGraph({ StartAt: 'Loop', States: { Loop: { Type: 'Wait', Seconds: 1, Next: 'Loop' } } });

    expect(sut.nodes.map((n) => n.id)).toEqual(['__start', 'Loop']);
    expect(edgesOf(sut)).toEqual([
      ['Loop', 'Loop', 'next', undefined],
      ['__start', 'Loop', 'next', undefined],
    ]);
  });

  it('draws what it can of a malformed definition and never throws', () => {
    for (const definition of [undefined, null, 'text', 42, [], {}, { States: 5 }, { StartAt: 7, States: [] }]) {
      expect(definitionGraph(definition)).toEqual({ nodes: [], edges: [] });
    }

    const sut = definitionGraph({
      StartAt: 'Missing',
      States: {
        Good: { Type: 'Pass', Next: 'Nowhere' },
        NotAState: 'hello',
        NoType: { Next: 'Good' },
        BadChoice: { Type: 'Choice', Choices: 'nope', Default: 'Good' },
        BadParallel: {
          Type: 'Parallel',
          Branches: [null, { StartAt: 'Good', States: { Good: { Type: 'Pass', End: true } } }],
          Catch: [{}, 1],
        },
        BadMap: { Type: 'Map', ItemProcessor: { States: { Inner: { Type: 'Pass', Next: 'Good' } } } },
        CrossesScope: { Type: 'Pass', Next: 'Inner' },
      },
    });

    expect(sut.nodes.map((n) => [n.id, n.parentId])).toEqual([
      ['Good', undefined],
      ['NoType', undefined],
      ['BadChoice', undefined],
      ['BadParallel', undefined],
      ['BadParallel#0', 'BadParallel'],
      ['BadParallel#1', 'BadParallel'],
      ['BadMap', undefined],
      ['Inner', 'BadMap'],
      ['CrossesScope', undefined],
    ]);
    expect(sut.nodes.find((n) => n.id === 'NoType')?.stateType).toBeUndefined();
    // No StartAt among the states: no start marker. Transitions to unknown states or out of their scope: no edge.
    expect(edgesOf(sut)).toEqual([
      ['NoType', 'Good', 'next', undefined],
      ['BadChoice', 'Good', 'default', 'Default'],
    ]);
    expectParentsFirst(sut);
    expectUniqueIds(sut);
  });
});
