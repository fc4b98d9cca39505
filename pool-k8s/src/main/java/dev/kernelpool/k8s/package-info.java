/**
 * The Kubernetes side of the pool: informers over namespaces, quotas and kernel pods ({@code
 * cluster}), pool pods built in EG's kernel-pod shape ({@code pods}), launch history kept in a
 * ConfigMap ({@code history}), the leader-only reconciler applying pool-core's plan ({@code
 * reconcile}), exactly-once claims and in-place resize ({@code claim}), leader election ({@code
 * leader}) and Kubernetes Events ({@code events}). No ZeroMQ or Jupyter types: the sidecar adapts
 * these to its kernels.
 */
package dev.kernelpool.k8s;
