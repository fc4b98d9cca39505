"""Kernel Pool's Enterprise Gateway plugin: process proxies that take a warm kernel from the pool.

Name one of these in a kernelspec's ``metadata.process_proxy.class_name``:

* ``kernel_pool_eg.distributed.PooledDistributedProcessProxy`` instead of EG's
  ``DistributedProcessProxy`` (EG's distributed mode, the sidecar's local backend);
* ``kernel_pool_eg.k8s.PooledKubernetesProcessProxy`` instead of EG's ``KubernetesProcessProxy``
  (the sidecar's Kubernetes backend).

Each asks the sidecar for a warm kernel first (the claim API v1, the same request as
``kernel-pool-launch.py``), and on a hit takes the connection info the sidecar delivered to EG at
once, without the poll interval EG sleeps before it first looks. On a miss, an error, a timeout, or an
unreachable or frozen sidecar, EG's own class launches cold, unchanged. Settings come from the
kernelspec's own ``env`` (``kernel_spec.env``, never the launch's environment, where EG puts a client's
``KERNEL_*`` variables over the kernelspec's): ``KERNEL_POOL_URL``, ``KERNEL_POOL_TOKEN_FILE`` (or
``KERNEL_POOL_TOKEN``), ``KERNEL_POOL_TIMEOUT`` (seconds, default 2), ``KERNEL_POOL_KERNELSPEC`` (the pool's kernelspec, default
this kernelspec's name), ``KERNEL_POOL_DISABLED=1`` (which a client may also send);
they are read by EG's process and removed from the kernel's environment.

Supports Enterprise Gateway 3.x (tested with 3.3.0); ``python3 -m kernel_pool_eg`` checks the EG in
this environment in one line.
"""

__version__ = "0.1.0"
