/**
 * Sums a V8 CPU profile of a service process by self time: per area (our libs and apps, each npm package, Node's
 * own internals, GC) and per function, with bundle positions mapped back through the app's source map to the
 * libs/**.ts line they came from — as bench/profile-ours.ts does for the in-memory child, but for the built
 * service, whose npm packages stay outside the bundle and are named by package instead.
 */
import { readFileSync } from 'node:fs';
import { SourceMap } from 'node:module';
import { dirname, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PROJECT_ROOT } from '../child-bundles';

/** The parts of V8's .cpuprofile format this summary reads. */
export interface CpuProfile {
  readonly nodes: readonly {
    readonly id: number;
    readonly callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
    readonly children?: readonly number[];
  }[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
  readonly startTime: number;
  readonly endTime: number;
}

/** Self time summed under one name. */
export interface TimeShare {
  readonly name: string;
  readonly selfMs: number;
}

export interface ProfileSummary {
  /** Wall time the profile covers. */
  readonly wallMs: number;
  /** Time the thread was running JavaScript, GC or native code: everything but (idle) and the probe itself. */
  readonly busyMs: number;
  /**
   * Busy time by area: our libs and apps, npm packages. Node's internals and native code (a socket write, a JSON
   * parse) count for the nearest caller that is ours or a package's, so that "npm pg" includes the syscalls pg
   * makes; what no such caller owns (the event loop, GC) keeps its own name. Largest first.
   */
  readonly areas: readonly TimeShare[];
  /** Busy time by function (`name  location`, or `name  [area]` for Node's and native frames), largest first. */
  readonly functions: readonly TimeShare[];
}

/** V8's pseudo-frames, kept under their own names. */
const PSEUDO_FRAMES = new Set(['(idle)', '(program)', '(garbage collector)', '(root)']);
/** What runs under no frame of ours or a package's: the event loop, timers, microtask queue, Node's internals. */
const EVENT_LOOP_AREA = 'Node (event loop)';
/** The benchmark's probe: its own work (stopping the profiler) is not the service's. */
const PROBE_AREA = 'probe';
/** Except its wrapper of pg's Client#query, which every statement passes through: that is pg's time. */
const PROBE_QUERY_WRAPPER = 'countedQuery';

/** Summarises one profile of a process running `bundle` (a dist/…/main.js with its linked .map beside it). */
export function summarizeProfile(profileFile: string, bundle: string): ProfileSummary {
  const profile = JSON.parse(readFileSync(profileFile, 'utf8')) as CpuProfile;
  const locator = new BundleLocator(bundle);
  const selfUs = new Map<number, number>();
  profile.samples.forEach((id, i) => selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));

  // Walk the call tree from the root, handing each node its owning area (its own, or its caller's).
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const childIds = new Set(profile.nodes.flatMap((node) => node.children ?? []));
  const owners = new Map<number, { readonly area: string; readonly location: string; readonly own: boolean }>();
  const stack: { id: number; callerArea: string | undefined }[] = profile.nodes
    .filter((node) => !childIds.has(node.id))
    .map((node) => ({ id: node.id, callerArea: undefined }));
  while (stack.length > 0) {
    const { id, callerArea } = stack.pop() as { id: number; callerArea: string | undefined };
    const node = byId.get(id);
    if (!node) continue;
    const frame = node.callFrame;
    const place = PSEUDO_FRAMES.has(frame.functionName)
      ? { area: frame.functionName === '(root)' ? EVENT_LOOP_AREA : frame.functionName, location: '', own: true }
      : frame.functionName === PROBE_QUERY_WRAPPER
        ? { area: PROBE_AREA, location: '', own: false }
        : locator.locate(frame.url, frame.lineNumber, frame.columnNumber);
    const inherits = !place.own && callerArea !== undefined;
    const owner = { area: inherits ? callerArea : place.area, location: place.location, own: !inherits };
    owners.set(id, owner);
    // Everything below the probe is the probe's; below any other frame of ours or a package's, that frame's area.
    const passDown = callerArea === PROBE_AREA ? PROBE_AREA : place.own ? place.area : callerArea;
    for (const child of node.children ?? []) stack.push({ id: child, callerArea: passDown });
  }

