package org.labspace.connector.web;

import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.handler.ContextHandlerCollection;
import org.eclipse.jetty.util.component.LifeCycle;

import java.util.function.Consumer;

/** EDC's web contexts as Jetty servlet contexts, reached once the server starts and before it listens. */
final class ServletContexts {

    private ServletContexts() {
    }

    /**
     * Calls {@code action} for each servlet context of {@code server} when it starts. EDC mounts every context's
     * handler at "/" and routes by the virtual host "@name" of the context's connector.
     */
    static void onStarting(Server server, Consumer<ServletContextHandler> action) {
        server.addEventListener(new LifeCycle.Listener() {
            @Override
            public void lifeCycleStarting(LifeCycle event) {
                if (server.getHandler() instanceof ContextHandlerCollection contexts) {
                    for (var handler : contexts.getHandlers()) {
                        if (handler instanceof ServletContextHandler context) {
                            action.accept(context);
                        }
                    }
                }
            }
        });
    }

    static boolean isContext(ServletContextHandler context, String name) {
        return context.getVirtualHosts().contains("@" + name);
    }
}
