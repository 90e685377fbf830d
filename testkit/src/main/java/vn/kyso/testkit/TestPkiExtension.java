package vn.kyso.testkit;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit 5 extension that hands a running {@link TestPki} to test, lifecycle and constructor
 * parameters of type {@code TestPki}, one per test class, closed after the class.
 *
 * <pre>{@code
 * @ExtendWith(TestPkiExtension.class)
 * class PdfSignerTest {
 *     @Test
 *     void signsWithTimestamp(TestPki pki) { ... pki.services().tsaUri() ... }
 * }
 * }</pre>
 *
 * <p>Tests of one class share the instance, so a test that changes a service switch should
 * set it back (or start its own PKI with {@link TestPki#start()}).
 */
public final class TestPkiExtension implements ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE =
            ExtensionContext.Namespace.create(TestPkiExtension.class);

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == TestPki.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        ExtensionContext classContext = context;
        while (classContext.getTestMethod().isPresent() && classContext.getParent().isPresent()) {
            classContext = classContext.getParent().get();
        }
        // JUnit closes AutoCloseable store values when the class context ends.
        return classContext.getStore(NAMESPACE)
                .getOrComputeIfAbsent(TestPki.class, k -> TestPki.start(), TestPki.class);
    }
}
