package org.labspace.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The machine a suite ran on, for its report: cores, memory, CPU, the Java the labs run with (this JVM's), and the
 * load average before and after, since the machine is shared.
 */
record Machine(int cores, double memoryGib, String cpu, String java, String kernel, String loadBefore, String loadAfter) {

    static Machine describe() {
        var memory = 0.0;
        var cpu = "unknown CPU";
        try {
            for (var line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemTotal:")) {
                    memory = Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0 / 1024.0;
                }
            }
            for (var line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    cpu = line.substring(line.indexOf(':') + 1).strip();
                    break;
                }
            }
        } catch (IOException | NumberFormatException e) {
            // not Linux: the report says less
        }
        var java = System.getProperty("java.vm.vendor") + " " + System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version");
        return new Machine(Runtime.getRuntime().availableProcessors(), memory, cpu, java,
                System.getProperty("os.name") + " " + System.getProperty("os.version"), load(), null);
    }

    Machine withLoadAfter() {
        return new Machine(cores, memoryGib, cpu, java, kernel, loadBefore, load());
    }

    String oneLine() {
        return "%d cores (%s), %.1f GiB memory, %s".formatted(cores, cpu, memoryGib, java);
    }

    String markdown() {
        return "%d cores (`nproc`; %s), %.1f GiB memory, %s, %s; load average (1, 5, 15 min) before: %s, after: %s.".formatted(cores, cpu,
                memoryGib, java, kernel, loadBefore, loadAfter == null ? "n/a" : loadAfter);
    }

    private static String load() {
        try {
            var fields = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return fields[0] + ", " + fields[1] + ", " + fields[2];
        } catch (IOException | ArrayIndexOutOfBoundsException e) {
            return "n/a";
        }
    }
}
