package org.labspace.connector.web;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.server.Server;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;

/**
 * Answers a peer's Dataspace Protocol message once this connector is ready for it, instead of sending the peer away.
 * <p>
 * A quick peer's message can arrive while this connector is still finishing its own step on the same negotiation or
 * transfer: EDC then refuses it with a lease-conflict {@code 409}, and {@code EarlyPeerMessageFilter} holds back an
 * answer to a message we have not yet recorded as sent. Both refusals come before anything is touched, and the step
 * in the way ends within milliseconds. EDC's own HTTP client would retry a {@code 503}, but other connectors (the
 * Dataspace TCK among them) treat any refusal as final, so the message is handed to EDC again here, with a short
 * backoff, for up to {@link #WINDOW}. Only when our step takes longer than that does the peer get {@code 503} with
 * {@code Retry-After}.
 */
public final class PeerMessageRetry implements Filter {

    /** How long a peer's message may wait for this connector's own step on the same entity. */
    public static final Duration WINDOW = Duration.ofSeconds(3);
    /** Marks a refusal that may be retried at once: set by {@code EarlyPeerMessageFilter}, never sent to a peer. */
    public static final String RETRY_HEADER = "Labspace-Retry";
    // DSP messages are a few kilobytes of JSON-LD: anything bigger is refused before it is buffered
    static final int MAX_MESSAGE_BYTES = 4 * 1024 * 1024;
    // only the lease conflict: EDC refuses it before touching the entity, so handing the message over again is
    // safe. A refusal for a wrong state ("cannot be agreed") has already written back a stale copy; it stays 409
    private static final String LEASE_CONFLICT = "is currently leased";

    private final Duration window;
    private final BooleanSupplier started;

    PeerMessageRetry(Duration window, BooleanSupplier started) {
        this.window = window;
        this.started = started;
    }

    /**
     * Adds the filter to the servlet context of web context {@code contextName} when {@code server} starts.
     *
     * @param started false while the connector starts or stops: Jetty listens before EDC's routes exist, and a
     *                peer's message would get a 404, which EDC takes as final; it gets a retryable 503 instead
     */
    static void install(Server server, String contextName, BooleanSupplier started) {
        ServletContexts.onStarting(server, context -> {
            if (ServletContexts.isContext(context, contextName)) {
                context.addFilter(new FilterHolder(new PeerMessageRetry(WINDOW, started)), "/*", EnumSet.of(DispatcherType.REQUEST));
            }
        });
    }

