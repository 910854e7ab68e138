/// A personalized message: text with placeholders `$Name`, `${Name}`, `${Name|fallback}` and `$$` for a `$`.
///
/// Field names are matched case-insensitively. Values are inserted as text and never re-read as template
/// syntax. A field that is missing or blank (only whitespace) and has no fallback is reported in
/// `Rendering.missing` and its placeholder is left in the text as written, never rendered as empty.
public struct Template: Sendable, Equatable {
    /// The text the template was parsed from.
    public let source: String
    /// The fields the placeholders name, as first written, once each (case-insensitively), in order of appearance.
    public let fieldNames: [String]

    let pieces: [Piece]
    /// Per entry of `fieldNames`: whether some placeholder of that field has no fallback, so it can be missing.
    let required: [Bool]

    /// A template rendered for one customer.
    public struct Rendering: Sendable, Equatable {
        /// The message; a missing field's placeholder stays as written (`Hi $Name`) so a reader sees the gap.
        public let text: String
        /// Fields missing or blank without a fallback, named as in the template, once each, in template order.
        public let missing: [String]

        public init(text: String, missing: [String] = []) {
            self.text = text
            self.missing = missing
        }

        /// Whether every placeholder got a value or its fallback.
        public var isComplete: Bool { missing.isEmpty }
    }

    struct Placeholder: Sendable, Equatable {
        /// Index into `fieldNames`.
        let field: Int
        let fallback: String?
        /// The placeholder exactly as in the source, shown in place of a missing value.
        let written: String
    }

    enum Piece: Sendable, Equatable {
        case text(String)
        case placeholder(Placeholder)
    }

    struct Parts {
        let pieces: [Piece]
        let fieldNames: [String]
        let required: [Bool]
    }

    private init(source: String, parts: Parts) {
        self.source = source
        self.pieces = parts.pieces
        self.fieldNames = parts.fieldNames
        self.required = parts.required
    }

    /// Parses template text; an unclosed `${`, an empty name or a placeholder in a fallback is a positioned error.
    public static func parse(_ text: String) throws(TemplateError) -> Template {
        var parser = TemplateParser(text)
        return Template(source: text, parts: try parser.parse())
    }

    /// The fields that some placeholder uses without a fallback: the ones a customer can miss.
    public var requiredFieldNames: [String] {
        fieldNames.indices.filter { required[$0] }.map { fieldNames[$0] }
    }

    /// Renders with values from `lookup`, called once per field with its name as written in the template.
    public func render(_ lookup: (String) -> String?) -> Rendering {
        let values = fieldNames.map(lookup)
        return assemble { values[$0] }
    }

    /// Renders for a customer: its fields and the built-ins `email`, `phone`, `crmId`, `externalCode`.
    public func render(_ customer: Customer) -> Rendering {
        render { name in
            let key = name.lowercased()
            if let builtIn = BuiltInField(key: key) { return builtIn.value(of: customer) }
            return customer.fields[key]?.value
        }
    }

    /// Renders for row `row` of a working set, with the same names as `render(_: Customer)`.
    public func render(row: Int, of workingSet: WorkingSet) -> Rendering {
        let sources = PlaceholderSource.resolve(fieldNames, in: workingSet)
        return assemble { sources[$0].value(row: row, of: workingSet) }
    }

    /// Renders with `value(field)` giving the value of `fieldNames[field]`.
    func assemble(_ value: (Int) -> String?) -> Rendering {
        var text = ""
        text.reserveCapacity(source.utf8.count + 16 * fieldNames.count)
        var isMissing = [Bool](repeating: false, count: fieldNames.count)
        for piece in pieces {
            switch piece {
            case .text(let literal):
                text += literal
            case .placeholder(let placeholder):
                if let value = value(placeholder.field), !Template.isBlank(value) {
                    text += value
                } else if let fallback = placeholder.fallback {
                    text += fallback
                } else {
                    text += placeholder.written
                    isMissing[placeholder.field] = true
                }
            }
        }
        let missing = fieldNames.indices.filter { isMissing[$0] }.map { fieldNames[$0] }
        return Rendering(text: text, missing: missing)
    }

    /// Whether a value counts as absent: empty or only whitespace.
    @inline(__always)
    static func isBlank(_ value: String) -> Bool {
        // Scalars against a fixed table, not `Character.isWhitespace`: its property lookup per value
        // dominated a million-row preview. Nearly every value is decided by its first scalar.
        for scalar in value.unicodeScalars where !isWhiteSpace(scalar) { return false }
        return true
    }

    /// Whether UTF-8 text counts as absent, without making a `String` unless it starts with non-ASCII white space.
    @inline(__always)
    static func isBlank(utf8: UnsafeBufferPointer<UInt8>) -> Bool {
        for byte in utf8 {
            if byte >= 0x80 { return isBlank(String(decoding: utf8, as: UTF8.self)) }
            if !(byte == 0x20 || (0x09...0x0D).contains(byte)) { return false }
        }
        return true
    }

    /// The Unicode White_Space property, a fixed list of 25 code points.
    @inline(__always)
    private static func isWhiteSpace(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x09...0x0D, 0x20, 0x85, 0xA0, 0x1680, 0x2000...0x200A, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000:
            return true
        default:
            return false
        }
    }
}
