"""Start, find and stop the processes of the all-in-one; stdlib only.

Each process has ``run/<name>.pid`` and ``logs/<name>.out`` (its stdout and
stderr). A pid file only counts if that pid is alive and its command line
still names the same program, so a recycled pid is never signalled.
"""

import http.client
import os
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request


def pid_file(state, name):
    return os.path.join(state.run_dir, '%s.pid' % name)


def out_file(state, name):
    return os.path.join(state.log_dir, '%s.out' % name)


def _cmdline(pid):
    try:
        with open('/proc/%d/cmdline' % pid, 'rb') as f:
            return f.read().replace(b'\0', b' ').decode(errors='replace')
    except OSError:
        return None


def all_argvs():
    """(pid, argv list) of every process of the machine that can still be read."""
    for entry in os.listdir('/proc'):
        if not entry.isdigit():
            continue
        try:
            with open('/proc/%s/cmdline' % entry, 'rb') as f:
                argv = f.read().decode(errors='replace').split('\0')
        except OSError:
            continue
        yield int(entry), argv


def _is_zombie(pid):
    try:
        with open('/proc/%d/stat' % pid) as f:
            return f.read().rsplit(')', 1)[1].split()[0] == 'Z'
    except (OSError, IndexError):
        return True


def running_pid(state, name):
    """The pid recorded for ``name`` if that process still runs, else None."""
    path = pid_file(state, name)
    try:
        with open(path) as f:
            pid, marker = f.read().split('\n', 1)
        pid = int(pid)
    except (OSError, ValueError):
        return None
    cmdline = _cmdline(pid)
    if cmdline is None or _is_zombie(pid):
        return None
    # An empty command line is a child caught between fork and exec.
    if cmdline and marker.strip() not in cmdline:
        return None
    return pid


def start(state, name, cmd, env=None, cwd=None, marker=None):
    """Start ``cmd`` detached unless already running; return (pid, started_now)."""
    pid = running_pid(state, name)
    if pid:
        return pid, False
    log = open(out_file(state, name), 'ab')
    log.write(('--- %s starting: %s\n' % (time.strftime('%F %T'), ' '.join(cmd))).encode())
    log.flush()
    proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                            env=env, cwd=cwd, start_new_session=True)
    log.close()
    with open(pid_file(state, name), 'w') as f:
        f.write('%d\n%s\n' % (proc.pid, marker or cmd[-1]))
    return proc.pid, True


def exited(state, name, pid):
    """Return the exit status of a child we started, or None if it still runs."""
    try:
        done, status = os.waitpid(pid, os.WNOHANG)
    except ChildProcessError:
        return None if _cmdline(pid) and not _is_zombie(pid) else -1
    if done == 0:
        return None
    return os.waitstatus_to_exitcode(status)


def stop(state, name, timeout=30):
    """SIGTERM, wait, then SIGKILL; remove the pid file. Returns the pid or None."""
    pid = running_pid(state, name)
    if pid:
        try:
            os.kill(pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and running_pid(state, name):
            _reap(pid)
            time.sleep(0.1)
        if running_pid(state, name):
            try:
                os.killpg(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            time.sleep(0.2)
            _reap(pid)
    try:
        os.unlink(pid_file(state, name))
    except FileNotFoundError:
        pass
    return pid


def _reap(pid):
    try:
        os.waitpid(pid, os.WNOHANG)
    except ChildProcessError:
        pass


def recorded_names(state):
    if not os.path.isdir(state.run_dir):
        return []
    return sorted(f[:-4] for f in os.listdir(state.run_dir) if f.endswith('.pid'))


def port_open(port, host='127.0.0.1'):
    """Whether something listens on the port. A connect to a closed port in the
    kernel's ephemeral range can be given that same port as its source and
    connect to itself (TCP simultaneous open); that is not a listener, and the
    socket is closed at once so the service can still bind the port."""
    with socket.socket() as sock:
        sock.settimeout(0.5)
        return sock.connect_ex((host, port)) == 0 and not connected_to_itself(sock)


def connected_to_itself(sock):
    return sock.getsockname() == sock.getpeername()


def http_answers(url):
    try:
        urllib.request.urlopen(url, timeout=3).close()
        return True
    except urllib.error.HTTPError:
        return True  # any HTTP answer means it serves
    except (urllib.error.URLError, OSError, http.client.HTTPException):
        # HTTPException: no HTTP answer at all, e.g. BadStatusLine from a
        # socket connected to itself (see port_open)
        return False


def wait_for(predicate, timeout, what, interval=0.2, alive=None):
    """Poll ``predicate``; fail early if ``alive()`` says the process died."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        if alive is not None and not alive():
            raise RuntimeError('%s: the process exited' % what)
        time.sleep(interval)
    raise RuntimeError('%s: not ready within %ss' % (what, timeout))


def wait_serving(state, name, pid, url, timeout=90):
    """Wait until ``url`` answers; fail with the exit status and log if ``pid`` dies."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if http_answers(url):
            return
        code = exited(state, name, pid)
        if code is not None or not running_pid(state, name):
            raise RuntimeError('%s exited (status %s) before serving %s:\n%s' % (
                name, code, url, tail(out_file(state, name))))
        time.sleep(0.2)
    raise RuntimeError('%s: %s did not answer within %ss' % (name, url, timeout))


def tail(path, lines=20):
    try:
        with open(path, errors='replace') as f:
            return ''.join(f.readlines()[-lines:])
    except OSError:
        return ''
