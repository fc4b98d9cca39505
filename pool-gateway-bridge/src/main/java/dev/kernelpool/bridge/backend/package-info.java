/**
 * Where pool kernels run, and everything the bridge knows of it: the {@link
 * dev.kernelpool.bridge.backend.KernelBackend} interface with its local implementation (kernels as
 * local processes, for development, laptops and EG's distributed mode on one host) and its
 * Kubernetes one, and the {@link dev.kernelpool.bridge.backend.PoolRuntime} that keeps each filled.
 * This is the only package of the sidecar that sees pool-k8s ({@code KubernetesWiring},
 * {@code KubernetesRuntime}, {@code KubernetesBackend}); the sidecar itself sees a runtime.
 */
package dev.kernelpool.bridge.backend;
