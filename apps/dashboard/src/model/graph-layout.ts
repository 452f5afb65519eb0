/**
 * Positions for a definition graph, computed by ELK's layered algorithm: top to bottom, as the Step Functions
 * console draws a workflow, with Parallel branches and Map processors laid out inside their boxes.
 */
import type { ELK, ElkExtendedEdge, ElkNode } from 'elkjs/lib/elk.bundled.js';
import type { DefinitionGraph, GraphEdge, GraphNode } from './definition-graph';

/** A node with its box: x/y relative to its parent node (as React Flow's parentId wants), absolute at the top. */
export interface LaidOutNode extends GraphNode {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** An edge with ELK's route and its label's box, in absolute coordinates, when ELK gave them. */
export interface LaidOutEdge extends GraphEdge {
  points?: { x: number; y: number }[];
  labelBox?: { x: number; y: number; width: number; height: number };
}

export interface LaidOutGraph {
  nodes: LaidOutNode[];
  edges: LaidOutEdge[];
  width: number;
  height: number;
}

const STATE_SIZE = { width: 220, height: 44 };
/** A label's box as drawn (11 px text): ELK leaves room for it between the layers. */
const labelSize = (text: string) => ({ width: Math.ceil(text.length * 6.2) + 10, height: 16 });
const MARKER_SIZE = { width: 60, height: 28 };

const ROOT_OPTIONS = {
  'elk.algorithm': 'layered',
  'elk.direction': 'DOWN',
  // One layout for the whole hierarchy, so edges inside a box and the boxes around them are placed together.
  'elk.hierarchyHandling': 'INCLUDE_CHILDREN',
  'elk.layered.spacing.nodeNodeBetweenLayers': '40',
  'elk.spacing.nodeNode': '30',
  'elk.layered.spacing.edgeNodeBetweenLayers': '20',
  // Node positions stay relative to their parent; edge routes come out absolute, ready to draw in one layer.
  'elk.json.shapeCoords': 'PARENT',
  'elk.json.edgeCoords': 'ROOT',
  'elk.edgeLabels.inline': 'true',
};

/** Room at the top of a box for its title (the Parallel or Map state's name, `Branch n`). */
const GROUP_OPTIONS = { 'elk.padding': '[top=40,left=16,bottom=16,right=16]' };

/**
 * Branches have no edges between them, so ELK would order them as it pleases (Branch 3, Branch 1, Branch 2).
 * Semi-interactive crossing minimisation keeps the order their position hints give: left to right, as defined.
 */
const PARALLEL_OPTIONS = { ...GROUP_OPTIONS, 'elk.layered.crossingMinimization.semiInteractive': 'true' };

/**
 * ELK is most of the dashboard's code, so it is loaded when the first graph is drawn; one instance then serves
 * every layout. In the browser it runs in a Web Worker: laying out a few hundred states takes a second, which on
 * the page's own thread would freeze scrolling and the history still loading. Where there are no workers (Node,
 * the specs) the bundled build runs in the calling thread.
 */
let elk: Promise<ELK> | undefined;

function loadElk(): Promise<ELK> {
  if (typeof Worker !== 'function') return import('elkjs/lib/elk.bundled.js').then(({ default: Elk }) => new Elk());
  return Promise.all([import('elkjs/lib/elk-api.js'), import('elkjs/lib/elk-worker.min.js?url')]).then(
    ([{ default: ElkApi }, { default: workerUrl }]) => new ElkApi({ workerUrl }),
  );
}

/** Lays out the graph; nodes and edges keep the order and fields they had. */
export async function layoutGraph(graph: DefinitionGraph): Promise<LaidOutGraph> {
  const root: ElkNode = { id: '__root', layoutOptions: ROOT_OPTIONS, children: [], edges: [] };
  const elkNodes = new Map<string, ElkNode>();
  const parents = new Map<string, string | undefined>();
  for (const node of graph.nodes) {
    // Parents come before their children, so an unknown parent is a broken graph: draw the node at the top.
    const parent = node.parentId === undefined ? undefined : elkNodes.get(node.parentId);
    const siblings = ((parent ?? root).children ??= []);
    const elkNode: ElkNode = { id: node.id };
    if (!node.isGroup) Object.assign(elkNode, node.kind === 'state' ? STATE_SIZE : MARKER_SIZE);
    else if (node.kind === 'branch')
      elkNode.layoutOptions = { ...GROUP_OPTIONS, 'elk.position': `(${siblings.length * 1000},0)` };
    else elkNode.layoutOptions = node.stateType === 'Parallel' ? PARALLEL_OPTIONS : GROUP_OPTIONS;
    elkNodes.set(node.id, elkNode);
    parents.set(node.id, parent === undefined ? undefined : node.parentId);
    siblings.push(elkNode);
  }
  for (const edge of graph.edges) {
    if (!elkNodes.has(edge.source) || !elkNodes.has(edge.target)) continue;
    const elkEdge: ElkExtendedEdge = {
      id: edge.id,
      sources: [edge.source],
      targets: [edge.target],
      ...(edge.label === undefined
        ? {}
        : { labels: [{ id: `${edge.id}#label`, text: edge.label, ...labelSize(edge.label) }] }),
    };
    const container = commonAncestor(edge.source, edge.target, parents);
    ((container === undefined ? root : (elkNodes.get(container) as ElkNode)).edges ??= []).push(elkEdge);
  }

  elk ??= loadElk();
  const laidOut = await (await elk).layout(root);
  // ELK answers with a graph of its own: read the boxes and routes back by id.
  const boxes = new Map<string, ElkNode>();
  const routes = new Map<string, ElkExtendedEdge>();
  const collect = (node: ElkNode): void => {
    for (const edge of node.edges ?? []) routes.set(edge.id, edge);
    for (const child of node.children ?? []) {
      boxes.set(child.id, child);
      collect(child);
    }
  };
  collect(laidOut);

  return {
    nodes: graph.nodes.map((node) => {
      const box = boxes.get(node.id);
      return { ...node, x: box?.x ?? 0, y: box?.y ?? 0, width: box?.width ?? 0, height: box?.height ?? 0 };
    }),
    edges: graph.edges.map((edge) => {
      const points = routes
        .get(edge.id)
        ?.sections?.flatMap((section) => [section.startPoint, ...(section.bendPoints ?? []), section.endPoint]);
      const label = routes.get(edge.id)?.labels?.[0];
      const labelBox =
        label?.x === undefined || label.y === undefined
          ? undefined
          : { x: label.x, y: label.y, width: label.width ?? 0, height: label.height ?? 0 };
      return {
        ...edge,
        ...(points === undefined || points.length === 0 ? {} : { points }),
        ...(labelBox === undefined ? {} : { labelBox }),
      };
    }),
    width: laidOut.width ?? 0,
    height: laidOut.height ?? 0,
  };
}

/**
 * The innermost node that contains both ends of an edge (undefined: the root). ELK wants each edge declared
 * there; a definition's transitions never leave their scope, so this is almost always the source's parent.
 */
function commonAncestor(
  source: string,
  target: string,
  parents: ReadonlyMap<string, string | undefined>,
): string | undefined {
  const ancestors = new Set<string>();
  for (let node = parents.get(source); node !== undefined; node = parents.get(node)) ancestors.add(node);
  for (let node = parents.get(target); node !== undefined; node = parents.get(node))
    if (ancestors.has(node)) return node;
  return undefined;
}
