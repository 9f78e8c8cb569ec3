// Self time of a V8 CPU profile (.cpuprofile, as the inspector's Profiler.stop returns it),
// summed per package by the script URL of each node.

/** The fields of a V8 CPU profile that the summary reads. */
export interface CpuProfile {
  nodes: Array<{ id: number; callFrame: { url: string; functionName: string } }>;
  samples: number[];
  timeDeltas: number[];
}

/** Forge1's own packages: their CPU is what the HTTP bench charges to Forge1. */
export const forge1Packages = [
  'core',
  'adapters',
  'keypool',
  'router',
  'metering',
  'telemetry',
  'compliance',
];

/** The bucket of one profile node: a Forge1 package, `node_modules/<pkg>`, node internals, GC, idle. */
export function packageOf(url: string, functionName: string): string {
  if (url === '') {
    if (functionName === '(idle)') return '(idle)';
    if (functionName === '(garbage collector)') return '(garbage collector)';
    if (functionName === '(program)') return '(program)';
    return 'node internals';
  }
  // The profiler's own work (stopping it, serialising the profile) is not the service's.
  if (url.startsWith('node:inspector')) return '(profiler)';
  if (url.startsWith('node:')) return 'node internals';
  const modules = url.lastIndexOf('/node_modules/');
  if (modules >= 0) {
    const [scope, name] = url.slice(modules + '/node_modules/'.length).split('/');
    return `node_modules/${scope?.startsWith('@') ? `${scope}/${name}` : scope}`;
  }
  const forge1 = /\/packages\/([a-z-]+)\//.exec(url);
  if (forge1?.[1]) return forge1[1];
  if (url.includes('/examples/http-service/')) return 'examples/http-service';
  if (url.includes('/bench/')) return 'bench';
  return 'other';
}

/** Buckets that are not the service's own work: left out of the busy total. */
const notBusy = new Set(['(idle)', '(profiler)']);

/** Microseconds of self time per bucket, the busy total (all but idle and the profiler) and Forge1's part. */
export function summarizeProfile(profile: CpuProfile): {
  byPackage: Map<string, number>;
  busyUs: number;
  forge1Us: number;
} {
  const bucketOf = new Map<number, string>();
  for (const node of profile.nodes) {
    bucketOf.set(node.id, packageOf(node.callFrame.url, node.callFrame.functionName));
  }
  const byPackage = new Map<string, number>();
  for (let i = 0; i < profile.samples.length; i++) {
    const bucket = bucketOf.get(profile.samples[i]!) ?? 'other';
    byPackage.set(bucket, (byPackage.get(bucket) ?? 0) + (profile.timeDeltas[i] ?? 0));
  }
  let busyUs = 0;
  let forge1Us = 0;
  for (const [bucket, us] of byPackage) {
    if (!notBusy.has(bucket)) busyUs += us;
    if (forge1Packages.includes(bucket)) forge1Us += us;
  }
  return { byPackage, busyUs, forge1Us };
}
