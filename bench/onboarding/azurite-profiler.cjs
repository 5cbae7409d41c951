// CPU profile of Azurite during a bench: `AZURITE_PROFILE_DIR=/tmp/p NODE_OPTIONS="--require $PWD/bench/onboarding/azurite-profiler.cjs" bash bench/onboarding/run.sh 59 2000`,
// then `python3 bench/onboarding/cpuprofile-top.py /tmp/p/*.cpuprofile`. Node 20 refuses --cpu-prof in NODE_OPTIONS, and
// Azurite is stopped by a signal before a profile at exit could be written: a segment is written every 20 s instead.
const inspector = require('inspector');
const fs = require('fs');
const path = require('path');
const dir = process.env.AZURITE_PROFILE_DIR;
if (dir && process.argv.some(a => a.includes('azurite'))) {
  const session = new inspector.Session();
  session.connect();
  let segment = 0;
  const start = () => session.post('Profiler.enable', () =>
    session.post('Profiler.setSamplingInterval', { interval: 2000 }, () => session.post('Profiler.start')));
  start();
  setInterval(() => session.post('Profiler.stop', (error, result) => {
    if (result) fs.writeFileSync(path.join(dir, `azurite-${process.pid}-${String(segment++).padStart(3, '0')}.cpuprofile`), JSON.stringify(result.profile));
    start();
  }), 20000).unref();
}
