"""python3 -m kernel_pool_eg: checks, in one line, that this environment's Enterprise Gateway takes the plugin."""
import sys

from . import __version__
from ._compat import NEEDED, UnsupportedGateway, check


def main():
    try:
        for class_path in NEEDED:
            if class_path.endswith("KubernetesProcessProxy"):
                continue  # importing EG's k8s module loads the in-cluster configuration: checked at a launch
            check(class_path)
    except UnsupportedGateway as e:
        print(e, file=sys.stderr)
        return 1
    from enterprise_gateway._version import __version__ as eg
    print("kernel_pool_eg %s: Enterprise Gateway %s takes the pooled process proxies" % (__version__, eg))
    return 0


sys.exit(main())
