package io.github.camelwecom.groupmsg;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Base64;
import java.util.List;
import java.util.stream.Stream;

import org.apache.camel.spi.StateRepository;
import org.apache.camel.support.service.ServiceSupport;

/**
 * A {@link StateRepository} that several JVMs can share: one file per key in a directory, read again on every
 * {@link #getState}, so a replica sees what another one wrote since; written to a temporary file that is then moved
 * over the key's file atomically, so a SIGKILL leaves the old value or the new one, never part of one.
 * <p>
 * Test only: it stands in for what production replicas would share, such as a database-backed repository.
 */
final class SharedDirectoryStateRepository extends ServiceSupport implements StateRepository<String, String> {

    private static final String SUFFIX = ".state";
    /** Most file systems allow 255 bytes in a name; a key encodes to 4/3 of its UTF-8 length. */
    private static final int MAX_NAME = 255 - SUFFIX.length();

    private final Path directory;

    SharedDirectoryStateRepository(Path directory) {
        this.directory = directory;
    }

    @Override
    protected void doStart() throws IOException {
        Files.createDirectories(directory);
    }

    @Override
    public String getState(String key) {
        try {
            return Files.readString(file(key), StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the state of " + key + " in " + directory, e);
        }
    }

    @Override
    public void setState(String key, String value) {
        Path target = file(key);
        try {
            Files.createDirectories(directory);
            Path temp = Files.createTempFile(directory, "." + target.getFileName(), ".tmp");
            try {
                Files.writeString(temp, value, StandardCharsets.UTF_8);
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } finally {
                Files.deleteIfExists(temp); // gone after the move; left only when the write or the move failed
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the state of " + key + " in " + directory, e);
        }
    }

    /** The keys that have a value, for tests that need the key a consumer chose. */
    List<String> keys() throws IOException {
        if (!Files.isDirectory(directory)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(directory)) {
            return files.map(f -> f.getFileName().toString()).filter(n -> n.endsWith(SUFFIX) && !n.startsWith("."))
                    .map(n -> new String(Base64.getUrlDecoder().decode(n.substring(0, n.length() - SUFFIX.length())),
                            StandardCharsets.UTF_8))
                    .sorted().toList();
        }
    }

    /** URL-safe Base64 of the key: any key, no path separators, and {@link #keys()} can decode it. */
    private Path file(String key) {
        String name = Base64.getUrlEncoder().withoutPadding().encodeToString(key.getBytes(StandardCharsets.UTF_8));
        if (name.length() > MAX_NAME) {
            throw new IllegalArgumentException("Key too long for a file name (" + name.length() + " > " + MAX_NAME
                    + " characters encoded): " + key);
        }
        return directory.resolve(name + SUFFIX);
    }
}
