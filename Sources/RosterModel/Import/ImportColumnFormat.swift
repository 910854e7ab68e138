/// How a field column of an import file writes its values, when it is not plain: each date column's forms and
/// day/month order, and number columns with a decimal comma.
public struct ImportColumnFormat: Sendable, Equatable {
    public let field: String
    public let type: FieldType
    public let format: String

    package init(field: String, type: FieldType, format: String) {
        self.field = field
        self.type = type
        self.format = format
    }
}
