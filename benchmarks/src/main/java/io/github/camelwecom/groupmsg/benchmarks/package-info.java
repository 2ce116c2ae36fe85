/**
 * Benchmarks of the wecom-groupmsg component against the WeCom simulator. Each benchmark class has a
 * {@code main(String[])} that writes {@code target/results/<name>.json}; {@code BenchmarkReport} runs them all.
 */
package io.github.camelwecom.groupmsg.benchmarks;
