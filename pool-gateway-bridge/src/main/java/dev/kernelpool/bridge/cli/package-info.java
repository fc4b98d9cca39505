/**
 * The executable's command line ({@code java -jar kernel-pool.jar}): {@code serve}, {@code demo},
 * {@code bench}, {@code scripts}, each with {@code --help}.
 */
package dev.kernelpool.bridge.cli;
