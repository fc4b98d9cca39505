"""The part both pooled process proxies share: the claim, made without blocking EG's event loop."""
import asyncio
import os
import time

from . import launch as _pool
from ._compat import check

RemoteProcessProxy = check("enterprise_gateway.services.processproxies.processproxy.RemoteProcessProxy")

# How long a hit waits for the connection info the sidecar delivered before answering: EG's response
# manager reads it on its own, so it is there within milliseconds; past this, EG's own loop waits.
_TAKE_SECONDS = 2.0


class Deferred:
    """Stands for the cold launch's process while the claim is under way: alive, with no pid."""

    pid = 0
    returncode = None

    def poll(self):
        return None

    def wait(self, timeout=None):
        return None

    def send_signal(self, signum):
        return None

    def terminate(self):
        return None

    def kill(self):
        return None


def launcher_environ(env):
    """The environment EG's cold launcher would run with, which a warm kernel takes in its place: EG's
    environment for the launch, what jupyter_client's launch_kernel adds (JPY_PARENT_PID, EG's pid),
    and what a Python launcher's interpreter adds when the locale is C (PEP 538: LC_CTYPE)."""
    environ = dict(env)
    environ.setdefault("JPY_PARENT_PID", str(os.getpid()))
    c_locale = ("", "C", "POSIX")
    if (not environ.get("LC_ALL") and environ.get("LC_CTYPE", environ.get("LANG", "")) in c_locale
            and environ.get("PYTHONCOERCECLOCALE") != "0"):
        environ["LC_CTYPE"] = "C.UTF-8"
    return environ


class PoolClaim:
    """Mixin for an EG RemoteProcessProxy: asks the sidecar before the cold launch."""

    _pool_claim = None

    def _pool_start_claim(self, env):
        """Starts the claim on a worker thread; False when the pool is switched off for this launch.

        The pool's settings (its token among them) are taken out of the kernel's environment here: EG's
        process reads them, the kernel never sees them, on a hit or a cold launch."""
        launch = {k: env.pop(k) for k in list(env) if k.startswith("KERNEL_POOL_")}
        # Where the claim goes and with which token: the kernelspec's settings only. A client's launch
        # may carry KERNEL_* variables of its choosing; the one it may set is KERNEL_POOL_DISABLED.
        spec_env = getattr(self.kernel_manager.kernel_spec, "env", None) or {}
        settings = {k: v for k, v in spec_env.items() if k.startswith("KERNEL_POOL_")}
        if "1" in (settings.get("KERNEL_POOL_DISABLED"), launch.get("KERNEL_POOL_DISABLED")):
            return False
        timeout = _pool.timeout_of(settings)
        deadline = time.time() + timeout
        km = self.kernel_manager
        # the pool's kernelspec: this one's name, or the one named by KERNEL_POOL_KERNELSPEC (a plugin
        # kernelspec beside a script one can share its pool)
        kernelspec = settings.get("KERNEL_POOL_KERNELSPEC") or km.kernel_name
        request = _pool.claim_request(self.kernel_id, kernelspec, km.response_address, km.public_key,
                                      getattr(km, "port_range", None) or "0..0", deadline, timeout,
                                      launcher_environ(env))
        self._pool_claim = asyncio.get_event_loop().run_in_executor(None, _pool.ask, request, settings, deadline, timeout)
        return True

    async def _pool_answer(self):
        """The sidecar's answer on a hit, else None (and why, in EG's log)."""
        claim, self._pool_claim = self._pool_claim, None
        try:
            reason, answer = await claim
        except Exception as e:  # any failure of ours must still give the user a kernel
            reason, answer = "error: %s" % e, None
        if answer is None:
            self.log.info("kernel pool: %s; launching kernel %s cold", reason, self.kernel_id)
        else:
            self.log.info("kernel pool: warm kernel %s for kernel %s in %s ms",
                          answer.get("pool_kernel"), self.kernel_id, answer.get("claim_ms"))
        return answer

    async def _pool_take(self, ready):
        """Takes the delivered connection info at once; False if EG's own loop must go on waiting.

        ``ready`` tells whether EG may look (Kubernetes: the claimed pod is found Running)."""
        self.start_time = RemoteProcessProxy.get_current_time()
        end = time.monotonic() + _TAKE_SECONDS
        while time.monotonic() < end:
            if ready() and await self.receive_connection_info():
                return True
            await asyncio.sleep(0.005)
        return False
