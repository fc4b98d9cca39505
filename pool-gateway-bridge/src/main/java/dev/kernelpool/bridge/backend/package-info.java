/**
 * Where pool kernels run: the {@link dev.kernelpool.bridge.backend.KernelBackend} interface and
 * its local implementation (kernels as local processes, for development, laptops and EG's
 * distributed mode on one host). The Kubernetes implementation lives in pool-k8s.
 */
package dev.kernelpool.bridge.backend;
