package org.labspace.connector.web;

import org.eclipse.jetty.server.Server;

import java.util.Collections;
import java.util.Set;
import java.util.WeakHashMap;

/**
 * Keeps Jetty from routing a path to the servlet it found before the APIs were registered. EDC's Jetty listens
 * before Jersey registers its servlets; Jetty caches the servlet it chose for each path, and a request that chose
 * the default 404 servlet while Jersey was being registered can store its choice after the registration cleared the
 * cache. That path then answered 404/405 for the life of the process (seen here: a lab whose
 * {@code POST /management/v3/assets/request} answered "HTTP method POST is not supported by this URL" while every
 * other route worked). Without the cache each request looks its servlet up; EDC adds no servlet filters, so the
 * lookup is a path match.
 */
final class FreshRoutes {

    private static final Set<Server> DONE = Collections.synchronizedSet(Collections.newSetFromMap(new WeakHashMap<>()));

    private FreshRoutes() {
    }

    /** Called for each connector of the server, before the server starts; acts once per server. */
    static void apply(Server server) {
        if (server == null || !DONE.add(server)) {
            return;
        }
        ServletContexts.onStarting(server, context -> context.getServletHandler().setFilterChainsCached(false));
    }
}
