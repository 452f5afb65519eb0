import {
  BaseEdge,
  Background,
  Controls,
  type Edge,
  type EdgeProps,
  Handle,
  MarkerType,
  type Node,
  type NodeProps,
  Position,
  ReactFlow,
  useReactFlow,
  useStore,
} from '@xyflow/react';
import { memo, useEffect, useMemo, useState } from 'react';
import { definitionGraph } from '../model/definition-graph';
import { type LaidOutEdge, type LaidOutGraph, type LaidOutNode, layoutGraph } from '../model/graph-layout';
import type { StateStatus } from '../model/state-runs';
import { STATE_LOOK } from './status-badge';

interface StateNodeData extends Record<string, unknown> {
  node: LaidOutNode;
  status?: StateStatus;
  selected: boolean;
}

/**
 * The definition drawn as the console draws it: top to bottom, Parallel branches and Map processors as nested
 * boxes. The layout is computed once per definition (elkjs); statuses only recolour the nodes.
 */
export function WorkflowGraph(props: {
  definition: unknown;
  statuses?: ReadonlyMap<string, StateStatus>;
  selectedState?: string;
  onSelectState?: (stateName: string) => void;
  onLaidOut?: () => void;
  testId: string;
}) {
  const { definition, statuses, selectedState, onSelectState, onLaidOut } = props;
  const [layout, setLayout] = useState<LaidOutGraph | { failed: string }>();

  useEffect(() => {
    let current = true;
    layoutGraph(definitionGraph(definition)).then(
      (laidOut) => current && setLayout(laidOut),
      (error: unknown) => current && setLayout({ failed: String(error) }),
    );
    return () => {
      current = false;
    };
  }, [definition]);

  useEffect(() => {
    if (layout !== undefined) onLaidOut?.();
  }, [layout, onLaidOut]);

  const nodes = useMemo<Node<StateNodeData>[]>(() => {
    if (layout === undefined || 'failed' in layout) return [];
    return layout.nodes.map((node) => ({
      id: node.id,
      type: node.kind === 'state' && !node.isGroup ? 'state' : node.isGroup ? 'group-box' : 'marker',
      position: { x: node.x, y: node.y },
      ...(node.parentId === undefined ? {} : { parentId: node.parentId }),
      data: {
        node,
        ...(node.stateType === undefined || statuses === undefined
          ? {}
          : { status: statuses.get(node.id) ?? 'not-run' }),
        selected: node.id === selectedState,
      },
      style: { width: node.width, height: node.height },
      ...(node.stateType === undefined
        ? {}
        : {
            ariaLabel: `${node.label}, ${node.stateType} state${
              statuses === undefined ? '' : `, ${STATE_LOOK[statuses.get(node.id) ?? 'not-run'].label}`
            }`,
          }),
      draggable: false,
      connectable: false,
      selectable: node.stateType !== undefined,
      zIndex: node.isGroup ? 0 : 1,
    }));
  }, [layout, statuses, selectedState]);

  const stateNodeIds = useMemo(
    () => new Set(nodes.filter((node) => node.data.node.stateType !== undefined).map((node) => node.id)),
    [nodes],
  );

  const edges = useMemo<Edge[]>(() => {
    if (layout === undefined || 'failed' in layout) return [];
    return layout.edges.map((edge) => ({
      id: edge.id,
      source: edge.source,
      target: edge.target,
      ...(edge.label === undefined ? {} : { label: edge.label }),
      // ELK's own route, around the boxes it placed; React Flow's step path where ELK gave none.
      type: edge.points === undefined ? 'smoothstep' : 'routed',
      data: { edge },
      className: `edge-${edge.kind}`,
      markerEnd: { type: MarkerType.ArrowClosed, width: 16, height: 16 },
      zIndex: 2,
    }));
  }, [layout]);

  if (layout !== undefined && 'failed' in layout)
    return <p className="page-message error">The definition could not be drawn: {layout.failed}</p>;

  return (
    <div className="graph" data-testid={props.testId} data-laid-out={layout !== undefined}>
      {layout === undefined ? <p className="page-message">Drawing…</p> : null}
      <ReactFlow
        nodes={nodes}
        edges={edges}
        nodeTypes={NODE_TYPES}
        edgeTypes={EDGE_TYPES}
        onNodeClick={(_event, node) => {
          const { stateType } = (node.data as StateNodeData).node;
          if (stateType !== undefined) onSelectState?.(node.id);
        }}
        // Tab to a state and press Enter: React Flow selects it, and the step details open as for a click.
        onNodesChange={(changes) => {
          for (const change of changes)
            if (change.type === 'select' && change.selected && stateNodeIds.has(change.id)) onSelectState?.(change.id);
        }}
        fitView
        fitViewOptions={{ padding: 0.1, maxZoom: 1.1 }}
        minZoom={0.05}
        nodesDraggable={false}
        nodesConnectable={false}
        proOptions={{ hideAttribution: true }}
      >
        <FitOnResize />
        <Background gap={24} size={1} />
        <Controls showInteractive={false} />
      </ReactFlow>
    </div>
  );
}

