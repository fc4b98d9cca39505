/**
 * The warm-kernel registry: every pool kernel the sidecar started, its state (starting, warm,
 * terminating), its connection info once its launcher reported, and the atomic take that hands a
 * warm kernel to exactly one claim.
 */
package dev.kernelpool.bridge.pool;
