package io.fjord.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * CPU time and resident memory of a process, as the operating system counts them. Memory comes
 * from Linux's {@code /proc/<pid>/status}; elsewhere it reads as -1 (unknown).
 */
final class ProcessStats {

    private ProcessStats() {
    }

    /** CPU time used so far, all threads, user and system; -1 if the system does not say. */
    static long cpuMillis(ProcessHandle process) {
        return process.info().totalCpuDuration().map(d -> d.toMillis()).orElse(-1L);
    }

    /** The resident set now (VmRSS), in bytes, or -1. */
    static long rssBytes(long pid) {
        return bytes(statusKiB(pid, "VmRSS:"));
    }

    /** The largest resident set so far (VmHWM), in bytes, or -1. */
    static long peakRssBytes(long pid) {
        return bytes(statusKiB(pid, "VmHWM:"));
    }

    private static long bytes(long kib) {
        return kib < 0 ? -1 : kib * 1024;
    }

    private static long statusKiB(long pid, String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith(field)) {
                    return Long.parseLong(line.substring(field.length()).replace("kB", "").trim());
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }
}
