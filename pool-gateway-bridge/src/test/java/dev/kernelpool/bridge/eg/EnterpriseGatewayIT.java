package dev.kernelpool.bridge.eg;

import dev.kernelpool.bridge.bench.EnterpriseGatewayRunner;

/**
 * The distributed-mode suite with the launch script's kernelspec ({@code
 * examples/kernelspecs/python_distributed_pooled}): the zero-install option.
 */
class EnterpriseGatewayIT extends EnterpriseGatewaySuite {
  @Override
  String kernelspec() {
    return EnterpriseGatewayRunner.POOLED;
  }

  /** The kernel, and the launch script that stays as its stand-in. */
  @Override
  int processesPerWarmKernel() {
    return 2;
  }
}
