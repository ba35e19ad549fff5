package org.labspace.connector.tck;

import org.eclipse.edc.boot.system.ServiceLocator;
import org.eclipse.edc.boot.system.ServiceLocatorImpl;
import org.eclipse.edc.spi.monitor.ConsoleMonitor;
import org.eclipse.edc.spi.system.ServiceExtension;
import org.labspace.connector.runtime.LabspaceRuntime;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs a lab for the Dataspace TCK: every Labspace extension, EDC's {@code tck-extension} (seeded datasets, scripted
 * provider behaviour, the consumer-side trigger webhooks) and {@link TckIdentityProfile} in place of the
 * tck-extension's own identity. Called as {@code TckLab run --config FILE} on the connector jar's class path plus the
 * tck-extension jar and the test classes.
 */
public final class TckLab {

    /** EDC's TCK identity accepts every caller: it never runs, the static-header profile does instead. */
    static final String EDC_TCK_IDENTITY = "org.eclipse.edc.tck.dsp.identity.TckIdentityExtension";

    private TckLab() {
    }

    public static void main(String[] args) throws InterruptedException {
        if (args.length != 3 || !"run".equals(args[0]) || !"--config".equals(args[1])) {
            System.err.println("usage: TckLab run --config FILE");
            System.exit(2);
        }
        var lab = LabspaceRuntime.loadSettings(Path.of(args[2]));
        try {
            new LabspaceRuntime(lab, ConsoleMonitor.Level.valueOf(System.getProperty("labspace.tck.log-level", "INFO")), new TckExtensions()).boot(true);
        } catch (RuntimeException e) {
            System.err.println("the TCK lab could not start: " + LabspaceRuntime.describe(e));
            Runtime.getRuntime().halt(1);
        }
        Thread.currentThread().join();
    }

    /** The class path's extensions, with the static-header identity profile in place of EDC's TCK identity. */
    static final class TckExtensions implements ServiceLocator {

        private final ServiceLocator classpath = new ServiceLocatorImpl();

        @Override
        public <T> List<T> loadImplementors(Class<T> type, boolean required) {
            var found = classpath.loadImplementors(type, required);
            if (type != ServiceExtension.class) {
                return found;
            }
            var extensions = new ArrayList<T>();
            for (var extension : found) {
                if (!extension.getClass().getName().equals(EDC_TCK_IDENTITY)) {
                    extensions.add(extension);
                }
            }
            if (extensions.size() == found.size()) {
                throw new IllegalStateException(EDC_TCK_IDENTITY + " is not on the class path: is the tck-extension jar missing?");
            }
            extensions.add(type.cast(new TckIdentityProfile()));
            return extensions;
        }

        @Override
        public <T> T loadSingletonImplementor(Class<T> type, boolean required) {
            return classpath.loadSingletonImplementor(type, required);
        }
    }
}
