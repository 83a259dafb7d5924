// Preloaded into a bundle under test (NODE_OPTIONS=--require …) to record every process it starts: one JSON line per
// start (command and argv) appended to $RECORD_PROCESSES_FILE. A step that must keep a secret off every command line
// is judged by this list, not by reading its source.
const childProcess = require('node:child_process');
const fs = require('node:fs');

const file = process.env.RECORD_PROCESSES_FILE;
if (file) {
  const record = (command, args) => {
    const argv = Array.isArray(args) ? args.map(String) : [];
    fs.appendFileSync(file, JSON.stringify({ command: String(command), argv }) + '\n');
  };
  for (const name of ['spawn', 'spawnSync', 'execFile', 'execFileSync', 'fork']) {
    const original = childProcess[name];
    childProcess[name] = function (command, args, ...rest) {
      record(command, args);
      return original.call(this, command, args, ...rest);
    };
  }
  for (const name of ['exec', 'execSync']) {
    const original = childProcess[name];
    childProcess[name] = function (command, ...rest) {
      record(command, []);
      return original.call(this, command, ...rest);
    };
  }
}
