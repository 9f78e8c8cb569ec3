import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { createInterface } from 'node:readline';

/**
 * What a bench server process answers to lines on its stdin, so that bench/http-service.bench.ts
 * measures both HTTP servers the same way:
 * - `cpu` answers the process's CPU time so far (user + system, µs), as one number: unlike the
 *   profiler's samples, it does not count the time the process waited for a core.
 * - `profile-start` starts the inspector's CPU profiler and answers `profiling`;
 *   `profile-stop <file>` writes the .cpuprofile and answers `profiled`.
 */
export function serveBenchCommands(): void {
  const session = new Session();
  session.connect();
  createInterface({ input: process.stdin }).on('line', async (line) => {
    const [command, file] = line.trim().split(' ');
    if (command === 'cpu') {
      const { user, system } = process.cpuUsage();
      console.log(String(user + system));
    } else if (command === 'profile-start') {
      await session.post('Profiler.enable');
      await session.post('Profiler.start');
      console.log('profiling');
    } else if (command === 'profile-stop' && file) {
      const { profile } = await session.post('Profiler.stop');
      writeFileSync(file, JSON.stringify(profile));
      console.log('profiled');
    }
  });
}
