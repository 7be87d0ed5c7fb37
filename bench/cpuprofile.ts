/**
 * Reading a V8 CPU profile (CDP `Profiler.stop`): how much main-thread time
 * went to the scripts of one bundle, and which busy stretches ("tasks") were
 * long and mostly that bundle's.
 */

/** The parts of a CDP `Profiler.Profile` read here. */
export interface ICpuProfile {
  nodes: Array<{
    id: number;
    callFrame: { functionName: string; url: string };
    children?: number[];
  }>;
  startTime: number; // µs
  endTime: number; // µs
  samples?: number[];
  timeDeltas?: number[]; // µs
}

export interface IAttribution {
  /** Time sampled in the bundle's own functions (self time), ms. */
  selfMs: number;
  /**
   * Time sampled with a function of the bundle anywhere on the stack
   * (its own work and everything it called synchronously: DOM, parsing,
   * JupyterLab code it called), ms.
   */
  inclusiveMs: number;
  /** All JavaScript (not idle, not "(program)": native work), ms. */
  scriptMs: number;
  /** Busy at all (not idle), ms. */
  busyMs: number;
  /** From start to stop of the profile, ms. */
  wallMs: number;
  /** Samples taken. */
  samples: number;
}

export interface ITask {
  /** From the profile's start, ms. */
  startMs: number;
  durationMs: number;
  selfMs: number;
  inclusiveMs: number;
  /** The bundle's functions with the most self time in this task. */
  top: Array<{ name: string; ms: number }>;
}

const IDLE = '(idle)';
const PROGRAM = '(program)';

interface ISample {
  node: number;
  at: number; // µs from start
  duration: number; // µs
}

function samplesOf(profile: ICpuProfile): ISample[] {
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  const at: number[] = [];
  let t = 0;
  for (let i = 0; i < samples.length; i++) {
    t += Math.max(0, deltas[i] ?? 0);
    at.push(t);
  }
  const total = profile.endTime - profile.startTime;
  return samples.map((node, i) => ({
    node,
    at: at[i],
    duration: Math.max(0, (i + 1 < at.length ? at[i + 1] : total) - at[i])
  }));
}

/**
 * For each node: whether it is in the bundle, and whether the bundle is
 * anywhere on its stack.
 */
function classify(
  profile: ICpuProfile,
  isOurs: (url: string) => boolean
): Map<number, { own: boolean; under: boolean; name: string; url: string }> {
  const parent = new Map<number, number>();
  for (const node of profile.nodes) {
    for (const child of node.children ?? []) {
      parent.set(child, node.id);
    }
  }
  const byId = new Map(profile.nodes.map(n => [n.id, n]));
  const out = new Map<
    number,
    { own: boolean; under: boolean; name: string; url: string }
  >();
  const under = (id: number): boolean => {
    const known = out.get(id);
    if (known) {
      return known.under;
    }
    const node = byId.get(id)!;
    const own = isOurs(node.callFrame.url);
    const p = parent.get(id);
    const result = own || (p !== undefined && under(p));
    out.set(id, {
      own,
      under: result,
      name: node.callFrame.functionName || '(anonymous)',
      url: node.callFrame.url
    });
    return result;
  };
  for (const node of profile.nodes) {
    under(node.id);
  }
  return out;
}

/** Time of the whole profile spent in, and under, the bundle. */
export function attribute(
  profile: ICpuProfile,
  isOurs: (url: string) => boolean
): IAttribution {
  const kinds = classify(profile, isOurs);
  const result: IAttribution = {
    selfMs: 0,
    inclusiveMs: 0,
    scriptMs: 0,
    busyMs: 0,
    wallMs: (profile.endTime - profile.startTime) / 1000,
    samples: profile.samples?.length ?? 0
  };
  for (const s of samplesOf(profile)) {
    const kind = kinds.get(s.node)!;
    const ms = s.duration / 1000;
    if (kind.name === IDLE) {
      continue;
    }
    result.busyMs += ms;
    if (kind.name !== PROGRAM) {
      result.scriptMs += ms;
    }
    if (kind.own) {
      result.selfMs += ms;
    }
    if (kind.under) {
      result.inclusiveMs += ms;
    }
  }
  return result;
}

/**
 * Busy stretches of the main thread: runs of non-idle samples, split at
 * idle samples. The profiler has no task boundaries: a stretch is one task
 * or several back to back, so a long stretch is where to look, and one
 * spent mostly under our code (our functions and what they called
 * synchronously: the DOM, LabIcon, …) is a long task of ours.
 */
export function busyStretches(
  profile: ICpuProfile,
  isOurs: (url: string) => boolean,
  longerThanMs = 50
): ITask[] {
  const kinds = classify(profile, isOurs);
  const tasks: ITask[] = [];
  let current: (ITask & { names: Map<string, number> }) | null = null;
  const close = () => {
    if (current && current.durationMs > longerThanMs) {
      current.top = [...current.names.entries()]
        .sort((a, b) => b[1] - a[1])
        .slice(0, 5)
        .map(([name, ms]) => ({ name, ms: Math.round(ms * 10) / 10 }));
      const { names, ...task } = current;
      void names;
      tasks.push(task);
    }
    current = null;
  };
  for (const s of samplesOf(profile)) {
    const kind = kinds.get(s.node)!;
    if (kind.name === IDLE) {
      close();
      continue;
    }
    const ms = s.duration / 1000;
    if (!current) {
      current = {
        startMs: s.at / 1000,
        durationMs: 0,
        selfMs: 0,
        inclusiveMs: 0,
        top: [],
        names: new Map()
      };
    }
    current.durationMs += ms;
    if (kind.own) {
      current.selfMs += ms;
      const file = kind.url.split('/').pop();
      const name = `${kind.name} (${file})`;
      current.names.set(name, (current.names.get(name) ?? 0) + ms);
    }
    if (kind.under) {
      current.inclusiveMs += ms;
    }
  }
  close();
  return tasks;
}
