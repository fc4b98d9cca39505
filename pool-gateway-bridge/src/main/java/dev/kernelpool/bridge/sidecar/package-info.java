/**
 * The sidecar itself: the pool controller that plans and applies (on claims, kernel events and a
 * resync timer), readiness and health checks of pool kernels, configuration, and the wiring of
 * all parts into one closeable process.
 */
package dev.kernelpool.bridge.sidecar;
