import Foundation

/// A saved segment: a name for a filter expression, used as `@NAME` wherever a filter is accepted.
public struct SavedSegment: Sendable, Equatable {
    /// The name as it was saved (its case kept); names are compared ignoring case.
    public let name: String
    /// The filter expression, as written.
    public let expression: String

    public init(name: String, expression: String) {
        self.name = name
        self.expression = expression
    }

    /// The longest name, in characters.
    public static let maximumNameLength = 64

    /// The form two names are compared in: `Birthdays` and `birthdays` are one segment.
    package static func key(_ name: String) -> String { name.precomposedStringWithCanonicalMapping.lowercased() }

    /// The `--json` form.
    public func json(count: Int?) -> JSONValue {
        var members: [(String, JSONValue)] = [("name", .string(name)), ("expression", .string(expression))]
        if let count { members.append(("count", .int(Int64(count)))) }
        return .object(members)
    }
}

/// The saved segments a filter may refer to as `@NAME`, read once for a parse (`FilterContext.segments`).
public struct SavedSegments: Sendable {
    /// Every segment, by name ignoring case.
    public let all: [SavedSegment]
    private let byKey: [String: SavedSegment]

    public init(_ segments: [SavedSegment]) {
        all = segments.sorted { SavedSegment.key($0.name) < SavedSegment.key($1.name) }
        byKey = Dictionary(segments.map { (SavedSegment.key($0.name), $0) }, uniquingKeysWith: { first, _ in first })
    }

    /// No saved segments.
    public static let none = SavedSegments([])

    /// The segment saved under `name`, compared ignoring case.
    public func segment(named name: String) -> SavedSegment? { byKey[SavedSegment.key(name)] }

    /// These segments with `segment` saved too (replacing one of the same name).
    package func with(_ segment: SavedSegment) -> SavedSegments {
        SavedSegments(all.filter { SavedSegment.key($0.name) != SavedSegment.key(segment.name) } + [segment])
    }

    /// `@a, @b` for an error message, or a hint when there are none.
    package var listForMessage: String {
        all.isEmpty
            ? "no segment is saved; save one with: roster segment save NAME EXPR"
            : "saved: " + all.map { "@" + $0.name }.joined(separator: ", ")
    }
}
