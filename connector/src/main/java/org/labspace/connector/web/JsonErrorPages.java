package org.labspace.connector.web;

import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

import java.io.IOException;
import java.nio.charset.Charset;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.WeakHashMap;

/**
 * The answers Jetty makes itself (no such path, a method or media type the API does not take, a path with control
 * characters) in JSON, {@code {"url": ..., "status": ..., "message": ...}}, like every Labspace refusal, instead of
 * an HTML page, and for every method: Jetty picks HTML for {@code Accept: *}{@code /*}, which is what most clients
 * send, and writes no body at all for a PUT or DELETE.
 */
final class JsonErrorPages {

    private static final Set<Server> DONE = Collections.synchronizedSet(Collections.newSetFromMap(new WeakHashMap<>()));

    private JsonErrorPages() {
    }

    /** Called for each connector of the server, before the server starts; acts once per server. */
    static void apply(Server server) {
        if (server == null || !DONE.add(server)) {
            return;
        }
        server.setErrorHandler(new Core());
        ServletContexts.onStarting(server, context -> context.setErrorHandler(new Servlet()));
    }

    private static final String JSON = "application/json";

    /** Refusals before a request reaches a context (a suspicious path, a malformed request line). */
    static final class Core extends ErrorHandler {
        Core() {
            setShowStacks(false);
            setShowCauses(false);
        }

        @Override
        public boolean errorPageForMethod(String method) {
            return true;
        }

        @Override
        protected boolean generateAcceptableResponse(Request request, org.eclipse.jetty.server.Response response, Callback callback, String contentType,
                                                     List<Charset> charsets, int code, String message, Throwable cause) throws IOException {
            return super.generateAcceptableResponse(request, response, callback, JSON, charsets, code, message, cause);
        }
    }

    /** Refusals inside a servlet context (Jersey's 404, 405 and 415). */
    static final class Servlet extends org.eclipse.jetty.ee10.servlet.ErrorHandler {
        Servlet() {
            setShowStacks(false);
            setShowCauses(false);
        }

        @Override
        public boolean errorPageForMethod(String method) {
            return true;
        }

        @Override
        protected boolean generateAcceptableResponse(Request request, org.eclipse.jetty.server.Response response, Callback callback, String contentType,
                                                     List<Charset> charsets, int code, String message, Throwable cause) throws IOException {
            return super.generateAcceptableResponse(request, response, callback, JSON, charsets, code, message, cause);
        }
    }
}
