"""EG's DistributedProcessProxy, taking a warm kernel from the pool's local backend first."""
from ._claim import Deferred, PoolClaim
from ._compat import check

DistributedProcessProxy = check("enterprise_gateway.services.processproxies.distributed.DistributedProcessProxy")


class PooledDistributedProcessProxy(PoolClaim, DistributedProcessProxy):
    """On a hit, EG manages the warm kernel as it does a kernel it launched on a host: by its pid, its
    process group and its launcher's comm port (interrupts, signals, shutdown, restart, culling)."""

    def _launch_remote_process(self, kernel_cmd, **kwargs):
        if not self._pool_start_claim(kwargs["env"]):
            return super()._launch_remote_process(kernel_cmd, **kwargs)
        self._pool_cold = (kernel_cmd, kwargs)
        self.local_proc = Deferred()
        return "0"

    async def confirm_remote_startup(self):
        if self._pool_claim is not None:
            answer = await self._pool_answer()
            self.local_proc = None
            if answer is not None:
                if answer.get("comm_ip"):
                    # the warm kernel runs on the sidecar's host, whichever host EG had picked
                    self.assigned_host = self.assigned_ip = self.ip = str(answer["comm_ip"])
                if await self._pool_take(lambda: bool(self.assigned_host)):
                    return
            else:
                kernel_cmd, kwargs = self._pool_cold
                self.pid = int(DistributedProcessProxy._launch_remote_process(self, kernel_cmd, **kwargs))
            self._pool_cold = None
        await super().confirm_remote_startup()
