// The commands, each loaded when it runs: `docknet --version` and `--help` then load only the program
// (commander and cli/), not the gatherers, parsers, correlation, renderers and libraries every
// command needs. The bundle puts what these imports reach in chunks of its own (scripts/build-bundle.mjs).
import type * as Doctor from '../commands/doctor.js';
import type * as Explain from '../commands/explain.js';
import type * as Graph from '../commands/graph.js';
import type * as Reach from '../commands/reach.js';
import type * as ReachAcross from '../commands/reach-across.js';
import type * as Report from '../commands/report.js';
import type * as Inspect from '../commands/inspect.js';
import type * as Nat from '../commands/nat.js';
import type * as Overlay from '../commands/overlay.js';
import type * as OverlayFleet from '../commands/overlay-fleet.js';
import type * as Snapshot from '../commands/snapshot.js';
import type * as PerHost from '../commands/per-host.js';
import type * as VethMap from '../commands/veth-map.js';

export const runVethMap: typeof VethMap.runVethMap = async (...a) => (await import('../commands/veth-map.js')).runVethMap(...a);
export const runInspect: typeof Inspect.runInspect = async (...a) => (await import('../commands/inspect.js')).runInspect(...a);
export const runNat: typeof Nat.runNat = async (...a) => (await import('../commands/nat.js')).runNat(...a);
export const runDoctor: typeof Doctor.runDoctor = async (...a) => (await import('../commands/doctor.js')).runDoctor(...a);
export const runReach: typeof Reach.runReach = async (...a) => (await import('../commands/reach.js')).runReach(...a);
export const runReachAcross: typeof ReachAcross.runReachAcross = async (...a) =>
  (await import('../commands/reach-across.js')).runReachAcross(...a);
export const nodesNamed: typeof ReachAcross.nodesNamed = async (...a) => (await import('../commands/reach-across.js')).nodesNamed(...a);
export const runGraph: typeof Graph.runGraph = async (...a) => (await import('../commands/graph.js')).runGraph(...a);
export const runExplain: typeof Explain.runExplain = async (...a) => (await import('../commands/explain.js')).runExplain(...a);
export const runOverlay: typeof Overlay.runOverlay = async (...a) => (await import('../commands/overlay.js')).runOverlay(...a);
export const loadOverlayFleet: typeof OverlayFleet.loadOverlayFleet = async (...a) =>
  (await import('../commands/overlay-fleet.js')).loadOverlayFleet(...a);
export const runReport: typeof Report.runReport = async (...a) => (await import('../commands/report.js')).runReport(...a);
export const runSnapshotSave: typeof Snapshot.runSnapshotSave = async (...a) =>
  (await import('../commands/snapshot.js')).runSnapshotSave(...a);
export const runSnapshotImport: typeof Snapshot.runSnapshotImport = async (...a) =>
  (await import('../commands/snapshot.js')).runSnapshotImport(...a);
export const runForHosts: typeof PerHost.runForHosts = async (...a) => (await import('../commands/per-host.js')).runForHosts(...a);
/** Pure and small (no imports): not worth loading lazily. */
export { hostFileName } from '../commands/host-file-name.js';
