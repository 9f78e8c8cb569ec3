export {
  createRecordingGuard,
  createRecordingMeter,
  createScriptedAdapter,
  createStaticKeyPool,
  createStaticRouter,
  type RecordingGuard,
  type RecordingMeter,
  type ScriptedAdapter,
  type ScriptedReply,
  type StaticKeyPool,
} from './doubles.js';
export { createFakeClock, type FakeClock } from './fake-clock.js';
