package io.github.camelwecom.groupmsg.tools;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The imports of one source file: a type whose simple name is taken stays fully qualified. */
final class Imports {

    private static final Pattern QUALIFIED_NAME = Pattern.compile("[A-Za-z_$][\\w$]*(?:\\.[A-Za-z_$][\\w$]*)*");

    private final String ownPackage;
    private final Map<String, String> bySimpleName = new HashMap<>();
    private final Set<String> imports = new TreeSet<>();

    Imports(String ownPackage) {
        this.ownPackage = ownPackage;
    }

    /** The name to write for a class, imported if needed. */
    String use(String qualifiedName) {
        String name = qualifiedName.replace('$', '.');
        int dot = name.lastIndexOf('.');
        if (dot < 0) {
            return name;
        }
        String simple = name.substring(dot + 1);
        String known = bySimpleName.putIfAbsent(simple, name);
        if (known != null && !known.equals(name)) {
            return name;
        }
        String pkg = name.substring(0, dot);
        if (!pkg.equals("java.lang") && !pkg.equals(ownPackage)) {
            imports.add(name);
        }
        return simple;
    }

    /** A type as written in the catalog, generics included: {@code a.B<java.lang.String, c.D>}. */
    String type(String javaType) {
        Matcher m = QUALIFIED_NAME.matcher(javaType);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(out, Matcher.quoteReplacement(use(m.group())));
        }
        m.appendTail(out);
        return out.toString();
    }

    /**
     * The import statements, java, javax, then the rest, as the project's formatter orders them, each group and the
     * block followed by a blank line.
     */
    String block() {
        List<List<String>> groups = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        for (String name : imports) {
            int group = name.startsWith("java.") ? 0 : name.startsWith("javax.") ? 1 : 2;
            groups.get(group).add("import " + name + ";\n");
        }
        StringBuilder out = new StringBuilder();
        for (List<String> group : groups) {
            if (!group.isEmpty()) {
                group.forEach(out::append);
                out.append('\n');
            }
        }
        return out.toString();
    }
}