/** Keeps the whole graph in view when its box changes size (the step details panel opens beside it). */
function FitOnResize() {
  const { fitView } = useReactFlow();
  const width = useStore((store) => store.width);
  const height = useStore((store) => store.height);
  const nodeCount = useStore((store) => store.nodeLookup.size);
  useEffect(() => {
    if (width > 0 && height > 0 && nodeCount > 0) void fitView({ padding: 0.1, maxZoom: 1.1 });
  }, [fitView, width, height, nodeCount]);
  return null;
}

const StateNode = memo(function StateNode({ data }: NodeProps<Node<StateNodeData>>) {
  const { node, status, selected } = data;
  const look = status === undefined ? undefined : STATE_LOOK[status];
  return (
    <div
      className={`state-node status-${status ?? 'none'}${selected ? ' selected' : ''}`}
      data-testid="state-node"
      data-state-name={node.id}
      data-status={status}
      title={`${node.label} (${node.stateType ?? ''})${look === undefined ? '' : ` — ${look.label}`}`}
    >
      <Handle type="target" position={Position.Top} isConnectable={false} />
      {look === undefined ? null : (
        <span className="state-icon" aria-label={look.label}>
          {look.icon}
        </span>
      )}
      <span className="state-label">{node.label}</span>
      <span className="state-type">{node.stateType}</span>
      <Handle type="source" position={Position.Bottom} isConnectable={false} />
    </div>
  );
});

const GroupBox = memo(function GroupBox({ data }: NodeProps<Node<StateNodeData>>) {
  const { node, status, selected } = data;
  const look = status === undefined ? undefined : STATE_LOOK[status];
  const isState = node.stateType !== undefined;
  return (
    <div
      className={`group-box kind-${node.kind} status-${status ?? 'none'}${selected ? ' selected' : ''}`}
      {...(isState ? { 'data-testid': 'state-node', 'data-state-name': node.id, 'data-status': status } : {})}
    >
      <Handle type="target" position={Position.Top} isConnectable={false} />
      <div className="group-title">
        {look === undefined ? null : <span aria-label={look.label}>{look.icon} </span>}
        {node.label}
        {isState ? <span className="state-type"> {node.stateType}</span> : null}
      </div>
      <Handle type="source" position={Position.Bottom} isConnectable={false} />
    </div>
  );
});

const Marker = memo(function Marker({ data }: NodeProps<Node<StateNodeData>>) {
  return (
    <div className="marker-node">
      {data.node.kind === 'end' ? <Handle type="target" position={Position.Top} isConnectable={false} /> : null}
      {data.node.label}
      {data.node.kind === 'start' ? <Handle type="source" position={Position.Bottom} isConnectable={false} /> : null}
    </div>
  );
});

const NODE_TYPES = { state: StateNode, 'group-box': GroupBox, marker: Marker };

/** An edge along the polyline ELK routed (absolute coordinates, as React Flow draws edges), its label where ELK put it. */
const RoutedEdge = memo(function RoutedEdge({ data, label, markerEnd, style }: EdgeProps<Edge<{ edge: LaidOutEdge }>>) {
  const { points = [], labelBox } = data?.edge ?? {};
  const path = points.map((point, i) => `${i === 0 ? 'M' : 'L'} ${point.x} ${point.y}`).join(' ');
  return (
    <BaseEdge
      path={path}
      {...(markerEnd === undefined ? {} : { markerEnd })}
      {...(style === undefined ? {} : { style })}
      {...(label === undefined || labelBox === undefined
        ? {}
        : {
            label,
            labelX: labelBox.x + labelBox.width / 2,
            labelY: labelBox.y + labelBox.height / 2,
            labelBgPadding: [3, 1] as [number, number],
          })}
    />
  );
});

const EDGE_TYPES = { routed: RoutedEdge };
