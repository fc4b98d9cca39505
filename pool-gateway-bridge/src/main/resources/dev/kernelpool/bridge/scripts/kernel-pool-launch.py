#!/usr/bin/env python3
"""Kernel Pool launch script: asks the pool sidecar for a warm kernel, else runs the cold launcher.

Stands in a kernelspec's argv before Enterprise Gateway's own launcher, with the same arguments:

  python3 kernel-pool-launch.py --kernelspec NAME --url URL --token-file FILE [--timeout S] -- <EG's launcher argv>

On a hit the sidecar sends the warm kernel's connection info to EG's response address. Where EG
watches this process as the kernel's (its distributed mode: the sidecar answers with the kernel's
pid), this script then stays as the kernel's stand-in: it lives exactly as long as the kernel, and
passes the signals EG sends it (SIGTERM, SIGINT, ...) to the kernel through its comm port; if it is
killed, the kernel notices and exits. Otherwise (Kubernetes: EG watches the pod) it exits 0. On a
miss, a timeout, an unreachable sidecar or any error it replaces itself with the cold launcher (same
arguments, same environment), so the user always gets a kernel.

The claim carries an absolute deadline (now + KERNEL_POOL_TIMEOUT): the sidecar hands nothing over
after it, and this script launches cold once it has passed.

Settings: --url (default http://127.0.0.1:8765), --token-file, --timeout seconds (default 2) and
--kernelspec on the command line, which only the kernelspec's argv sets. Enterprise Gateway puts a
client's own KERNEL_* variables into the launch environment after the kernelspec's env, so any user
could replace a KERNEL_POOL_URL there and have the token sent to an address of theirs: once the
command line names the sidecar, no KERNEL_POOL_URL, _TOKEN, _TOKEN_FILE or _TIMEOUT of the
environment counts. Without them (older kernelspecs) the environment is read: KERNEL_POOL_URL,
KERNEL_POOL_TOKEN_FILE or KERNEL_POOL_TOKEN, KERNEL_POOL_TIMEOUT, KERNEL_POOL_KERNELSPEC.
KERNEL_POOL_DISABLED=1 (a client may send it) always launches cold.

Standard library only, and only its cheapest parts: every launch pays for this script's imports, so
it speaks HTTP over the C-level _socket module and writes and reads its small, flat JSON itself
(Python's HTTP client costs ~50 ms of imports, socket and json ~12 ms; run it with python3 -I -S).
"""
import _socket
import os
import sys
import time as _time

PROTOCOL_VERSION = 1


def log(message):
    sys.stderr.write("kernel-pool: %s\n" % message)
    sys.stderr.flush()


def eg_arguments(argv):
    opts = {}
    i = 0
    while i < len(argv):
        arg = argv[i]
        if arg.startswith("--RemoteProcessProxy."):
            if "=" in arg:
                name, value = arg[len("--RemoteProcessProxy."):].split("=", 1)
            else:
                name = arg[len("--RemoteProcessProxy."):]
                value = argv[i + 1] if i + 1 < len(argv) else ""
                i += 1
            opts[name] = value
        i += 1
    return opts


class SidecarError(Exception):
    pass


def json_text(value):
    """JSON for str, int, float, bool, None and dicts of those (the claim request)."""
    if isinstance(value, dict):
        return "{" + ",".join(json_text(str(k)) + ":" + json_text(v) for k, v in value.items()) + "}"
    if value is None:
        return "null"
    if value is True or value is False:
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    out = ['"']
    for ch in str(value):
        code = ord(ch)
        if ch == '"' or ch == "\\":
            out.append("\\" + ch)
        elif code < 0x20 or code == 0x7F:
            out.append("\\u%04x" % code)
        elif 0xD800 <= code <= 0xDFFF:  # undecodable environment bytes (surrogateescape)
            out.append("\\ufffd")
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)


