/// The text of `themes/default.toml`, built in so the console has a theme when no file can be found.
extension ThemeParser {
    /// Kept identical to `themes/default.toml` (a test compares them).
    static let builtInDefaultText = """
        # Roster console theme: default (dark terminals, 256 colours).
        #
        # One [section] per semantic slot the console draws with:
        #   body       ordinary text and table rows
        #   header     the title bar and table column titles
        #   selection  the selected row and the text cursor
        #   status     the status line at the bottom
        #   dim        hints, absent values, disabled consent
        #   accent     prompts, counts, progress bars
        #   error      error messages
        #   masked     masked emails and phones (a***@example.com)
        #
        # Keys: fg and bg take "default" (the terminal's own colour), a name (black, red, green, yellow,
        # blue, magenta, cyan, white, or bright-NAME) or a number 0-255. bold, underline, reverse and dim
        # take true or false. A slot left out looks like [body]. On an 8-colour terminal colours above 7 are
        # mapped to the nearest basic one; with NO_COLOR set only the attributes are used.
        name = "default"

        [body]
        fg = "default"
        bg = "default"

        [header]
        fg = 16
        bg = 73
        bold = true

        [selection]
        fg = 16
        bg = 111
        bold = true

        [status]
        fg = 252
        bg = 238

        [dim]
        fg = 244

        [accent]
        fg = 80
        bold = true

        [error]
        fg = 203
        bold = true

        [masked]
        fg = 246
        """
}
