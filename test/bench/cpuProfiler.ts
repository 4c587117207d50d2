// Preloaded into a benchmark server (`--require`) when BENCH_CPU_PROF_DIR is set: node 20 refuses
// `--cpu-prof` in NODE_OPTIONS, so this starts the V8 profiler through the inspector instead and
// writes the profile to $BENCH_CPU_PROF_FILE when the process exits (the servers exit on SIGTERM).
import { Session } from 'node:inspector';
import { writeFileSync } from 'node:fs';

const file = process.env.BENCH_CPU_PROF_FILE;
if (file) {
  const session = new Session();
  session.connect();
  session.post('Profiler.enable');
  session.post('Profiler.setSamplingInterval', { interval: 100 });
  session.post('Profiler.start');
  process.on('exit', () => {
    // The in-process session answers synchronously, so the profile is written before the process ends.
    session.post('Profiler.stop', (error, result) => {
      if (error) console.error(`CPU profile not written: ${error.message}`);
      else writeFileSync(file, JSON.stringify(result.profile));
    });
  });
}
