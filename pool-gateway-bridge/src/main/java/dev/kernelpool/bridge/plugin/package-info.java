/**
 * The Enterprise Gateway process-proxy plugin: the Python package {@code kernel_pool_eg} (pooled
 * subclasses of EG's distributed and Kubernetes process proxies) as the jar ships it, written out as
 * a folder and as a wheel that {@code pip install} takes.
 */
package dev.kernelpool.bridge.plugin;
