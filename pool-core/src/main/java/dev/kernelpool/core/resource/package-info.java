/**
 * Exact Kubernetes resource quantities ({@code 500m}, {@code 2Gi}, {@code 1e3}) and the
 * multi-dimensional resource vectors (cpu, memory, pods, GPUs, any extended resource) that all
 * sizing arithmetic is done in.
 */
package dev.kernelpool.core.resource;
