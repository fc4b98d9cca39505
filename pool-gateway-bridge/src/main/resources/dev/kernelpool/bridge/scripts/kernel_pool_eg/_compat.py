"""Which Enterprise Gateway this plugin runs on: one clear line when it is not one it supports."""

SUPPORTED_MAJOR = "3."

# What the pooled classes call or override, by EG class: an EG without one of them is refused.
NEEDED = {
    "enterprise_gateway.services.processproxies.processproxy.RemoteProcessProxy": (
        "confirm_remote_startup", "receive_connection_info", "handle_timeout", "get_current_time", "launch_kernel"),
    "enterprise_gateway.services.processproxies.distributed.DistributedProcessProxy": (
        "_launch_remote_process", "confirm_remote_startup"),
    "enterprise_gateway.services.processproxies.k8s.KubernetesProcessProxy": (
        "get_container_status", "confirm_remote_startup", "launch_kernel"),
}


class UnsupportedGateway(ImportError):
    """Raised at import: this Enterprise Gateway's process-proxy API is not the one the plugin knows."""


def check(class_path):
    """Imports EG's class at ``class_path`` and returns it, or raises UnsupportedGateway in one line."""
    module_name, _, name = class_path.rpartition(".")
    try:
        from enterprise_gateway._version import __version__ as version
    except ImportError:
        raise UnsupportedGateway("kernel_pool_eg needs Jupyter Enterprise Gateway 3.x, and none is importable here") from None
    if not version.startswith(SUPPORTED_MAJOR):
        raise UnsupportedGateway(
            "kernel_pool_eg supports Enterprise Gateway 3.x; this is %s: use the launch script kernelspecs instead" % version) from None
    try:
        module = __import__(module_name, fromlist=[name])
        cls = getattr(module, name)
    except (ImportError, AttributeError) as e:
        raise UnsupportedGateway("kernel_pool_eg: Enterprise Gateway %s has no %s (%s)" % (version, class_path, e)) from None
    missing = [m for m in NEEDED.get(class_path, ()) if not hasattr(cls, m)]
    if missing:
        raise UnsupportedGateway("kernel_pool_eg: Enterprise Gateway %s's %s lacks %s: its process-proxy API differs"
                                 % (version, name, ", ".join(missing))) from None
    return cls
