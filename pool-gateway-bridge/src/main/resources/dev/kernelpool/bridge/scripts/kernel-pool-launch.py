#!/usr/bin/env python3
"""Kernel Pool launch script: asks the pool sidecar for a warm kernel, else runs the cold launcher.

Stands in a kernelspec's argv before Enterprise Gateway's own launcher, with the same arguments:

  python3 kernel-pool-launch.py [--kernelspec NAME] -- <EG's launcher argv, unchanged>

On a hit the sidecar sends the warm kernel's connection info to EG's response address and this
script exits 0. On a miss, a timeout, an unreachable sidecar or any error it replaces itself with
the cold launcher (same arguments, same environment), so the user always gets a kernel.

Environment: KERNEL_POOL_URL (default http://127.0.0.1:8765), KERNEL_POOL_TOKEN or
KERNEL_POOL_TOKEN_FILE, KERNEL_POOL_TIMEOUT seconds (default 2), KERNEL_POOL_KERNELSPEC,
KERNEL_POOL_DISABLED=1 to always launch cold. Standard library only.
"""
import json
import os
import sys
import urllib.error
import urllib.request

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


def token():
    if os.environ.get("KERNEL_POOL_TOKEN"):
        return os.environ["KERNEL_POOL_TOKEN"].strip()
    path = os.environ.get("KERNEL_POOL_TOKEN_FILE")
    if path:
        with open(path) as f:
            return f.read().strip()
    return ""


def claim(own_args, fallback):
    if os.environ.get("KERNEL_POOL_DISABLED") == "1":
        return "disabled"
    eg = eg_arguments(fallback)
    for needed in ("kernel-id", "response-address", "public-key"):
        if not eg.get(needed):
            return "launcher argv has no --RemoteProcessProxy.%s" % needed
    kernelspec = own_args.get("kernelspec") or os.environ.get("KERNEL_POOL_KERNELSPEC", "")
    request = {
        "version": PROTOCOL_VERSION,
        "kernel_id": eg["kernel-id"],
        "kernelspec": kernelspec,
        "response_address": eg["response-address"],
        "public_key": eg["public-key"],
        "port_range": eg.get("port-range", "0..0"),
        "env": {k: v for k, v in os.environ.items()
                if k.startswith("KERNEL_") and not k.startswith("KERNEL_POOL_")},
    }
    url = os.environ.get("KERNEL_POOL_URL", "http://127.0.0.1:8765").rstrip("/") + "/v1/claims"
    timeout = float(os.environ.get("KERNEL_POOL_TIMEOUT", "2"))
    http = urllib.request.Request(url, data=json.dumps(request).encode("utf-8"), method="POST",
                                  headers={"Content-Type": "application/json",
                                           "Authorization": "Bearer " + token()})
    try:
        with urllib.request.urlopen(http, timeout=timeout) as response:
            answer = json.loads(response.read().decode("utf-8"))
            if answer.get("result") == "hit":
                log("warm kernel %s handed to kernel %s in %s ms"
                    % (answer.get("pool_kernel"), eg["kernel-id"], answer.get("claim_ms")))
                return None
            return "unexpected answer %r" % answer.get("result")
    except urllib.error.HTTPError as e:
        try:
            answer = json.loads(e.read().decode("utf-8"))
            return "%s: %s" % (answer.get("result", "error"), answer.get("reason", e.code))
        except ValueError:
            return "HTTP %d from sidecar" % e.code
    except (urllib.error.URLError, OSError) as e:
        return "sidecar unreachable (%s)" % getattr(e, "reason", e)
    except ValueError:
        return "sidecar answer is not JSON"


def main(argv):
    if "--" not in argv or argv.index("--") == len(argv) - 1:
        log("usage: kernel-pool-launch.py [--kernelspec NAME] -- <cold launcher argv>")
        return 2
    split = argv.index("--")
    own, fallback = argv[:split], argv[split + 1:]
    own_args = {}
    for i, arg in enumerate(own):
        if arg == "--kernelspec" and i + 1 < len(own):
            own_args["kernelspec"] = own[i + 1]
    try:
        reason = claim(own_args, fallback)
    except Exception as e:  # any failure of ours must still give the user a kernel
        reason = "error: %s" % e
    if reason is None:
        return 0
    log("%s; launching cold: %s" % (reason, os.path.basename(fallback[0])))
    sys.stdout.flush()
    os.execvp(fallback[0], fallback)
    return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
