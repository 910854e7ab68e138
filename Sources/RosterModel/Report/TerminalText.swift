/// Makes stored values safe to print: control characters and escape sequences are shown, never sent.
public enum TerminalText {
    /// `ESC[2J` becomes `^[[2J`, a newline `^J`, DEL `^?`; C1 controls become `<U+009B>`.
    public static func escape(_ value: String) -> String {
        escape(value, keeping: [])
    }

    /// A whole message or report as it may reach a terminal: line breaks and tabs stay, every other control
    /// character and escape sequence is shown escaped. Output calls this once for everything it prints, so no
    /// value has to be escaped where a message is composed.
    public static func escapeMessage(_ text: String) -> String {
        escape(text, keeping: ["\n", "\t"])
    }

    private static func escape(_ value: String, keeping kept: Set<Unicode.Scalar>) -> String {
        guard value.unicodeScalars.contains(where: { isControl($0) && !kept.contains($0) }) else { return value }
        var out = ""
        for scalar in value.unicodeScalars {
            if kept.contains(scalar) {
                out.unicodeScalars.append(scalar)
            } else if scalar.value < 0x20 {
                out += "^" + String(UnicodeScalar(UInt8(scalar.value) + 0x40))
            } else if scalar.value == 0x7f {
                out += "^?"
            } else if isControl(scalar) {
                out += "<U+\(String(scalar.value, radix: 16, uppercase: true).leftPadded(4))>"
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || (0x7f...0x9f).contains(scalar.value)
            || scalar.properties.generalCategory == .format
                && [0x202e, 0x202d, 0x2066, 0x2067, 0x2068, 0x2069]
                    .contains(scalar.value)
    }
}

extension String {
    func leftPadded(_ width: Int, with pad: Character = "0") -> String {
        count >= width ? self : String(repeating: pad, count: width - count) + self
    }
}
