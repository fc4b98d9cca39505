package dev.kernelpool.bridge.eg;

import dev.kernelpool.bridge.bench.EnterpriseGatewayRunner;

/**
 * The distributed-mode suite with the process-proxy plugin's kernelspec ({@code
 * examples/kernelspecs/python_distributed_plugin}: {@code
 * kernel_pool_eg.distributed.PooledDistributedProcessProxy}, installed into EG's environment from
 * the wheel the build makes). It shares the script kernelspec's pool.
 */
class EnterpriseGatewayPluginIT extends EnterpriseGatewaySuite {
  @Override
  String kernelspec() {
    return EnterpriseGatewayRunner.PLUGIN;
  }

  /** The kernel alone: EG holds it by its pid and its launcher's comm port, no stand-in. */
  @Override
  int processesPerWarmKernel() {
    return 1;
  }
}