    /** A lease-conflict refusal: the message had no effect and may be handed over again. */
    public static boolean isLeaseConflict(int status, Object body) {
        return status == 409 && body != null && body.toString().contains(LEASE_CONFLICT);
    }

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain) throws IOException, ServletException {
        if (!started.getAsBoolean() && response instanceof HttpServletResponse starting) {
            starting.setStatus(503);
            starting.setHeader("Retry-After", "1");
            starting.setContentType("application/json");
            starting.getWriter().write("{\"message\":\"this connector is starting or stopping; send again in a moment\"}");
            return;
        }
        if (!(request instanceof HttpServletRequest http) || !(response instanceof HttpServletResponse httpResponse) || !"POST".equals(http.getMethod())) {
            chain.doFilter(request, response);
            return;
        }
        var body = request.getInputStream().readNBytes(MAX_MESSAGE_BYTES + 1);
        if (body.length > MAX_MESSAGE_BYTES) {
            httpResponse.sendError(413, "a Dataspace Protocol message may have at most " + MAX_MESSAGE_BYTES + " bytes");
            return;
        }
        var deadline = System.nanoTime() + window.toNanos();
        var pause = 10L;
        while (true) {
            var answer = new BufferedAnswer(httpResponse);
            chain.doFilter(new ReplayedMessage(http, body), answer);
            var retryable = answer.status == 503 && answer.headers.containsKey(RETRY_HEADER) || isLeaseConflict(answer.status, answer.text());
            if (!retryable || System.nanoTime() + pause * 1_000_000 > deadline) {
                answer.sendTo(httpResponse, retryable);
                return;
            }
            try {
                Thread.sleep(pause);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                answer.sendTo(httpResponse, true);
                return;
            }
            pause = Math.min(pause * 2, 200);
        }
    }

    /** The peer's message, readable again for each attempt. */
    private static final class ReplayedMessage extends HttpServletRequestWrapper {
        private final byte[] body;

        ReplayedMessage(HttpServletRequest request, byte[] body) {
            super(request);
            this.body = body;
        }

        @Override
        public ServletInputStream getInputStream() {
            var in = new ByteArrayInputStream(body);
            return new ServletInputStream() {
                @Override
                public boolean isFinished() {
                    return in.available() == 0;
                }

                @Override
                public boolean isReady() {
                    return true;
                }

                @Override
                public void setReadListener(ReadListener listener) {
                    throw new IllegalStateException("the protocol API reads synchronously");
                }

                @Override
                public int read() {
                    return in.read();
                }

                @Override
                public int read(byte[] b, int off, int len) {
                    return in.read(b, off, len);
                }
            };
        }

        @Override
        public BufferedReader getReader() {
            var charset = getCharacterEncoding() == null ? StandardCharsets.UTF_8 : Charset.forName(getCharacterEncoding());
            return new BufferedReader(new InputStreamReader(new ByteArrayInputStream(body), charset));
        }

        @Override
        public int getContentLength() {
            return body.length;
        }

        @Override
        public long getContentLengthLong() {
            return body.length;
        }
    }

    /** One attempt's answer, kept until it is known whether the peer gets it or the message is handed over again. */
    private static final class BufferedAnswer extends HttpServletResponseWrapper {
        private final Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        private final ByteArrayOutputStream body = new ByteArrayOutputStream();
        private int status = 200;
        private String error;
        private boolean sentError;
        private PrintWriter writer;
        private String encoding;

        BufferedAnswer(HttpServletResponse response) {
            super(response);
        }

        String text() {
            flushWriter();
            return sentError ? String.valueOf(error) : body.toString(StandardCharsets.UTF_8);
        }

        void sendTo(HttpServletResponse response, boolean stillBusy) throws IOException {
            flushWriter();
            if (stillBusy) {
                // the step in the way outlasted the window: a retryable refusal, which EDC's client sends again
                headers.remove(RETRY_HEADER);
                status = 503;
                headers.put("Retry-After", List.of("1"));
            }
            if (sentError) {
                response.sendError(status, error);
                return;
            }
            response.setStatus(status);
            headers.forEach((name, values) -> values.forEach(value -> response.addHeader(name, value)));
            if (body.size() > 0) {
                response.setContentLength(body.size());
                body.writeTo(response.getOutputStream());
            }
        }

        private void flushWriter() {
            if (writer != null) {
                writer.flush();
            }
        }

        @Override
        public void setStatus(int sc) {
            status = sc;
        }

        @Override
        public int getStatus() {
            return status;
        }

        @Override
        public void sendError(int sc, String message) {
            status = sc;
            error = message;
            sentError = true;
        }

        @Override
        public void sendError(int sc) {
            sendError(sc, null);
        }

        @Override
        public void setHeader(String name, String value) {
            if (value == null) {
                headers.remove(name);
            } else {
                headers.put(name, new ArrayList<>(List.of(value)));
            }
        }

        @Override
        public void addHeader(String name, String value) {
            headers.computeIfAbsent(name, n -> new ArrayList<>()).add(value);
        }

        @Override
        public void setIntHeader(String name, int value) {
            setHeader(name, String.valueOf(value));
        }

        @Override
        public void addIntHeader(String name, int value) {
            addHeader(name, String.valueOf(value));
        }

        @Override
        public void setDateHeader(String name, long date) {
            setHeader(name, java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME.format(java.time.Instant.ofEpochMilli(date).atZone(java.time.ZoneOffset.UTC)));
        }

        @Override
        public void addDateHeader(String name, long date) {
            addHeader(name, java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME.format(java.time.Instant.ofEpochMilli(date).atZone(java.time.ZoneOffset.UTC)));
        }

        @Override
        public boolean containsHeader(String name) {
            return headers.containsKey(name);
        }

        @Override
        public String getHeader(String name) {
            var values = headers.get(name);
            return values == null || values.isEmpty() ? null : values.get(0);
        }

        @Override
        public Collection<String> getHeaders(String name) {
            return headers.getOrDefault(name, List.of());
        }

        @Override
        public Collection<String> getHeaderNames() {
            return headers.keySet();
        }

        @Override
        public void setContentType(String type) {
            setHeader("Content-Type", type);
        }

        @Override
        public String getContentType() {
            return getHeader("Content-Type");
        }

        @Override
        public void setCharacterEncoding(String charset) {
            encoding = charset;
        }

        @Override
        public String getCharacterEncoding() {
            return encoding != null ? encoding : StandardCharsets.UTF_8.name();
        }

        @Override
        public void setContentLength(int len) {
            // the length is the buffered body's, set when the answer is sent
        }

        @Override
        public void setContentLengthLong(long len) {
            // as above
        }

        @Override
        public ServletOutputStream getOutputStream() {
            return new ServletOutputStream() {
                @Override
                public boolean isReady() {
                    return true;
                }

                @Override
                public void setWriteListener(WriteListener listener) {
                    throw new IllegalStateException("the protocol API writes synchronously");
                }

                @Override
                public void write(int b) {
                    body.write(b);
                }

                @Override
                public void write(byte[] b, int off, int len) {
                    body.write(b, off, len);
                }
            };
        }

        @Override
        public PrintWriter getWriter() {
            if (writer == null) {
                writer = new PrintWriter(new OutputStreamWriter(body, Charset.forName(getCharacterEncoding())));
            }
            return writer;
        }

        @Override
        public void flushBuffer() {
            flushWriter();
        }

        @Override
        public boolean isCommitted() {
            return false;
        }

        @Override
        public void reset() {
            headers.clear();
            body.reset();
            status = 200;
            sentError = false;
        }

        @Override
        public void resetBuffer() {
            body.reset();
        }
    }
}