ESCAPES = {'"': '"', "\\": "\\", "/": "/", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t"}


def parse_flat_object(text):
    """Parses a flat JSON object of strings, numbers, booleans and nulls (the sidecar's answer)."""
    result, i, n = {}, 0, len(text)

    def skip(i):
        while i < n and text[i] in " \t\r\n":
            i += 1
        return i

    def string(i):
        if text[i] != '"':
            raise ValueError("expected a string at %d" % i)
        i, out = i + 1, []
        while text[i] != '"':
            if text[i] == "\\":
                esc = text[i + 1]
                if esc == "u":
                    code = int(text[i + 2:i + 6], 16)
                    i += 6
                    if 0xD800 <= code < 0xDC00 and text[i:i + 2] == "\\u":
                        low = int(text[i + 2:i + 6], 16)
                        if 0xDC00 <= low <= 0xDFFF:
                            code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                            i += 6
                    out.append(chr(code))
                    continue
                out.append(ESCAPES[esc])
                i += 2
            else:
                out.append(text[i])
                i += 1
        return "".join(out), i + 1

    i = skip(0)
    if text[i] != "{":
        raise ValueError("not an object")
    i = skip(i + 1)
    while text[i] != "}":
        key, i = string(i)
        i = skip(i)
        if text[i] != ":":
            raise ValueError("expected ':' at %d" % i)
        i = skip(i + 1)
        if text[i] == '"':
            value, i = string(i)
        else:
            end = i
            while end < n and text[end] not in ",} \t\r\n":
                end += 1
            word = text[i:end]
            value = {"true": True, "false": False, "null": None}.get(word, word)
            if isinstance(value, str):
                value = float(word)
            i = end
        result[key] = value
        i = skip(i)
        if text[i] == ",":
            i = skip(i + 1)
    return result


def remaining(deadline):
    left = deadline - _time.time()
    if left <= 0:
        raise TimeoutError()
    return left


def post_json(url, payload, token_value, deadline):
    """POST JSON over plain HTTP/1.1 with Connection: close; returns (status, parsed body).

    Every connect, send and receive waits at most until the absolute deadline."""
    if not url.startswith("http://"):
        raise SidecarError("KERNEL_POOL_URL must be http://host:port, got %r" % url)
    hostport, _, path = url[len("http://"):].partition("/")
    host, _, port = hostport.rpartition(":")
    if not host:
        host, port = hostport, "80"
    body = json_text(payload).encode("utf-8", "replace")
    head = ("POST /%s HTTP/1.1\r\nHost: %s\r\nContent-Type: application/json\r\n"
            "Authorization: Bearer %s\r\nContent-Length: %d\r\nConnection: close\r\n\r\n"
            % (path, hostport, token_value, len(body))).encode("latin-1")
    family, kind, proto, _, address = _socket.getaddrinfo(host.strip("[]"), int(port), 0, _socket.SOCK_STREAM)[0]
    s = _socket.socket(family, kind, proto)
    try:
        s.settimeout(remaining(deadline))
        s.connect(address)
        s.settimeout(remaining(deadline))
        s.sendall(head + body)
        raw = b""
        expected = None  # total bytes once the headers are in, when they give Content-Length
        while expected is None or len(raw) < expected:
            s.settimeout(remaining(deadline))
            chunk = s.recv(65536)
            if not chunk:
                break
            raw += chunk
            if expected is None and b"\r\n\r\n" in raw:
                # Stop at Content-Length: waiting for the server to close costs milliseconds.
                head_end = raw.index(b"\r\n\r\n") + 4
                for line in raw[:head_end].split(b"\r\n"):
                    if line.lower().startswith(b"content-length:"):
                        expected = head_end + int(line.split(b":", 1)[1])
                if expected is None:
                    expected = 1 << 62  # no length given: read until the server closes
    finally:
        s.close()
    header, _, content = raw.partition(b"\r\n\r\n")
    status_line = header.split(b"\r\n", 1)[0].split()
    if len(status_line) < 2 or not status_line[1].isdigit():
        raise SidecarError("sidecar answer is not HTTP")
    try:
        return int(status_line[1]), parse_flat_object(content.decode("utf-8") or "{}")
    except (ValueError, KeyError, IndexError):
        return int(status_line[1]), {}


def token(settings):
    """The claim token: the file's first (a kernelspec names it; a client that sends KERNEL_POOL_TOKEN
    with its launch must not replace the kernelspec's token), else KERNEL_POOL_TOKEN."""
    path = settings.get("KERNEL_POOL_TOKEN_FILE")
    if path:
        with open(path) as f:
            return f.read().strip()
    return (settings.get("KERNEL_POOL_TOKEN") or "").strip()


def claim_request(kernel_id, kernelspec, response_address, public_key, port_range, deadline, timeout, environ,
                  holder_pid=None):
    """The claim API v1 request, from EG's launch values and the environment EG built for it."""
    request = {
        "version": PROTOCOL_VERSION,
        "kernel_id": kernel_id,
        "kernelspec": kernelspec,
        "response_address": response_address,
        "public_key": public_key,
        "port_range": port_range or "0..0",
        # The sidecar hands nothing over once this has passed: by then the caller launches cold.
        "deadline_ms": int(deadline * 1000),
        "timeout_ms": max(1, int(timeout * 1000)),
        "env": {k: v for k, v in environ.items() if k.startswith("KERNEL_") and not k.startswith("KERNEL_POOL_")},
        # The environment EG built for this launch: a warm kernel takes it, as a cold one would have.
        "environ": {k: v for k, v in environ.items() if not k.startswith("KERNEL_POOL_")},
    }
    if holder_pid is not None:
        # This process stays as the kernel's stand-in where EG watches it (distributed mode).
        request["holder_pid"] = holder_pid
    return request


def ask(request, settings, deadline, timeout):
    """Posts a claim; returns (None, answer) on a hit, else (the reason to launch cold, None).

    settings: where KERNEL_POOL_URL and KERNEL_POOL_TOKEN(_FILE) are read (os.environ for the script)."""
    url = settings.get("KERNEL_POOL_URL", "http://127.0.0.1:8765").rstrip("/") + "/v1/claims"
    try:
        status, answer = post_json(url, request, token(settings), deadline)
    except TimeoutError:
        return "sidecar timed out after %ss" % timeout, None
    except OSError as e:
        return "sidecar unreachable (%s)" % (e.strerror or e), None
    except SidecarError as e:
        return str(e), None
    if status == 200 and answer.get("result") == "hit":
        log("warm kernel %s handed to kernel %s in %s ms"
            % (answer.get("pool_kernel"), request["kernel_id"], answer.get("claim_ms")))
        return None, answer
    return "%s: %s" % (answer.get("result", "error"), answer.get("reason", "HTTP %d" % status)), None


OWN_OPTIONS = {"--kernelspec": "KERNEL_POOL_KERNELSPEC", "--url": "KERNEL_POOL_URL",
               "--token-file": "KERNEL_POOL_TOKEN_FILE", "--timeout": "KERNEL_POOL_TIMEOUT"}
# What the command line replaces as a whole: a user's launch may carry any of these in its environment.
TRUSTED_ONLY_FROM_ARGV = ("KERNEL_POOL_URL", "KERNEL_POOL_TOKEN", "KERNEL_POOL_TOKEN_FILE", "KERNEL_POOL_TIMEOUT")


def settings_from(own, environ):
    """The pool's settings: the script's own options (the kernelspec's argv) over the environment's."""
    settings = {k: v for k, v in environ.items() if k.startswith("KERNEL_POOL_")}
    given = {}
    for i, arg in enumerate(own):
        if arg in OWN_OPTIONS and i + 1 < len(own):
            given[OWN_OPTIONS[arg]] = own[i + 1]
    if "KERNEL_POOL_URL" in given or "KERNEL_POOL_TOKEN_FILE" in given:
        for name in TRUSTED_ONLY_FROM_ARGV:
            settings.pop(name, None)
    settings.update(given)
    return settings


def timeout_of(settings):
    """KERNEL_POOL_TIMEOUT in seconds (default 2); a value that is not a number is said once and taken as 2."""
    try:
        return float(settings.get("KERNEL_POOL_TIMEOUT", "2"))
    except ValueError:
        log("KERNEL_POOL_TIMEOUT %r is not a number; using 2 s" % settings.get("KERNEL_POOL_TIMEOUT"))
        return 2.0


def claim(settings, fallback, deadline, timeout):
    """Asks the sidecar; returns None on a hit (and the answer), else the reason to launch cold."""
    if settings.get("KERNEL_POOL_DISABLED") == "1":
        return "disabled", None
    eg = eg_arguments(fallback)
    for needed in ("kernel-id", "response-address", "public-key"):
        if not eg.get(needed):
            return "launcher argv has no --RemoteProcessProxy.%s" % needed, None
    kernelspec = settings.get("KERNEL_POOL_KERNELSPEC", "")
    request = claim_request(eg["kernel-id"], kernelspec, eg["response-address"], eg["public-key"],
                            eg.get("port-range", "0..0"), deadline, timeout, os.environ, holder_pid=os.getpid())
    return ask(request, settings, deadline, timeout)


def send_comm(host, port, message):
    """Sends one JSON request to the kernel launcher's comm port, as EG does."""
    s = _socket.socket(_socket.AF_INET, _socket.SOCK_STREAM)
    try:
        s.settimeout(2)
        s.connect((host, port))
        s.sendall(message.encode("ascii"))
    finally:
        s.close()


def hold(answer):
    """Stays for the handed-over kernel until it exits; passes EG's signals on to it.

    Returns the exit status: 0 when the kernel ended after EG asked (a signal came), 1 otherwise."""
    import select
    import signal

    pid = int(answer["kernel_pid"])
    host, port = str(answer.get("comm_ip") or "127.0.0.1"), int(answer["comm_port"])
    asked = []

    def forward(signum, _frame):
        asked.append(signum)
        try:
            send_comm(host, port, '{"signum": %d}' % signum)
        except OSError:
            pass  # the kernel is gone: the wait below ends

    for name in ("SIGTERM", "SIGINT", "SIGHUP", "SIGQUIT", "SIGUSR1", "SIGUSR2"):
        signal.signal(getattr(signal, name), forward)
    try:
        fd = os.pidfd_open(pid)
    except ProcessLookupError:
        return 1
    except (AttributeError, OSError):
        fd = None
    while True:
        if fd is not None:
            ready, _, _ = select.select([fd], [], [], 1.0)
            if ready:
                break
        else:
            _time.sleep(0.25)
            try:
                os.kill(pid, 0)
            except ProcessLookupError:
                break
            except PermissionError:
                pass
    return 0 if asked else 1


def main(argv):
    if "--" not in argv or argv.index("--") == len(argv) - 1:
        log("usage: kernel-pool-launch.py --kernelspec NAME --url URL --token-file FILE [--timeout S] -- <cold launcher argv>")
        return 2
    split = argv.index("--")
    own, fallback = argv[:split], argv[split + 1:]
    settings = settings_from(own, os.environ)
    timeout = timeout_of(settings)
    deadline = _time.time() + timeout
    try:
        reason, answer = claim(settings, fallback, deadline, timeout)
    except Exception as e:  # any failure of ours must still give the user a kernel
        reason, answer = "error: %s" % e, None
    if reason is None:
        if answer.get("kernel_pid") is not None and answer.get("comm_port") is not None:
            log("staying as the stand-in of kernel process %d until it ends" % int(answer["kernel_pid"]))
            return hold(answer)
        return 0
    log("%s; launching cold: %s" % (reason, os.path.basename(fallback[0])))
    sys.stdout.flush()
    # The pool's own settings (its token among them) are not the kernel's business.
    environ = {k: v for k, v in os.environ.items() if not k.startswith("KERNEL_POOL_")}
    os.execvpe(fallback[0], fallback, environ)
    return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
