package vn.kyso.cli;

import java.io.PrintStream;

/** A one-line progress bar on a terminal; does nothing when output is not a terminal (tty is null). */
final class Progress {
    private static final int WIDTH = 30;
    private final int total;
    private final PrintStream tty;
    private int done;
    private boolean shown;

    Progress(int total, PrintStream tty) {
        this.total = total;
        this.tty = tty;
    }

    void advance() {
        done++;
        if (tty == null || total == 0) {
            return;
        }
        int filled = (int) ((long) done * WIDTH / total);
        tty.print("\r[" + "#".repeat(filled) + " ".repeat(WIDTH - filled) + "] " + done + "/" + total);
        tty.flush();
        shown = true;
    }

    /** Removes the bar so that a report line can be printed in its place. */
    void clear() {
        if (shown) {
            tty.print("\r" + " ".repeat(WIDTH + 30) + "\r");
            tty.flush();
            shown = false;
        }
    }
}
