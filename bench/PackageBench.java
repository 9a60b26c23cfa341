import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The app's start against the bare JCEF floor, both in the same run: RUNS rounds, each one floor
 * start ({@code bench/JcefFloor.java}, its {@code paint=} read from its output), one app start on a
 * fresh data dir ("first") and one on a data dir an earlier start made ("later"), so load that comes
 * and goes touches all three alike. The app's paint is the frame with the catalog's cards drawn
 * (what {@link JcefWindow#run} measures through the page's DevTools port); its PSS is the whole
 * process tree after IDLE seconds. Prints, per start kind, one line
 * {@code window first|later paint=MS floor=MS ratio=R pss=MB} (medians), after one line per round.
 *
 * <p>Run with Java 22 or newer (the launcher compiles {@code JcefWindow.java} beside it):
 * {@code java bench/PackageBench.java RUNS IDLE FLOOR-COMMAND... -- APP-COMMAND...} (bench/package.sh).
 */
public class PackageBench {

    private static final Pattern FLOOR_PAINT = Pattern.compile("^floor .*paint=(\\d+)", Pattern.MULTILINE);

    public static void main(String[] args) throws Exception {
        int runs = Integer.parseInt(args[0]);
        int idle = Integer.parseInt(args[1]);
        List<String> rest = Arrays.asList(args).subList(2, args.length);
        int split = rest.indexOf("--");
        List<String> floorCommand = rest.subList(0, split);
        List<String> app = rest.subList(split + 1, rest.size());
        // Unmeasured: the page cache, and whatever the launchers record on their first run.
        floor(floorCommand);
        Path later = Files.createTempDirectory("latchkey-bench-later");
        JcefWindow.run(app, 0, later);
        List<Double> floors = new ArrayList<>();
        List<Double> first = new ArrayList<>();
        List<Double> again = new ArrayList<>();
        List<Double> firstPss = new ArrayList<>();
        List<Double> laterPss = new ArrayList<>();
        List<Double> windows = new ArrayList<>();
        for (int i = 1; i <= runs; i++) {
            double floor = floor(floorCommand);
            JcefWindow.Result fresh = JcefWindow.run(app, idle, Files.createTempDirectory("latchkey-bench-first"));
            JcefWindow.Result warm = JcefWindow.run(app, idle, later);
            System.out.printf("round %d: floor %.0f ms; first: window %.0f, backend %.0f, CEF %.0f, navigation %.0f, first paint %.0f,"
                            + " cards %.0f ms, %.0f MB; later: window %.0f, backend %.0f, CEF %.0f, navigation %.0f, first paint %.0f,"
                            + " cards %.0f ms, %.0f MB (%s)%n",
                    i, floor, fresh.windowMs(), fresh.backendMs(), fresh.cefMs(), fresh.navigationMs(), fresh.fcpMs(), fresh.catalogMs(),
                    fresh.pssMb(), warm.windowMs(), warm.backendMs(), warm.cefMs(), warm.navigationMs(), warm.fcpMs(), warm.catalogMs(),
                    warm.pssMb(), warm.pssParts());
            floors.add(floor);
            windows.add(fresh.windowMs());
            windows.add(warm.windowMs());
            first.add(fresh.catalogMs());
            again.add(warm.catalogMs());
            firstPss.add(fresh.pssMb());
            laterPss.add(warm.pssMb());
        }
        System.out.printf("window mapped on the display, median of every start: %.0f ms%n", median(windows));
        System.out.printf("ratio within each round, median: first %.2f, later %.2f%n", median(ratios(first, floors)),
                median(ratios(again, floors)));
        line("first", first, floors, firstPss);
        line("later", again, floors, laterPss);
    }

    /** Each round's app paint over the same round's floor: load that comes and goes touches both alike. */
    private static List<Double> ratios(List<Double> paints, List<Double> floors) {
        List<Double> ratios = new ArrayList<>();
        for (int i = 0; i < paints.size(); i++) {
            ratios.add(paints.get(i) / floors.get(i));
        }
        return ratios;
    }

    private static void line(String kind, List<Double> paints, List<Double> floors, List<Double> pss) {
        double paint = median(paints);
        double floor = median(floors);
        System.out.printf("window %s paint=%.0f floor=%.0f ratio=%.2f pss=%.0f%n", kind, paint, floor, paint / floor,
                median(pss));
    }

    /** One floor start; its first paint in milliseconds from its own process start. */
    private static double floor(List<String> command) throws Exception {
        Process floor = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(floor.getInputStream().readAllBytes());
        if (!floor.waitFor(60, TimeUnit.SECONDS) || floor.exitValue() != 0) {
            throw new IllegalStateException("the floor start failed: " + out);
        }
        Matcher paint = FLOOR_PAINT.matcher(out);
        if (!paint.find()) {
            throw new IllegalStateException("no paint= in the floor's output: " + out);
        }
        return Double.parseDouble(paint.group(1));
    }

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }
}
