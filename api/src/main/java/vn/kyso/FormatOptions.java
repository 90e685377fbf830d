package vn.kyso;

/**
 * Options only one format understands (a PDF signature's appearance, an XML profile), carried
 * inside {@link SignOptions}. Each format documents its own implementation.
 */
public interface FormatOptions {
}
