"""EG's KubernetesProcessProxy, taking a warm pod from the pool's Kubernetes backend first."""
from ._claim import Deferred, PoolClaim
from ._compat import check

KubernetesProcessProxy = check("enterprise_gateway.services.processproxies.k8s.KubernetesProcessProxy")


class PooledKubernetesProcessProxy(PoolClaim, KubernetesProcessProxy):
    """On a hit, the claimed pool pod carries this kernel's id and EG finds it by its labels, as it finds
    the pod its own launcher creates: EG watches, interrupts, restarts and deletes it the same way."""

    def launch_kernel(self, cmd, **kwargs):
        if not self._pool_start_claim(kwargs["env"]):
            return super().launch_kernel(cmd, **kwargs)
        self._pool_cold = (cmd, kwargs)
        return Deferred()

    async def confirm_remote_startup(self):
        if self._pool_claim is not None:
            answer = await self._pool_answer()
            if answer is not None:
                self.local_proc = None

                def running():
                    # one API call until the claimed pod is seen Running (it sets assigned_host), none after
                    return bool(self.assigned_host) or (
                        self.get_container_status(None) == "running" and bool(self.assigned_host))

                if await self._pool_take(running):
                    self.pid = 0  # as EG's own class: no process signals for Kubernetes kernels
                    self.pgid = 0
                    return
            else:
                cmd, kwargs = self._pool_cold
                self.local_proc = KubernetesProcessProxy.launch_kernel(self, cmd, **kwargs)
                self.pid = self.local_proc.pid
            self._pool_cold = None
        await super().confirm_remote_startup()
