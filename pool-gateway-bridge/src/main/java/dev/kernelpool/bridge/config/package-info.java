/**
 * The sidecar's configuration: a YAML file read into validated records, every key with a default,
 * every bad value failing fast with its full key path and the reason.
 */
package dev.kernelpool.bridge.config;
