package io.fjord.cli;

import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.SAXException;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One POM file as written, before inheritance and {@code ${...}} interpolation (see
 * {@link PomModels}): the parts dependency resolution needs and nothing else. Profiles are not
 * read: activation depends on the machine that builds, and Fjord's dependencies do not use them
 * to add runtime dependencies.
 *
 * <p>Read with the JDK's XML parser rather than Maven's model builder: that would add Maven's
 * resolver and some twenty jars to every image for one option of {@code fjord image}.
 */
record Pom(Path file, Coordinates parent, Coordinates self, String packaging, Map<String, String> properties,
           List<Dependency> dependencies, List<Dependency> managed) {

    /** groupId, artifactId and version as written; groupId and version may be inherited (null). */
    record Coordinates(String groupId, String artifactId, String version) {
    }

    /** A {@code <dependency>}; fields not written are null, exclusions are {@code groupId:artifactId}. */
    record Dependency(String groupId, String artifactId, String version, String type, String classifier,
                      String scope, String optional, List<String> exclusions) {
    }

    static Pom read(Path file) throws ImageException {
        Element project = xml(file, "the POM", "project");
        Element parent = child(project, "parent");
        Map<String, String> properties = new LinkedHashMap<>();
        Element props = child(project, "properties");
        if (props != null) {
            for (Element p : children(props)) {
                properties.put(p.getTagName(), p.getTextContent().strip());
            }
        }
        Element management = child(project, "dependencyManagement");
        String packaging = text(project, "packaging");
        return new Pom(file, parent == null ? null : coordinates(parent), coordinates(project),
                packaging == null ? "jar" : packaging, properties, dependencies(project),
                management == null ? List.of() : dependencies(management));
    }

    /** The root element of an XML file of a repository, which must be {@code <root>}; {@code what} names the file. */
    static Element xml(Path file, String what, String root) throws ImageException {
        Element element;
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            // A repository's file has no business reading other files or URLs while it is parsed.
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
            factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
            factory.setExpandEntityReferences(false);
            Document doc = factory.newDocumentBuilder().parse(file.toFile());
            element = doc.getDocumentElement();
        } catch (ParserConfigurationException | SAXException | IOException e) {
            throw new ImageException("cannot read " + what + " " + file + ": " + e.getMessage());
        }
        if (!element.getTagName().equals(root)) {
            throw new ImageException("cannot read " + what + " " + file + ": its root element is <"
                    + element.getTagName() + ">, not <" + root + ">");
        }
        return element;
    }

    private static Coordinates coordinates(Element e) {
        return new Coordinates(text(e, "groupId"), text(e, "artifactId"), text(e, "version"));
    }

    private static List<Dependency> dependencies(Element owner) {
        Element list = child(owner, "dependencies");
        List<Dependency> result = new ArrayList<>();
        if (list == null) {
            return result;
        }
        for (Element d : children(list)) {
            if (!d.getTagName().equals("dependency")) {
                continue;
            }
            List<String> exclusions = new ArrayList<>();
            Element ex = child(d, "exclusions");
            if (ex != null) {
                for (Element e : children(ex)) {
                    exclusions.add(text(e, "groupId") + ":" + text(e, "artifactId"));
                }
            }
            result.add(new Dependency(text(d, "groupId"), text(d, "artifactId"), text(d, "version"), text(d, "type"),
                    text(d, "classifier"), text(d, "scope"), text(d, "optional"), List.copyOf(exclusions)));
        }
        return result;
    }

    static List<Element> children(Element parent) {
        List<Element> result = new ArrayList<>();
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e) {
                result.add(e);
            }
        }
        return result;
    }

    static Element child(Element parent, String name) {
        for (Element e : children(parent)) {
            if (e.getTagName().equals(name)) {
                return e;
            }
        }
        return null;
    }

    static String text(Element parent, String name) {
        Element e = child(parent, name);
        return e == null ? null : e.getTextContent().strip();
    }
}
