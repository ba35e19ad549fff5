package org.labspace.connector.web;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.eclipse.edc.spi.monitor.ConsoleMonitor;
import org.eclipse.edc.web.jetty.JettyConfiguration;
import org.eclipse.edc.web.jetty.JettyService;
import org.eclipse.edc.web.jetty.PortMappingRegistryImpl;
import org.eclipse.edc.web.spi.configuration.PortMapping;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.server.handler.ContextHandlerCollection;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;

import static org.assertj.core.api.Assertions.assertThat;

class FreshRoutesTest {

    @Test
    void aServletRegisteredAfterTheServerAnswered_isReached_andNoContextCachesRoutes() throws Exception {
        var port = org.labspace.connector.launch.LocalLab.freePort();
        var mappings = new PortMappingRegistryImpl();
        mappings.register(new PortMapping("management", port, "/management"));
        var jetty = new JettyService(new JettyConfiguration("password", "password"), new ConsoleMonitor(), mappings);
        var servers = new ArrayList<org.eclipse.jetty.server.Server>();
        jetty.addConnectorConfigurationCallback(connector -> {
            connector.setHost("127.0.0.1");
            servers.add(connector.getServer());
            FreshRoutes.apply(connector.getServer());
        });
        jetty.start();
        try {
            var http = HttpClient.newHttpClient();
            var url = URI.create("http://127.0.0.1:" + port + "/management/v3/assets/request");
            // as a readiness probe does: asked before the API's servlet is there
            assertThat(http.send(HttpRequest.newBuilder(url).POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString())
                    .statusCode()).isIn(404, 405);

            jetty.registerServlet("management", new HttpServlet() {
                @Override
                protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
                    response.setStatus(200);
                    response.getWriter().write("api");
                }
            });

            var answer = http.send(HttpRequest.newBuilder(url).POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(answer.statusCode()).isEqualTo(200);
            assertThat(answer.body()).isEqualTo("api");
            var contexts = (ContextHandlerCollection) servers.get(0).getHandler();
            assertThat(contexts.getHandlers()).isNotEmpty().allSatisfy(handler ->
                    assertThat(((ServletContextHandler) handler).getServletHandler().isFilterChainsCached()).as("route cache off").isFalse());
        } finally {
            jetty.shutdown();
        }
    }
}
