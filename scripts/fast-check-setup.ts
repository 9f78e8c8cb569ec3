import fc from 'fast-check';

// Property tests explore a fresh seed on every local run; CI replays one fixed seed so that a
// submission's result does not depend on luck, and `.ci/run` then runs the fuzzers once more on a
// fresh seed. FORGE1_FUZZ_SEED replays any seed: the one in use is printed, and fast-check's own
// failure report repeats it with the path to the failing case.
const fixed = process.env.FORGE1_FUZZ_SEED ?? (process.env.CI ? '20261123' : undefined);
const seed = fixed === undefined ? (Date.now() ^ (Math.random() * 0x100000000)) | 0 : Number(fixed);
fc.configureGlobal({ seed });
const announced = globalThis as { forge1SeedAnnounced?: boolean };
if (!announced.forge1SeedAnnounced) {
  announced.forge1SeedAnnounced = true;
  console.info(`fast-check seed ${seed} (replay: FORGE1_FUZZ_SEED=${seed})`);
}
