package dev.latchkey.proxy;

/** The small self-contained HTML page of the callback: no script, no style sheet, no third-party resource. */
final class CallbackPage {

    private CallbackPage() {
    }

    static String render(String title, String message) {
        return "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>" + escape(title)
                + "</title></head>\n<body><h1>" + escape(title) + "</h1>\n<p>" + escape(message) + "</p></body></html>\n";
    }

    private static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (char c : text.toCharArray()) {
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
