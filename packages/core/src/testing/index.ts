export {
  createRecordingMeter,
  createScriptedAdapter,
  createStaticKeyPool,
  createStaticRouter,
  type RecordingMeter,
  type ScriptedAdapter,
  type ScriptedReply,
  type StaticKeyPool,
} from './doubles.js';
export { createFakeClock, type FakeClock } from './fake-clock.js';
