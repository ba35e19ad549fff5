package org.labspace.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * CPU time from /proc, in clock ticks (100 per second on Linux): one process's user and system time and minor page
 * faults, and the machine's busy, idle and stolen time and context switches. The difference of two readings says
 * where a phase's CPU went; steal is what the shared host's other guests took. A value is -1 when it could not be
 * read.
 */
record CpuTime(long processUser, long processSystem, long processMinorFaults, long machineBusy, long machineIdle, long machineSteal,
        long machineContextSwitches) {

    private static final double TICKS_PER_SECOND = 100;

    static CpuTime of(long pid) {
        long user = -1;
        long system = -1;
        long faults = -1;
        try {
            var stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            // the command name may hold spaces: the fields start after its closing parenthesis
            var fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            faults = Long.parseLong(fields[7]);
            user = Long.parseLong(fields[11]);
            system = Long.parseLong(fields[12]);
        } catch (IOException | RuntimeException e) {
            // no sample
        }
        long busy = -1;
        long idle = -1;
        long steal = -1;
        long switches = -1;
        try {
            var lines = Files.readAllLines(Path.of("/proc/stat"));
            var cpu = lines.get(0).trim().split("\\s+");
            for (var line : lines) {
                if (line.startsWith("ctxt ")) {
                    switches = Long.parseLong(line.substring(5).trim());
                }
            }
            // cpu user nice system idle iowait irq softirq steal ...
            busy = Long.parseLong(cpu[1]) + Long.parseLong(cpu[2]) + Long.parseLong(cpu[3]) + Long.parseLong(cpu[6]) + Long.parseLong(cpu[7]);
            idle = Long.parseLong(cpu[4]) + Long.parseLong(cpu[5]);
            steal = cpu.length > 8 ? Long.parseLong(cpu[8]) : 0;
        } catch (IOException | RuntimeException e) {
            // no sample
        }
        return new CpuTime(user, system, faults, busy, idle, steal, switches);
    }

    /** What was spent between {@code earlier} and this reading. */
    CpuTime since(CpuTime earlier) {
        return new CpuTime(processUser - earlier.processUser, processSystem - earlier.processSystem, processMinorFaults - earlier.processMinorFaults,
                machineBusy - earlier.machineBusy, machineIdle - earlier.machineIdle, machineSteal - earlier.machineSteal,
                machineContextSwitches - earlier.machineContextSwitches);
    }

    CpuTime plus(CpuTime other) {
        return new CpuTime(processUser + other.processUser, processSystem + other.processSystem, processMinorFaults + other.processMinorFaults,
                machineBusy + other.machineBusy, machineIdle + other.machineIdle, machineSteal + other.machineSteal,
                machineContextSwitches + other.machineContextSwitches);
    }

    double processSeconds() {
        return (processUser + processSystem) / TICKS_PER_SECOND;
    }

    /** The process's system time as a share of its CPU time. */
    double systemPercent() {
        return 100.0 * processSystem / Math.max(1, processUser + processSystem);
    }

    static CpuTime zero() {
        return new CpuTime(0, 0, 0, 0, 0, 0, 0);
    }

    /** Share of the machine's time that was idle, busy or stolen: "busy 97%, idle 1%, steal 2%". */
    String machineShares() {
        double all = machineBusy + machineIdle + machineSteal;
        return all <= 0 ? "n/a" : "busy %.0f%%, idle %.0f%%, steal %.0f%%".formatted(100 * machineBusy / all, 100 * machineIdle / all, 100 * machineSteal / all);
    }
}
