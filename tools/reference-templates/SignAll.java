// Signs every DUIS request in a folder with DCC Boxed's signing tool (the jar of @smartdcc/duis-sign-wrap), in one
// JVM: the jar signs one message per run, and a JVM per message (about 1.5 s each) makes the 297 reference requests
// take minutes. Run from this folder as a single-file program (needs a JDK for the source launcher):
//
//   java -cp node_modules/@smartdcc/duis-sign-wrap/dist/tool.jar SignAll.java IN_DIR OUT_DIR
//
// Each file is signed as the tool signs it for DCC Boxed: the key is the originator's (looked up from the RequestID's
// BusinessOriginatorID among the tool's own key material) and the originator counter becomes the signing time in
// milliseconds. Files are signed in name order and the clock is made to move between two signings, so each
// originator's counters rise in that order, as the DCC's replay check requires when they are submitted in it.
// A file the tool cannot sign (for example an originator it holds no key for) is copied unchanged and listed, with
// the tool's messages, in OUT_DIR/unsigned.txt. Exit code: 0, or 2 when a folder cannot be read or written.
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

public final class SignAll {
    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            System.err.println("usage: SignAll IN_DIR OUT_DIR");
            System.exit(2);
        }

        Path in = Path.of(args[0]);
        Path out = Path.of(args[1]);
        Files.createDirectories(out);
        List<Path> files;
        try (Stream<Path> list = Files.list(in)) {
            files = list.filter(Files::isRegularFile).sorted().toList();
        }

        PrintStream stdout = System.out;
        PrintStream stderr = System.err;
        List<String> unsigned = new ArrayList<>();
        long last = 0;
        for (Path file : files) {
            while (System.currentTimeMillis() <= last) {
                Thread.onSpinWait();
            }

            ByteArrayOutputStream signed = new ByteArrayOutputStream();
            ByteArrayOutputStream messages = new ByteArrayOutputStream();
            String result;
            try {
                System.setOut(new PrintStream(signed, true, StandardCharsets.UTF_8));
                System.setErr(new PrintStream(messages, true, StandardCharsets.UTF_8));
                result = uk.co.smartdcc.boxed.xmldsig.Sign.main_aux(new String[] {file.toString()}).name();
            } finally {
                System.setOut(stdout);
                System.setErr(stderr);
            }

            last = System.currentTimeMillis();
            Path target = out.resolve(file.getFileName());
            if (result.equals("SUCCESS")) {
                Files.write(target, signed.toByteArray());
            } else {
                Files.copy(file, target, StandardCopyOption.REPLACE_EXISTING);
                String why = messages.toString(StandardCharsets.UTF_8).strip().replace('\n', ' ');
                unsigned.add(file.getFileName() + "\t" + result + "\t" + why);
            }
        }

        Files.write(out.resolve("unsigned.txt"), unsigned, StandardCharsets.UTF_8);
        stdout.println("signed " + (files.size() - unsigned.size()) + " of " + files.size() + " requests into " + out
            + (unsigned.isEmpty() ? "" : "; not signed (copied unchanged): " + unsigned.size() + ", see unsigned.txt"));
    }
}
