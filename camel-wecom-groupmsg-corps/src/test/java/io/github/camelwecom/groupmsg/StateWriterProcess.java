package io.github.camelwecom.groupmsg;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import io.github.camelwecom.groupmsg.state.JdbcStateRepository;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * A replica's checkpoint writes in a JVM of its own, for {@link JdbcStateRepositoryPostgresTest}: a
 * {@link JdbcStateRepository} on PostgreSQL writes {@code --writes} successive values to {@code --key}, each one only
 * after {@code --other-key} holds the other JVM's previous one (lockstep), and reads each back. Exit 0 when all were
 * read back as written; 5 at the first value read back otherwise (a lost update), 3 past {@code --max-seconds}. It
 * starts writing once the file {@code --go} exists, and ends when the test JVM is gone.
 */
public final class StateWriterProcess {

    static final String READY = "ready to write";
    static final int EXIT_LOST_UPDATE = 5;

    private StateWriterProcess() {
    }

    static List<String> args(String url, String table, String key, String otherKey, int writes, Path go) {
        return List.of("--url", url, "--table", table, "--key", key, "--other-key", otherKey, "--writes",
                String.valueOf(writes), "--go", go.toString());
    }

    /** The {@code seq}th value of {@code key}: a few kilobytes, like a small checkpoint. */
    static String value(String key, int seq) {
        String member = "{\"member\":\"成员" + seq + "\",\"digest\":" + (seq * 31L) + "}";
        return key + ":" + seq + ":" + member.repeat(100);
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> opts = ExportProcess.parse(args);
        ExportProcess.watchParent();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(Long.parseLong(opts.getOrDefault("max-seconds",
                "240")));
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setURL(opts.get("url"));
        JdbcStateRepository repository = new JdbcStateRepository(dataSource, opts.get("table"));
        repository.setCreateTable(false);
        repository.start();
        String key = opts.get("key");
        String otherKey = opts.get("other-key");
        int writes = Integer.parseInt(opts.get("writes"));
        Path go = Path.of(opts.get("go"));

        System.out.println(key + ": " + READY);
        System.out.flush();
        while (!Files.exists(go)) {
            pause(deadline);
        }
        for (int seq = 1; seq <= writes; seq++) {
            while (seqOf(repository.getState(otherKey)) < seq - 1) {
                pause(deadline);
            }
            String value = value(key, seq);
            repository.setState(key, value);
            String read = repository.getState(key);
            if (!value.equals(read)) {
                System.out.println(key + ": wrote seq " + seq + " and read back seq " + seqOf(read));
                System.out.flush();
                Runtime.getRuntime().halt(EXIT_LOST_UPDATE);
            }
        }
        repository.stop();
        System.out.println(key + ": wrote " + writes + " values");
        System.exit(0);
    }

    private static int seqOf(String value) {
        return value == null ? 0 : Integer.parseInt(value.split(":", 3)[1]);
    }

    private static void pause(long deadline) {
        if (System.nanoTime() > deadline) {
            System.out.println("not done before --max-seconds");
            System.out.flush();
            Runtime.getRuntime().halt(ExportProcess.EXIT_TIMEOUT);
        }
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
    }
}