  const areas = new Map<string, number>();
  const functions = new Map<string, number>();
  let notBusyMs = 0;
  for (const [id, us] of selfUs) {
    const frame = byId.get(id)?.callFrame;
    const owner = owners.get(id);
    if (!frame || !owner) continue;
    const ms = us / 1000;
    if (frame.functionName === '(idle)' || owner.area === PROBE_AREA) {
      notBusyMs += ms;
      continue;
    }
    areas.set(owner.area, (areas.get(owner.area) ?? 0) + ms);
    const where = owner.own ? owner.location : `[${owner.area}]`;
    const key = `${frame.functionName || '(anonymous)'}  ${where}`.trimEnd();
    functions.set(key, (functions.get(key) ?? 0) + ms);
  }
  const wallMs = (profile.endTime - profile.startTime) / 1000;
  const sorted = (m: Map<string, number>): TimeShare[] =>
    [...m].map(([name, selfMs]) => ({ name, selfMs })).sort((a, b) => b.selfMs - a.selfMs);
  return { wallMs, busyMs: wallMs - notBusyMs, areas: sorted(areas), functions: sorted(functions) };
}

/** Maps profile positions to an area and a readable location. */
class BundleLocator {
  private readonly bundleUrl: string;
  private readonly sourceMap: SourceMap;
  private readonly bundleDir: string;

  constructor(bundle: string) {
    this.bundleUrl = `file://${bundle}`;
    this.bundleDir = dirname(bundle);
    this.sourceMap = new SourceMap(
      JSON.parse(readFileSync(`${bundle}.map`, 'utf8')) as ConstructorParameters<typeof SourceMap>[0],
    );
  }

  /** `own`: the frame is ours or a package's (it owns what it calls); Node's and native frames are not. */
  locate(
    url: string,
    line: number,
    column: number,
  ): { readonly area: string; readonly location: string; readonly own: boolean } {
    if (url === '') return { area: '(native)', location: '', own: false };
    if (url.startsWith('node:'))
      return { area: `node:${url.slice(5).split('/')[1] ?? url.slice(5)}`, location: url, own: false };
    if (url === this.bundleUrl) {
      const entry = this.sourceMap.findEntry(line, column) as { originalSource?: string; originalLine?: number };
      if (entry.originalSource === undefined || entry.originalLine === undefined)
        return { area: 'bundle (unmapped)', location: `${url}:${line + 1}`, own: true };
      const source = relative(PROJECT_ROOT, resolve(this.bundleDir, entry.originalSource));
      return { area: ourArea(source), location: `${source}:${entry.originalLine + 1}`, own: true };
    }
    const path = url.startsWith('file:') ? fileURLToPath(url) : url;
    if (path.endsWith('/probe.cjs')) return { area: PROBE_AREA, location: path, own: true };
    const inPackages = path.lastIndexOf('/node_modules/');
    if (inPackages >= 0) {
      const rest = path.slice(inPackages + '/node_modules/'.length);
      const parts = rest.split('/');
      const name = rest.startsWith('@') ? `${parts[0]}/${parts[1]}` : (parts[0] ?? rest);
      return { area: `npm ${name}`, location: `${rest}:${line + 1}`, own: true };
    }
    const local = relative(PROJECT_ROOT, path);
    return { area: local, location: `${local}:${line + 1}`, own: true };
  }
}

/** `libs/asl`, `apps/api`…: the first two segments of one of our sources. */
function ourArea(source: string): string {
  const [top, name] = source.split('/');
  return top === 'libs' || top === 'apps' ? `${top}/${name}` : source;
}
