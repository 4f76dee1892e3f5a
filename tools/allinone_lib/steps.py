"""Install steps that say what they do, how long it took, and why they failed.

Standard library only: ``tools/allinone`` runs this with the system Python
before the project's virtualenv exists.

A step's output goes to a log file, not the terminal; when the command fails
the step prints the command, the last lines of that output and what to do,
then exits with status 1 naming the step.
"""

import os
import subprocess
import sys
import time

TAIL_LINES = 15


class StepFailed(SystemExit):
    """A step's command failed; the message names the step (exit status 1)."""

    def __init__(self, step, message):
        super().__init__(1)
        self.step = step
        self.message = message


def say(msg):
    print('allinone: %s' % msg, flush=True)


def _tail(path, lines=TAIL_LINES):
    try:
        with open(path, errors='replace') as f:
            return [line.rstrip('\n') for line in f.readlines()[-lines:]]
    except OSError:
        return []


def _log_path(log_dir, title):
    os.makedirs(log_dir, exist_ok=True)
    name = ''.join(c if c.isalnum() else '-' for c in title.lower()).strip('-')[:60]
    return os.path.join(log_dir, 'install-%s.log' % name)


def fail(title, cmd, lines, hint, log=None):
    """Print why step ``title`` failed and exit with status 1."""
    out = sys.stderr
    print('allinone: FAILED step "%s"' % title, file=out)
    if cmd:
        print('allinone:   command: %s' % ' '.join(cmd), file=out)
    if lines:
        print('allinone:   last lines of its output%s:' % (' (all in %s)' % log if log else ''),
              file=out)
        for line in lines:
            print('allinone:     | %s' % line, file=out)
    if hint:
        print('allinone:   what to do: %s' % hint, file=out)
    out.flush()
    raise StepFailed(title, 'step "%s" failed' % title)


def run(title, cmds, hint, log_dir, env=None, check=True):
    """Run ``cmds`` (one argv list, or several in order) as the step ``title``.

    Returns True when every command succeeded; with ``check`` false a failure
    is reported as a warning and False returned instead of exiting.
    """
    if cmds and isinstance(cmds[0], str):
        cmds = [cmds]
    log = _log_path(log_dir, title)
    say('%s ...' % title)
    start = time.monotonic()
    with open(log, 'w') as out:
        for cmd in cmds:
            out.write('$ %s\n' % ' '.join(cmd))
            out.flush()
            try:
                code = subprocess.run(cmd, stdout=out, stderr=subprocess.STDOUT,
                                      stdin=subprocess.DEVNULL, env=env).returncode
            except OSError as exc:
                out.write('%s\n' % exc)
                code = 127
            if code != 0:
                break
    elapsed = time.monotonic() - start
    if code == 0:
        say('%s: done in %.1fs' % (title, elapsed))
        return True
    if not check:
        say('warning: %s failed after %.1fs (carrying on without it): %s'
            % (title, elapsed, ' / '.join(_tail(log, 3))))
        return False
    fail(title, cmd, _tail(log) + ['(exit status %d after %.1fs)' % (code, elapsed)],
         hint, log)
