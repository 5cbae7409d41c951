// Loaded into Azurite (NODE_OPTIONS=--require) by AzuriteServer: Azurite stops when the process that
// started it dies, however it dies. A `listes360 up` killed outright (SIGKILL, a fatal crash) runs no
// cleanup of its own, and an orphaned Azurite would keep its port so that the next `up` fails.
// Node's process.ppid is read once at start-up, so the parent is checked through /proc where there
// is one (Linux: the parent id changes when the process is re-parented), else by signalling it.
'use strict';
const fs = require('fs');
const parent = process.ppid;

function currentParent() {
  try {
    // /proc/self/stat: "pid (command) state ppid …"; the command may contain spaces or parentheses.
    const stat = fs.readFileSync('/proc/self/stat', 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  } catch {
    try {
      process.kill(parent, 0);
      return parent;
    } catch {
      return -1;
    }
  }
}

const timer = setInterval(() => {
  if (currentParent() === parent) return;
  clearInterval(timer);
  // As Ctrl-C: Azurite writes its database before exiting; forced out if it does not in time.
  setTimeout(() => process.exit(1), 15000);
  process.kill(process.pid, 'SIGINT');
}, 500);
timer.unref();
