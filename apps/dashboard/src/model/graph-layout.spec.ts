import { describe, expect, it } from 'vitest';
import { definitionGraph } from './definition-graph';
import { bankingDefinition, lambda } from './execution-histories.fixture';
import { type LaidOutGraph, type LaidOutNode, layoutGraph } from './graph-layout';

function nodeOf(graph: LaidOutGraph, id: string): LaidOutNode {
  const node = graph.nodes.find((n) => n.id === id);
  if (node === undefined) throw new Error(`no node ${id}`);
  return node;
}

/** A node's box in the graph's coordinates: its own x/y are relative to its parent's. */
function absolute(graph: LaidOutGraph, id: string): { x: number; y: number; width: number; height: number } {
  const node = nodeOf(graph, id);
  const parent = node.parentId === undefined ? { x: 0, y: 0 } : absolute(graph, node.parentId);
  return { x: parent.x + node.x, y: parent.y + node.y, width: node.width, height: node.height };
}

/** Every node has a finite box that fits inside its parent's (or the graph's), below the parent's title. */
function expectNested(graph: LaidOutGraph): void {
  for (const node of graph.nodes) {
    expect([node.x, node.y, node.width, node.height].every(Number.isFinite), node.id).toBe(true);
    const parent = node.parentId === undefined ? graph : nodeOf(graph, node.parentId);
    if (node.parentId !== undefined) expect(node.y, `${node.id} below its parent's title`).toBeGreaterThanOrEqual(40);
    expect(node.x, node.id).toBeGreaterThanOrEqual(0);
    expect(node.x + node.width, node.id).toBeLessThanOrEqual(parent.width + 0.01);
    expect(node.y + node.height, node.id).toBeLessThanOrEqual(parent.height + 0.01);
  }
}

/** A top-to-bottom chain of Pass states. */
function chain(prefix: string, length: number, last: Record<string, unknown> = { End: true }) {
  const States: Record<string, unknown> = {};
  for (let i = 0; i < length; i++) {
    States[`${prefix} ${i}`] = { Type: 'Pass', ...(i < length - 1 ? { Next: `${prefix} ${i + 1}` } : last) };
  }
  return { StartAt: `${prefix} 0`, States };
}

describe(layoutGraph.name, () => {
  it('lays the banking example out top to bottom, its branches side by side in order', async () => {
    const graph = definitionGraph(bankingDefinition);

    const sut = await layoutGraph(graph);

    expect(sut.nodes.map(({ x: _x, y: _y, width: _w, height: _h, ...node }) => node)).toEqual(graph.nodes);
    expect(nodeOf(sut, 'Check Identity')).toMatchObject({ width: 220, height: 44 });
    expect(nodeOf(sut, '__start')).toMatchObject({ width: 60, height: 28 });
    expect(nodeOf(sut, '__end')).toMatchObject({ width: 60, height: 28 });
    expectNested(sut);
    const branches = ['Perform Automated Checks#0', 'Perform Automated Checks#1', 'Perform Automated Checks#2'];
    const xs = branches.map((id) => nodeOf(sut, id).x);
    expect(xs).toEqual([...xs].sort((a, b) => a - b));
    expect(new Set(branches.map((id) => nodeOf(sut, id).y)).size).toBe(1);
    const below = (upper: string, lower: string) => expect(nodeOf(sut, lower).y).toBeGreaterThan(nodeOf(sut, upper).y);
    below('__start', 'Perform Automated Checks');
    below('Perform Automated Checks', 'Review Checks');
    below('Review Checks', 'Manual Review');
    below('Open Account', 'Send Welcome Notification');
    below('Account Opened', '__end');
  });

  it('routes edges in absolute coordinates, also inside nested boxes', async () => {
    const graph = definitionGraph({
      StartAt: 'Outer',
      States: {
        Outer: {
          Type: 'Parallel',
          Branches: [
            { StartAt: 'Each', States: { Each: { Type: 'Map', ItemProcessor: chain('Step', 3), End: true } } },
          ],
          End: true,
        },
      },
    });

    const sut = await layoutGraph(graph);

    expectNested(sut);
    const edge = sut.edges.find((e) => e.source === 'Step 0' && e.target === 'Step 1');
    const points = edge?.points ?? [];
    expect(points.length).toBeGreaterThanOrEqual(2);
    const source = absolute(sut, 'Step 0');
    const target = absolute(sut, 'Step 1');
    expect(points[0]?.y).toBeCloseTo(source.y + source.height);
    expect(points[0]?.x).toBeGreaterThan(source.x);
    expect(points[0]?.x).toBeLessThan(source.x + source.width);
    expect(points.at(-1)?.y).toBeCloseTo(target.y);
    // The boxes really are nested: the step is offset by the Map's, the branch's and the Parallel's positions.
    expect(source.y).toBeGreaterThan(nodeOf(sut, 'Step 0').y + 3 * 40);
  });

  it('lays out a definition of 300 states', async () => {
    const States: Record<string, unknown> = {};
    for (let s = 0; s < 12; s++) {
      const next = s < 11 ? { Next: `Stage ${s + 1}` } : { End: true };
      const stage = `Stage ${s}`;
      if (s % 3 === 0) {
        const Branches = [0, 1, 2].map((b) => chain(`S${s} branch ${b}`, 10));
        States[stage] = {
          Type: 'Parallel',
          Branches,
          Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Give Up' }],
          ...next,
        };
      } else if (s % 3 === 1) {
        States[stage] = {
          Type: 'Map',
          ItemProcessor: chain(`S${s} item`, 20, { Type: 'Task', Resource: lambda('Work'), End: true }),
          ...next,
        };
      } else {
        const { States: options } = chain(`S${s} option`, 25, next);
        Object.assign(States, options);
        States[stage] = {
          Type: 'Choice',
          Choices: [
            { Variable: '$.kind', StringEquals: 'a', Next: `S${s} option 0` },
            { Variable: '$.kind', StringEquals: 'b', Next: `S${s} option 10` },
          ],
          Default: `S${s} option 20`,
        };
      }
    }
    States['Give Up'] = { Type: 'Fail', Error: 'GaveUp' };
    const graph = definitionGraph({ StartAt: 'Stage 0', States });
    const stateCount = graph.nodes.filter((n) => n.kind === 'state').length;
    expect(stateCount).toBeGreaterThanOrEqual(300);

    const sut = await layoutGraph(graph);

    expect(sut.nodes).toHaveLength(graph.nodes.length);
    expect(sut.edges).toHaveLength(graph.edges.length);
    expectNested(sut);
    expect(sut.edges.every((e) => (e.points?.length ?? 0) >= 2)).toBe(true);
  });

  it('lays out an empty graph', async () => {
    const sut = await layoutGraph({ nodes: [], edges: [] });

    expect(sut.nodes).toEqual([]);
    expect(sut.edges).toEqual([]);
    expect(Number.isFinite(sut.width) && Number.isFinite(sut.height)).toBe(true);
  });
});
