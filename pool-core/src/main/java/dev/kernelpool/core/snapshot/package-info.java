/**
 * The planner's input: an immutable snapshot of namespaces with their quotas, the pool's members
 * per profile, and launch history. Backends (local processes, Kubernetes) build snapshots; the
 * planner and the simulator only read them.
 */
package dev.kernelpool.core.snapshot;
