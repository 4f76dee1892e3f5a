"""Start the project's console scripts as real processes for end-to-end tests."""

import os
import signal
import socket
import subprocess
import sys
import time

from tests.fixtures import waiting

BIN_DIR = os.path.dirname(sys.executable)


def script(name):
    path = os.path.join(BIN_DIR, name)
    if not os.path.exists(path):
        raise RuntimeError('%s is not installed in %s (pip install -e .)' % (name, BIN_DIR))
    return path


def free_port():
    with socket.socket() as sock:
        sock.bind(('127.0.0.1', 0))
        return sock.getsockname()[1]


def run(name, *args, conf=None, check=True, timeout=180):
    """Run a console script to completion; return the CompletedProcess."""
    cmd = [script(name)]
    if conf:
        cmd += ['--config-file', conf]
    cmd += list(args)
    result = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
    if check and result.returncode != 0:
        raise AssertionError('%s failed (%d):\n%s\n%s' % (' '.join(cmd), result.returncode,
                                                          result.stdout, result.stderr))
    return result


class Daemon(object):
    """A long-running console script with its output in a log file."""

    def __init__(self, name, conf, log_path, extra_args=()):
        self.name = name
        self.conf = conf
        self.log_path = log_path
        self.extra_args = list(extra_args)
        self.proc = None
        self.started_at = None

    def start(self):
        self._log = open(self.log_path, 'ab')
        cmd = [script(self.name), '--config-file', self.conf] + self.extra_args
        self.started_at = time.monotonic()
        self.proc = subprocess.Popen(cmd, stdout=self._log, stderr=subprocess.STDOUT,
                                     start_new_session=True)
        return self

    @property
    def pid(self):
        return self.proc.pid

    def alive(self):
        return self.proc is not None and self.proc.poll() is None

    def log(self):
        with open(self.log_path, errors='replace') as f:
            return f.read()

    def signal(self, signum):
        self.proc.send_signal(signum)

    def stop(self, timeout=30):
        """SIGTERM and wait; returns the exit code (SIGKILL if it does not stop)."""
        if not self.alive():
            return self.proc.returncode if self.proc else None
        self.proc.send_signal(signal.SIGTERM)
        try:
            return self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
            raise AssertionError('%s did not stop within %ss of SIGTERM' % (self.name, timeout))
        finally:
            self._log.close()

    def kill(self):
        self.proc.kill()
        self.proc.wait()
        self._log.close()


def wait_for(predicate, timeout=60, interval=0.25, what='condition'):
    """The shared poller, with the longer deadline real daemons need."""
    return waiting.wait_for(predicate, timeout=timeout, interval=interval, what=what)
