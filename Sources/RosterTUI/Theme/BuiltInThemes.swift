/// The texts of `themes/light.toml`, `themes/high-contrast.toml` and `themes/mono.toml`, built into the binary
/// so `--theme` and `:theme` find every shipped theme wherever the binary is installed. `themes/` stays the
/// source people edit; a test proves these copies equal the files.
extension ThemeParser {
    /// The shipped themes by name (the default one included).
    static var builtInTexts: [String: String] {
        [
            "default": builtInDefaultText, "light": builtInLightText, "high-contrast": builtInHighContrastText,
            "mono": builtInMonoText,
        ]
    }

    /// Kept identical to `themes/light.toml` (a test compares them).
    static let builtInLightText = """
        # Roster console theme: light (light terminal backgrounds, 256 colours).
        # Slots and keys are described in default.toml.
        name = "light"

        [body]
        fg = 235
        bg = "default"

        [header]
        fg = 231
        bg = 25
        bold = true

        [selection]
        fg = 16
        bg = 153
        bold = true

        [status]
        fg = 235
        bg = 252

        [dim]
        fg = 243

        [accent]
        fg = 25
        bold = true

        [error]
        fg = 160
        bold = true

        [masked]
        fg = 241
        """

    /// Kept identical to `themes/high-contrast.toml` (a test compares them).
    static let builtInHighContrastText = """
        # Roster console theme: high-contrast (basic colours only, bold, for low vision and bright rooms).
        # Uses the eight basic colours so it looks the same on 8-colour terminals.
        # Slots and keys are described in default.toml.
        name = "high-contrast"

        [body]
        fg = "white"
        bg = "black"

        [header]
        fg = "black"
        bg = "yellow"
        bold = true

        [selection]
        fg = "black"
        bg = "white"
        bold = true

        [status]
        fg = "black"
        bg = "cyan"
        bold = true

        [dim]
        fg = "white"
        bg = "black"

        [accent]
        fg = "yellow"
        bg = "black"
        bold = true

        [error]
        fg = "white"
        bg = "red"
        bold = true

        [masked]
        fg = "cyan"
        bg = "black"
        """

    /// Kept identical to `themes/mono.toml` (a test compares them).
    static let builtInMonoText = """
        # Roster console theme: mono (no colours at all, attributes only).
        # What the console looks like under NO_COLOR; also right for printers' terminals and screen readers.
        # Slots and keys are described in default.toml.
        name = "mono"

        [body]

        [header]
        bold = true
        underline = true

        [selection]
        reverse = true

        [status]
        reverse = true

        [dim]
        dim = true

        [accent]
        bold = true

        [error]
        bold = true
        underline = true

        [masked]
        dim = true
        """
}
