package io.tickrelay.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * The switches README's "TLS" section gives an operator reach the HTTP endpoint: Liberty resolves
 * {@code ${NAME}} from the environment first and from a {@code <variable defaultValue>} otherwise
 * (openliberty.io/docs/latest/reference/config/server-configuration-overview.html, "Variable
 * precedence"), and {@code -1} turns a port off (httpEndpoint: "Use -1 to disable this port").
 * The running server with {@code HTTP_PORT=-1} was checked by hand (the opsweb report, issue 15);
 * this keeps the wiring that check relied on.
 */
class ServerXmlTest {

  private static final Pattern VARIABLE = Pattern.compile("\\$\\{([A-Za-z0-9_.]+)}");

  @Test
  void httpOffAndHttpsOnAreEnvironmentSwitchesOfTheOneEndpoint() throws Exception {
    Document server = parse();
    Element endpoint = only(server, "httpEndpoint");
    assertEquals("defaultHttpEndpoint", endpoint.getAttribute("id"));
    Map<String, String> defaults = new HashMap<>();
    NodeList variables = server.getElementsByTagName("variable");
    for (int i = 0; i < variables.getLength(); i++) {
      Element v = (Element) variables.item(i);
      defaults.put(v.getAttribute("name"), v.getAttribute("defaultValue"));
    }

    Map<String, String> unset = Map.of();
    assertEquals("9080", resolve(endpoint.getAttribute("httpPort"), unset, defaults));
    assertEquals("-1", resolve(endpoint.getAttribute("httpsPort"), unset, defaults), "HTTPS off by default");

    Map<String, String> httpsOnly = Map.of("HTTP_PORT", "-1", "HTTPS_PORT", "9443");
    assertEquals("-1", resolve(endpoint.getAttribute("httpPort"), httpsOnly, defaults), "plain HTTP off");
    assertEquals("9443", resolve(endpoint.getAttribute("httpsPort"), httpsOnly, defaults));
    assertEquals("*", endpoint.getAttribute("host"), "reachable from outside the container");
  }

  @Test
  void tlsIsInstalledAndMetricsAreTheWarsBehindTheOperatorCredential() throws Exception {
    List<String> features = new ArrayList<>();
    NodeList list = parse().getElementsByTagName("feature");
    for (int i = 0; i < list.getLength(); i++) {
      features.add(list.item(i).getTextContent().trim());
    }
    assertTrue(features.stream().anyMatch(f -> f.startsWith("transportSecurity-")), features.toString());
    // mpMetrics would serve its own /metrics, open, in front of the WAR's (metrics.MetricsServlet)
    assertFalse(features.stream().anyMatch(f -> f.startsWith("mpMetrics-") || f.startsWith("microProfile-")),
        features.toString());
  }

  private static String resolve(String value, Map<String, String> env, Map<String, String> defaults) {
    Matcher m = VARIABLE.matcher(value);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String name = m.group(1);
      String resolved = env.containsKey(name) ? env.get(name) : defaults.get(name);
      assertTrue(resolved != null, "server.xml uses ${" + name + "} without a default");
      m.appendReplacement(out, Matcher.quoteReplacement(resolved));
    }
    return m.appendTail(out).toString();
  }

  private static Element only(Document doc, String tag) {
    NodeList found = doc.getElementsByTagName(tag);
    assertEquals(1, found.getLength(), "one <" + tag + ">");
    return (Element) found.item(0);
  }

  private static Document parse() throws Exception {
    DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
    factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
    return factory.newDocumentBuilder().parse(Path.of("server-config/server.xml").toFile());
  }
}
