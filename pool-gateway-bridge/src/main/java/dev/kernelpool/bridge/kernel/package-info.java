/**
 * Talks to a running Jupyter kernel over ZeroMQ (jeromq): heartbeat, {@code kernel_info} as the
 * readiness check, silent execution for warm-up and personalization, interrupt and shutdown. Moves
 * frames only; the format lives in {@link dev.kernelpool.bridge.wire}.
 */
package dev.kernelpool.bridge.kernel;
