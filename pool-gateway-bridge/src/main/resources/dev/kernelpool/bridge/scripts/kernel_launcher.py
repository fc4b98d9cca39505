#!/usr/bin/env python3
"""Starts an ipykernel the way Enterprise Gateway's remote launchers do.

It picks the kernel's ports, reports its connection info, encrypted with the receiver's public key,
to the response address, listens on a comm port for {"signum": N} and {"shutdown": 1}, then runs
the kernel in this process. The kernel pool's local backend uses it for warm kernels; any launcher
speaking the same protocol (EG's own launch_ipykernel.py in a stock kernel image) works as well.

Arguments, as EG passes them: --RemoteProcessProxy.kernel-id ID --RemoteProcessProxy.response-address
HOST:PORT --RemoteProcessProxy.public-key KEY [--RemoteProcessProxy.port-range L..U]; the environment
variables KERNEL_ID, RESPONSE_ADDRESS, PUBLIC_KEY and PORT_RANGE stand in for missing arguments.
--ip sets the address the kernel binds (default 127.0.0.1). With --report-secret=stdin the first
line of stdin is a secret this launcher adds to its report (as "pool_report_secret", inside the
sealed payload), so the receiver can tell its own launchers' reports from forged ones: the secret
never appears on a command line or in the environment.

The launcher makes itself a session and process group leader first: a signal EG sends to the
reported process group reaches this kernel alone.

With --exit-with-parent=unclaimed the kernel ends when the process that started it (the sidecar)
ends while the kernel is still in the pool: a sidecar killed with SIGKILL leaves no warm kernels
behind. A claimed kernel (its KERNEL_ID no longer this launcher's id: the claim set EG's) is EG's
and stays.
"""
import base64
import json
import os
import random
import signal
import socket
import sys
import tempfile
import threading
import uuid

from Cryptodome.Cipher import AES, PKCS1_v1_5
from Cryptodome.PublicKey import RSA
from Cryptodome.Random import get_random_bytes
from Cryptodome.Util.Padding import pad


def arguments(argv):
    opts = {}
    i = 0
    while i < len(argv):
        arg = argv[i]
        if arg.startswith("--"):
            if "=" in arg:
                name, value = arg[2:].split("=", 1)
            elif i + 1 < len(argv):
                name, value = arg[2:], argv[i + 1]
                i += 1
            else:
                name, value = arg[2:], ""
            opts[name.replace("RemoteProcessProxy.", "")] = value
        i += 1
    return opts


def port_range(text):
    lower, _, upper = (text or "0..0").partition("..")
    return int(lower or 0), int(upper or 0)


def bind_socket(ip, lower, upper):
    # no SO_REUSEADDR: on Linux, sockets that all set it may bind one port together while none listens,
    # so a launcher's held ports would reserve nothing against each other or another such launcher
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    if lower <= 0:
        s.bind((ip, 0))
        return s
    for _ in range(100):
        try:
            s.bind((ip, random.randint(lower, upper)))
            return s
        except OSError:
            continue
    raise RuntimeError("no free port in range %d..%d" % (lower, upper))


def seal(info, public_key):
    aes_key = get_random_bytes(16)
    sealed_info = AES.new(aes_key, AES.MODE_ECB).encrypt(pad(json.dumps(info).encode("utf-8"), 16))
    sealed_key = PKCS1_v1_5.new(RSA.importKey(base64.b64decode(public_key))).encrypt(aes_key)
    payload = {
        "version": 1,
        "key": base64.b64encode(sealed_key).decode(),
        "conn_info": base64.b64encode(sealed_info).decode(),
    }
    return base64.b64encode(json.dumps(payload).encode("utf-8"))


def report(address, payload, source_ip):
    """Sends the payload from the kernel's own address: a receiver may check where a report came from."""
    host, _, port = address.rpartition(":")
    source = None if source_ip in ("", "0.0.0.0", "::") else (source_ip, 0)
    with socket.create_connection((host.strip("[]"), int(port)), timeout=10, source_address=source) as s:
        s.sendall(payload)
        s.shutdown(socket.SHUT_WR)


