package io.github.camelwecom.groupmsg.tools;

/**
 * Writes {@code <Name>ComponentConverter}: the Spring converter that turns {@code #bean:name} into the bean, for each
 * bean-typed option.
 */
final class ConverterWriter {

    private final Catalog catalog;
    private final Imports imports;

    private ConverterWriter(Catalog catalog) {
        this.catalog = catalog;
        this.imports = new Imports(catalog.packageName());
    }

    static String source(Catalog catalog) {
        return new ConverterWriter(catalog).write();
    }

    private String write() {
        imports.use("java.util.LinkedHashSet");
        imports.use("java.util.Set");
        String autowired = imports.use("org.springframework.beans.factory.annotation.Autowired");
        String binding = imports.use("org.springframework.boot.context.properties.ConfigurationPropertiesBinding");
        String context = imports.use("org.springframework.context.ApplicationContext");
        String configuration = imports.use("org.springframework.context.annotation.Configuration");
        String typeDescriptor = imports.use("org.springframework.core.convert.TypeDescriptor");
        String converter = imports.use("org.springframework.core.convert.converter.GenericConverter");
        String pairs = convertiblePairs();

        StringBuilder out = new StringBuilder();
        out.append("package ").append(catalog.packageName()).append(";\n\n").append(imports.block());
        out.append(classJavadoc());
        out.append("@").append(configuration).append("(proxyBeanMethods = false)\n");
        out.append("@").append(binding).append('\n');
        out.append("public class ").append(catalog.converterName()).append(" implements ").append(converter)
                .append(" {\n\n");
        out.append("    @").append(autowired).append('\n');
        out.append("    private ").append(context).append(" applicationContext;\n\n");
        out.append("    @Override\n");
        out.append("    public Set<ConvertiblePair> getConvertibleTypes() {\n");
        out.append("        Set<ConvertiblePair> answer = new LinkedHashSet<>();\n");
        out.append(pairs);
        out.append("        return answer;\n    }\n\n");
        out.append(convertMethod(typeDescriptor));
        return out.toString();
    }

    /** One {@code answer.add(...)} line per bean type, for {@code getConvertibleTypes()}. */
    private String convertiblePairs() {
        StringBuilder pairs = new StringBuilder();
        for (Option option : catalog.options()) {
            String beanType = Property.of(option).beanType();
            if (beanType != null) {
                pairs.append("        answer.add(new ConvertiblePair(String.class, ").append(imports.type(beanType))
                        .append(".class));\n");
            }
        }
        return pairs.toString();
    }

    /** The property the Javadoc's example names: a bean option other than the nested "configuration", if any. */
    private String exampleOption() {
        String example = null;
        for (Option option : catalog.options()) {
            if (Property.of(option).beanType() != null && (example == null || example.equals("configuration"))) {
                example = option.kebabName();
            }
        }
        return example == null ? "<option>" : example;
    }

    private String classJavadoc() {
        return JavaText.javadoc("", "Lets the bean-typed options of {@link " + catalog.configurationName()
                + "} name a Spring bean: {@code camel.component." + catalog.scheme() + "." + exampleOption()
                + "=#bean:myBean} (or {@code #myBean}). A value that does not start with {@code #} is not converted,"
                + " so Spring Boot reports it as a binding error.",
                "Generated at build time by build/starter-generator from the component's catalog ({@code "
                        + catalog.catalogFile() + "}): do not edit.");
    }

    private static String convertMethod(String typeDescriptor) {
        return "    @Override\n    public Object convert(Object source, " + typeDescriptor + " sourceType, "
                + typeDescriptor + " targetType) {\n" + """
                                if (source == null) {
                                    return null;
                                }
                                String ref = source.toString();
                                if (!ref.startsWith("#")) {
                                    return null;
                                }
                                ref = ref.startsWith("#bean:") ? ref.substring("#bean:".length()) : ref.substring(1);
                                return applicationContext.getBean(ref, targetType.getType());
                            }
                        }
                        """;
    }
}
