package org.labspace.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What a process holds at one moment, read from /proc: resident memory, open file descriptors, threads. A value is
 * -1 when it could not be read (the process ended, or no /proc).
 */
record ProcessStats(long rssBytes, int openFiles, int threads) {

    static ProcessStats of(long pid) {
        long rss = -1;
        var threads = -1;
        try {
            for (var line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith("VmRSS:")) {
                    rss = Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                } else if (line.startsWith("Threads:")) {
                    threads = Integer.parseInt(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | NumberFormatException e) {
            // no sample
        }
        var files = -1;
        var fd = Path.of("/proc/" + pid + "/fd");
        try (var entries = Files.list(fd)) {
            files = (int) entries.count();
        } catch (IOException | SecurityException e) {
            // no sample
        }
        return new ProcessStats(rss, files, threads);
    }

    double rssMb() {
        return rssBytes / 1e6;
    }
}