def serve_comm_port(listener):
    listener.listen(8)
    while True:
        conn, _ = listener.accept()
        with conn:
            data = b""
            conn.settimeout(5)
            try:
                while True:
                    chunk = conn.recv(4096)
                    if not chunk:
                        break
                    data += chunk
                request = json.loads(data.decode("utf-8") or "{}")
            except (OSError, ValueError):
                continue
        if request.get("shutdown"):
            end()
        signum = int(request.get("signum", 0))
        if signum > 0:
            os.kill(os.getpid(), signum)


def exit_with_parent_unless_claimed(pool_id):
    """Ends this process when its parent ends, unless a claim made the kernel EG's meanwhile."""
    parent = os.getppid()

    def watch():
        try:
            fd = os.pidfd_open(parent)
        except (AttributeError, OSError):
            fd = None
        while True:
            if fd is not None:
                import select
                if not select.select([fd], [], [], 5.0)[0]:
                    continue
            else:
                import time
                time.sleep(1.0)
                if os.getppid() == parent:
                    continue
            if os.environ.get("KERNEL_ID") == pool_id:
                end()
            return

    threading.Thread(target=watch, name="kernel-pool-parent", daemon=True).start()


def main(argv):
    if os.getpid() != os.getsid(0):
        os.setsid()
    opts = arguments(argv)
    secret = sys.stdin.readline().strip() if opts.get("report-secret") == "stdin" else None
    kernel_id = opts.get("kernel-id") or os.environ.get("KERNEL_ID")
    address = opts.get("response-address") or os.environ.get("RESPONSE_ADDRESS")
    public_key = opts.get("public-key") or os.environ.get("PUBLIC_KEY")
    if not (kernel_id and address and public_key):
        sys.exit("kernel_launcher: kernel-id, response-address and public-key are required")
    ip = opts.get("ip", "127.0.0.1")
    lower, upper = port_range(opts.get("port-range") or os.environ.get("PORT_RANGE"))
    held = [bind_socket(ip, lower, upper) for _ in range(5)]
    ports = [s.getsockname()[1] for s in held]
    comm = bind_socket(ip, lower, upper)
    info = {
        "shell_port": ports[0], "iopub_port": ports[1], "stdin_port": ports[2],
        "control_port": ports[3], "hb_port": ports[4], "ip": ip, "key": str(uuid.uuid4()),
        "transport": "tcp", "signature_scheme": "hmac-sha256",
        "kernel_name": opts.get("kernel-name", "python3"),
    }
    for s in held:
        s.close()
    threading.Thread(target=serve_comm_port, args=(comm,), daemon=True).start()
    os.environ["KERNEL_ID"] = kernel_id
    if opts.get("exit-with-parent") == "unclaimed":
        exit_with_parent_unless_claimed(kernel_id)
    reported = dict(info, pid=os.getpid(), pgid=os.getpgid(0), comm_port=comm.getsockname()[1],
                    kernel_id=kernel_id)
    if secret:
        reported["pool_report_secret"] = secret
    report(address, seal(reported, public_key), ip)

    from ipykernel.kernelapp import IPKernelApp

    signal.signal(signal.SIGTERM, lambda *_: end())
    # ipykernel reads its ports and key from a file: it exists only while ipykernel starts, and a
    # kernel ended meanwhile removes it (end), so no key is left in the temporary folder
    fd, connection_file = tempfile.mkstemp(prefix="kernel-pool-", suffix=".json")
    CONNECTION_FILES.append(connection_file)
    with os.fdopen(fd, "w") as f:
        json.dump(info, f)
    app = IPKernelApp.instance()
    try:
        app.initialize(["-f", connection_file, "--IPKernelApp.parent_handle=0"])
    finally:  # also when ipykernel cannot bind a port another process took since the report
        remove_connection_files()
    app.start()


# the connection file while ipykernel starts (at most one)
CONNECTION_FILES = []


def remove_connection_files():
    while CONNECTION_FILES:
        try:
            os.unlink(CONNECTION_FILES.pop())
        except OSError:
            pass


def end():
    """Ends the launcher and its kernel at once (a shutdown, SIGTERM or the sidecar gone)."""
    remove_connection_files()
    os._exit(0)


if __name__ == "__main__":
    main(sys.argv[1:])
