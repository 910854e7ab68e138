/// A field of the store: its name, type and how many customers have a value.
public struct FieldSummary: Sendable, Equatable {
    public let name: String
    public let type: FieldType
    public let count: Int

    package init(name: String, type: FieldType, count: Int) {
        self.name = name
        self.type = type
        self.count = count
    }
}

/// What `retypeField` found and did.
public struct RetypeReport: Sendable {
    /// A stored value that does not read as the new type, and the customer (by externalCode) holding it.
    public struct Unconvertible: Sendable, Equatable {
        public let externalCode: String
        public let value: String
        public let reason: String

        package init(externalCode: String, value: String, reason: String) {
            self.externalCode = externalCode
            self.value = value
            self.reason = reason
        }
    }

    public let field: String
    public let from: FieldType
    public let to: FieldType
    /// Values rewritten in the new type.
    public let converted: Int
    public let unconvertible: [Unconvertible]
    /// Whether the store was changed (every value converted, or the others were dropped as asked).
    public let applied: Bool
    /// How the values were read, for a date or number field (`DD/MM/YYYY`).
    public let format: String?

    package init(
        field: String, from: FieldType, to: FieldType, converted: Int, unconvertible: [Unconvertible], applied: Bool,
        format: String?
    ) {
        self.field = field
        self.from = from
        self.to = to
        self.converted = converted
        self.unconvertible = unconvertible
        self.applied = applied
        self.format = format
    }
}
