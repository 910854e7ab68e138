/// A field value to set, already checked against the field's type.
struct FieldAssignment: Sendable, Equatable {
    let key: String
    let name: String
    let type: FieldType
    let value: String
}
