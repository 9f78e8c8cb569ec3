import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

// `npm start` runs this entry point on the built packages. It runs here when they are built
// (CI builds before testing), shortened, and must end with its own check passing.
const root = resolve(import.meta.dirname, '../../..');
const built = ['core', 'adapters', 'keypool', 'router', 'metering'].every((name) =>
  existsSync(join(root, 'packages', name, 'dist/index.js')),
);
if (!built)
  console.warn('main.test: packages are not built (npm run build); the demo entry point test is skipped');

describe.skipIf(!built)('the demo entry point (npm start)', () => {
  it('runs a shortened workload, writes the report and confirms its figures against SQLite', async () => {
    const out = mkdtempSync(join(tmpdir(), 'forge1-demo-main-'));
    try {
      const { stdout } = await promisify(execFile)(
        process.execPath,
        ['src/main.ts', '--requests', '300', '--concurrency', '16', '--out', out],
        { cwd: resolve(import.meta.dirname, '..'), timeout: 120_000, env: { ...process.env, CI: 'true' } },
      );
      expect(stdout).toContain('Mode: provider emulator');
      expect(stdout).toMatch(/Checked: every figure above matches the SQLite usage store \(\d+ records/);
      for (const tenant of ['Northwind Bank', 'MedIQ Clinics', 'PixelPush']) expect(stdout).toContain(tenant);
      expect(existsSync(join(out, 'report.html'))).toBe(true);
      expect(existsSync(join(out, 'usage.db'))).toBe(true);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  }, 150_000);
});
